import type { Chunk } from '../domain/chunker.js';

/**
 * What is embedded and analysed for a chunk: the document's title and the chunk's headings
 * before its text, so a passage cut out of a document still says what it is about.
 */
export const passageOf = (title: string, chunk: Pick<Chunk, 'headingPath' | 'text'>): string =>
  [title, ...chunk.headingPath, chunk.text].join('\n');
