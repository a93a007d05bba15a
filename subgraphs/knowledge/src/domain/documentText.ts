import { DomHandler, isTag, isText, type AnyNode, type Element, type ParentNode } from 'domhandler';
import { Parser } from 'htmlparser2';
import { badUserInput } from '#internal/errors';

/**
 * A knowledge document's content as it arrives, and the text that is stored and indexed
 * from it: checks on what is accepted, and the conversion of each format to plain,
 * Markdown-like text that the chunker reads.
 */

/** How a document's content is written. */
export enum KnowledgeFormat {
  MARKDOWN = 'MARKDOWN',
  TEXT = 'TEXT',
  HTML = 'HTML',
}

/** What one document may hold. Lengths count characters (code points); content counts UTF-8 bytes, as it travels. */
export const KNOWLEDGE_LIMITS = {
  contentBytes: 1_048_576,
  titleLength: 200,
  tags: 200,
  tagLength: 50,
  sourceLength: 2000,
} as const;

// Binary data shows up as C0 control characters; text needs only tab, LF and CR.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
// One-line fields take no control characters at all.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// With the u flag a well-formed pair is one code point, so only a lone half matches.
const LONE_SURROGATE = /[\ud800-\udfff]/u;

const characters = (text: string): number => {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
};

/**
 * Refuses content that cannot be a document: empty, over {@link KNOWLEDGE_LIMITS.contentBytes},
 * binary, or not encodable as UTF-8. Throws BAD_USER_INPUT naming `field`.
 */
export function checkContent(content: string, field = 'content'): void {
  // Every UTF-16 unit is at least one byte, so a longer string need not be measured.
  if (content.length > KNOWLEDGE_LIMITS.contentBytes || Buffer.byteLength(content) > KNOWLEDGE_LIMITS.contentBytes) {
    throw badUserInput(`The ${field} is larger than 1 MiB (${KNOWLEDGE_LIMITS.contentBytes} bytes of UTF-8).`, field);
  }
  if (LONE_SURROGATE.test(content)) {
    throw badUserInput(`The ${field} is not valid Unicode text (it has a lone surrogate).`, field);
  }
  if (BINARY.test(content)) {
    throw badUserInput(`The ${field} looks binary: it has control characters other than tab and line breaks.`, field);
  }
  if (content.trim().length === 0) throw badUserInput(`The ${field} is empty.`, field);
}

/** Refuses a document whose text, once converted, is empty: HTML of nothing but scripts and styles, say. */
export function checkDocumentText(text: string, field = 'content'): void {
  if (text.trim().length === 0) throw badUserInput(`The ${field} has no text once converted.`, field);
}

/** One line of text: no control characters, no lone surrogates, at most `max` characters. */
function checkLine(value: string, max: number, field: string, what: string): void {
  if (CONTROL.test(value) || LONE_SURROGATE.test(value)) {
    throw badUserInput(`The ${what} must be one line of text, without control characters.`, field);
  }
  if (characters(value) > max) throw badUserInput(`The ${what} must have at most ${max} characters.`, field);
}

/** A title is 1 to {@link KNOWLEDGE_LIMITS.titleLength} characters once trimmed. */
export function checkTitle(title: string, field = 'title'): void {
  if (title.trim().length === 0) throw badUserInput('The title is empty.', field);
  checkLine(title.trim(), KNOWLEDGE_LIMITS.titleLength, field, 'title');
}

/** At most {@link KNOWLEDGE_LIMITS.tags} tags, each 1 to {@link KNOWLEDGE_LIMITS.tagLength} characters once trimmed. */
export function checkTags(tags: readonly string[], field = 'tags'): void {
  if (tags.length > KNOWLEDGE_LIMITS.tags) throw badUserInput(`Give at most ${KNOWLEDGE_LIMITS.tags} tags.`, field);
  tags.forEach((tag, index) => {
    if (tag.trim().length === 0) throw badUserInput(`Tag ${index + 1} is empty.`, field);
    checkLine(tag.trim(), KNOWLEDGE_LIMITS.tagLength, field, `tag ${index + 1}`);
  });
}

/** Where a document came from (a URL, a file name): at most {@link KNOWLEDGE_LIMITS.sourceLength} characters. */
export function checkSource(source: string, field = 'source'): void {
  checkLine(source, KNOWLEDGE_LIMITS.sourceLength, field, 'source');
}

/**
 * The text that is stored and indexed for `content` written in `format`. HTML nested
 * deeper than {@link MAX_NESTING} elements is refused (BAD_USER_INPUT naming `field`).
 */
export function toDocumentText(content: string, format: KnowledgeFormat, field = 'content'): string {
  switch (format) {
    case KnowledgeFormat.HTML:
      return htmlToText(content, field);
    case KnowledgeFormat.MARKDOWN:
    case KnowledgeFormat.TEXT:
      return plainText(content);
  }
}

