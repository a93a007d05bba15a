/**
 * Label text inside Mermaid quotes. Mermaid's own escapes are entity codes (`#quot;`,
 * `#35;`), and `<br>` is its line break; `#` itself is encoded first so a label that
 * happens to contain "#quot;" or "<br>" comes back verbatim.
 */

const ENCODED: Readonly<Record<string, string>> = {
  '"': '#quot;',
  '#': '#35;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  // Not special inside quotes for Mermaid, but hand-written edge labels use `|…|` and `;` ends a statement.
  '|': '#124;',
  ';': '#59;',
  // A leading backtick would make Mermaid read the label as markdown.
  '`': '#96;',
};

const NAMED: Readonly<Record<string, string>> = {
  quot: '"',
  amp: '&',
  lt: '<',
  gt: '>',
  apos: "'",
  num: '#',
  nbsp: '\u00a0',
};

export function encodeMermaidText(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\n') out += '<br>';
    else if (ENCODED[char]) out += ENCODED[char];
    // Control characters and the Unicode line separators would break the line-based syntax.
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += `#${code};`;
    else out += char;
  }
  return out;
}

export function decodeMermaidText(text: string): string {
  return text.replace(/<br\s*\/?>|#(\d{1,7});|#([a-z][a-z0-9]{1,30});/gi, (match, decimal?: string, name?: string) => {
    if (decimal !== undefined) {
      const code = Number(decimal);
      return code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    if (name !== undefined) return NAMED[name.toLowerCase()] ?? match;
    return '\n';
  });
}

/** Metadata comments carry JSON; keep it on one line whatever the strings hold. */
export const oneLineJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
