import { checkSource, checkTags, checkTitle } from './documentText.js';

/** The title, checked and trimmed. */
export function cleanTitle(title: string, field = 'title'): string {
  checkTitle(title, field);
  return title.trim();
}

/** Tags checked, then trimmed, lowercased and deduplicated, in the order given. */
export function cleanTags(tags: readonly string[], field = 'tags'): string[] {
  checkTags(tags, field);
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()))];
}

/** Where the document came from (a URL or a label), checked and trimmed; empty is none. */
export function cleanSource(source: string | null | undefined, field = 'source'): string | null {
  const value = source?.trim() ?? '';
  if (value.length === 0) return null;
  checkSource(value, field);
  return value;
}

/**
 * The words of a title, lowercased and unique, kept beside it so that "words in the
 * title" is an indexed lookup (every word must match) rather than a scan.
 */
export const titleWords = (title: string): string[] => [...new Set(title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