/** LF line endings, no trailing whitespace on any line, no blank lines before or after. */
function plainText(content: string): string {
  // Line by line rather than with /\s+$/m, which backtracks quadratically on long runs of spaces.
  const lines = content
    .replace(/^\ufeff/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  let first = 0;
  while (first < lines.length && lines[first]?.trim() === '') first += 1;
  return lines
    .slice(first)
    .map((line) => line.trimEnd())
    .join('\n')
    .trimEnd();
}

// ——— HTML ———

/**
 * Elements whose content no reader sees as text: code, styling, embedded documents,
 * metadata, fallbacks for missing features. They are dropped with everything inside.
 */
const DROPPED = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'object',
  'embed',
  'svg',
  'head',
  'title',
  'applet',
  'frame',
  'frameset',
  'noembed',
  'noframes',
]);

/** Elements that start and end a block of text. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

const HEADING = /^h([1-6])$/;

/**
 * Far deeper than documents nest. The parser's work per tag grows with the depth, so a
 * megabyte of unclosed `<b>` would take it most of a minute: deeper HTML is refused.
 */
export const MAX_NESTING = 1000;

// Past this depth the tree is read as flat text, so that the walk stays far from the stack's end.
const MAX_DEPTH = 200;

// Control characters can still arrive as character references (&#1;).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** `svg:script` is as much a script as `script`. */
const localName = (element: Element): string => element.name.slice(element.name.lastIndexOf(':') + 1);

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * The text under `root`, dropped elements and comments left out. Iterative, for any depth.
 * `lineBreak` stands for `<br>`, `blockGap` goes around block elements.
 */
function textUnder(root: AnyNode, lineBreak: string, blockGap: string): string {
  const out: string[] = [];
  const stack: (AnyNode | string)[] = [root];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item === 'string') out.push(item);
    else if (isText(item)) out.push(item.data.replace(CONTROL_CHARS, ''));
    else if (isTag(item) && !DROPPED.has(localName(item))) {
      const name = localName(item);
      if (name === 'br') {
        out.push(lineBreak);
        continue;
      }
      const block = BLOCKS.has(name) || HEADING.test(name);
      if (block) out.push(blockGap);
      if (block) stack.push(blockGap);
      for (let index = item.children.length - 1; index >= 0; index -= 1) {
        const child = item.children[index];
        if (child) stack.push(child);
      }
    }
  }
  return out.join('');
}

/** List items and table rows sit on consecutive lines; other blocks are a blank line apart. */
type BlockKind = 'paragraph' | 'item' | 'row' | 'code';

interface ListItem {
  /** Spaces before the marker: two per level of nesting. */
  indent: string;
  marker: string;
  /** Whether the marker has been written; later blocks of the item are indented instead. */
  started: boolean;
}

const LINE_BREAK = Symbol('br');

/** Walks the tree once, keeping the inline text of the block being read until a block boundary. */
class HtmlText {
  private readonly blocks: { kind: BlockKind; text: string; apart: boolean }[] = [];
  private inline: (string | typeof LINE_BREAK)[] = [];
  private item: ListItem | null = null;
  /** Set when a list or table ends, so that the next one is a block of its own. */
  private apart = false;

  render(root: ParentNode): string {
    this.children(root, 0);
    this.flush();
    let out = '';
    let previous: BlockKind | null = null;
    for (const { kind, text, apart } of this.blocks) {
      if (previous !== null) out += !apart && kind === previous && (kind === 'item' || kind === 'row') ? '\n' : '\n\n';
      out += text;
      previous = kind;
    }
    return out;
  }

  private push(kind: BlockKind, text: string): void {
    if (text.trim().length === 0) return;
    this.blocks.push({ kind, text, apart: this.apart });
    this.apart = false;
  }

  /** Ends the block being read: its lines (split at `<br>`) collapsed, at most one blank line in a row. */
  private flush(): void {
    const lines: string[] = [];
    let line = '';
    for (const part of [...this.inline, LINE_BREAK]) {
      if (typeof part === 'string') {
        line += part;
        continue;
      }
      const text = collapse(line);
      line = '';
      if (text !== '' || (lines.length > 0 && lines[lines.length - 1] !== '')) lines.push(text);
    }
    this.inline = [];
    while (lines[lines.length - 1] === '') lines.pop();
    if (lines.length === 0) return;
    const item = this.item;
    if (item === null) {
      this.push('paragraph', lines.join('\n'));
      return;
    }
    const hanging = item.indent + ' '.repeat(item.marker.length);
    const text = lines.map((text, index) => {
      if (index > 0 || item.started) return text === '' ? '' : hanging + text;
      return item.indent + item.marker + text;
    });
    item.started = true;
    this.push('item', text.join('\n'));
  }

  private children(parent: ParentNode, depth: number): void {
    for (const child of parent.children) this.node(child, depth + 1);
  }

  private node(node: AnyNode, depth: number): void {
    if (isText(node)) {
      this.inline.push(node.data.replace(CONTROL_CHARS, ''));
      return;
    }
    // Comments (CDATA sections among them, outside XML), doctypes and processing instructions.
    if (!isTag(node)) return;
    const name = localName(node);
    if (DROPPED.has(name)) return;
    if (depth > MAX_DEPTH) {
      this.inline.push(' ', textUnder(node, ' ', ' '), ' ');
      return;
    }
    const heading = HEADING.exec(name);
    if (heading) {
      this.flush();
      const text = collapse(textUnder(node, ' ', ' '));
      if (text !== '') this.push('paragraph', `${'#'.repeat(Number(heading[1]))} ${text}`);
      return;
    }
    switch (name) {
      case 'br':
        this.inline.push(LINE_BREAK);
        return;
      case 'ul':
      case 'ol':
        this.list(node, name === 'ol', depth);
        return;
      case 'li':
        // An item outside any list is read as a bulleted one.
        this.listItem(node, '- ', depth);
        return;
      case 'pre':
        this.flush();
        this.code(node);
        return;
      case 'table':
        this.flush();
        this.table(node, depth);
        this.flush();
        this.apart = true;
        return;
      case 'tr':
        this.row(node);
        return;
    }
    const block = BLOCKS.has(name);
    if (block) this.flush();
    this.children(node, depth);
    if (block) this.flush();
  }

  private list(list: Element, ordered: boolean, depth: number): void {
    this.flush();
    let number = 0;
    for (const child of list.children) {
      if (isTag(child) && localName(child) === 'li') {
        number += 1;
        this.listItem(child, ordered ? `${number}. ` : '- ', depth + 1);
      } else {
        this.node(child, depth + 1);
      }
    }
    this.flush();
    // A nested list goes on with its item; a list of its own ends here.
    if (this.item === null) this.apart = true;
  }

  private listItem(element: Element, marker: string, depth: number): void {
    this.flush();
    const outer = this.item;
    const indent = outer === null ? '' : outer.indent + ' '.repeat(outer.marker.length);
    this.item = { indent, marker, started: false };
    this.children(element, depth);
    this.flush();
    this.item = outer;
  }

  /** `<pre>` as a fenced block, so its lines stay as written and none of them reads as a heading. */
  private code(pre: Element): void {
    const lines = textUnder(pre, '\n', '\n')
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => line.trimEnd());
    while (lines[0] === '') lines.shift();
    while (lines[lines.length - 1] === '') lines.pop();
    if (lines.length === 0) return;
    const body = lines.join('\n');
    const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    this.push('code', `${fence}\n${body}\n${fence}`);
  }

  private table(table: Element, depth: number): void {
    for (const child of table.children) {
      const name = isTag(child) ? localName(child) : '';
      if (isTag(child) && name === 'tr') this.row(child);
      else if (isTag(child) && (name === 'thead' || name === 'tbody' || name === 'tfoot')) this.table(child, depth + 1);
      else this.node(child, depth + 1);
    }
  }

  /** One line per row, cells ` | ` apart; whatever a cell holds is flattened into it. */
  private row(row: Element): void {
    this.flush();
    const cells: string[] = [];
    for (const child of row.children) {
      const cell = isTag(child) && (localName(child) === 'td' || localName(child) === 'th');
      const text = collapse(textUnder(child, ' ', ' '));
      if (cell || text !== '') cells.push(text);
    }
    if (cells.some((cell) => cell !== '')) this.push('row', cells.join(' | '));
  }
}

/**
 * HTML read with a real parser and written out as Markdown-like text: headings as `#`
 * lines, list items as `- ` / `1. `, table rows as cells joined by ` | `, `<pre>` fenced.
 * Only text nodes reach the output: no tag, attribute (`on*` handlers, `javascript:` URLs)
 * or comment does, nor anything inside the {@link DROPPED} elements.
 */
function htmlToText(html: string, field: string): string {
  return new HtmlText().render(parseHtml(html, field));
}

class TooDeep extends Error {}

/** A DOM builder that gives up past {@link MAX_NESTING} open elements. */
class BoundedDomHandler extends DomHandler {
  override onopentag(name: string, attribs: Record<string, string>): void {
    // The stack starts with the document itself.
    if (this.tagStack.length > MAX_NESTING) throw new TooDeep();
    super.onopentag(name, attribs);
  }
}

/** `parseDocument`, with a bound on nesting. */
function parseHtml(html: string, field: string): ParentNode {
  const handler = new BoundedDomHandler();
  try {
    new Parser(handler).end(html);
  } catch (error) {
    if (error instanceof TooDeep) {
      throw badUserInput(`The ${field} is HTML nested more than ${MAX_NESTING} elements deep.`, field);
    }
    throw error;
  }
  return handler.root;
}
