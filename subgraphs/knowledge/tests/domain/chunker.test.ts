import { describe, expect, it } from 'vitest';
import { chunkText, type Chunk, type ChunkOptions } from '../../src/domain/chunker.js';
import { KnowledgeFormat, toDocumentText } from '../../src/domain/documentText.js';
import { countTokens } from '../../src/domain/tokens.js';
import { corpus } from './corpus.js';

const OPTIONS: ChunkOptions[] = [{}, { maxTokens: 64, overlapTokens: 16 }, { maxTokens: 24, overlapTokens: 6 }];

/** What holds for every chunk of every text: exact offsets, exact counts within the budget, order. */
function expectSound(text: string, chunks: Chunk[], maxTokens = 256) {
  chunks.forEach((chunk, index) => {
    expect(chunk.index).toBe(index);
    expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
    expect(chunk.text.trim()).toBe(chunk.text);
    expect(chunk.text).not.toBe('');
    expect(chunk.tokens).toBe(countTokens(chunk.text));
    expect(chunk.tokens).toBeLessThanOrEqual(maxTokens);
    const before = chunks[index - 1];
    if (before) {
      expect(chunk.start).toBeGreaterThan(before.start);
      expect(chunk.end).toBeGreaterThan(before.end);
    }
  });
}

/** The text no chunk covers, line by line, blank lines left out. */
function uncovered(text: string, chunks: Chunk[]): string[] {
  const covered = new Uint8Array(text.length);
  for (const chunk of chunks) covered.fill(1, chunk.start, chunk.end);
  let rest = '';
  for (let at = 0; at < text.length; at += 1) rest += covered[at] ? '\n' : text[at];
  return rest
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The overlap of two chunks, as text. */
const overlap = (text: string, before: Chunk, after: Chunk) =>
  text.slice(after.start, Math.max(after.start, before.end));

const sentence = (n: number) =>
  `Sentence number ${n} says something about checkout flows, delivery slots and error messages.`;
const paragraph = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => sentence(from + index)).join(' ');

describe('chunkText: basics', () => {
  it('gives no chunks for empty or blank text', () => {
    expect(chunkText('')).toEqual([]);
    expect(chunkText(' \n\n\t \n')).toEqual([]);
  });

  it('keeps a short text as one chunk', () => {
    const text = '\n\nHello world. This is short.  \n';
    expect(chunkText(text)).toEqual([
      { index: 0, text: 'Hello world. This is short.', headingPath: [], start: 2, end: 29, tokens: 7 },
    ]);
  });

  it('refuses options it cannot honour', () => {
    for (const options of [
      { maxTokens: 0 },
      { maxTokens: 3 },
      { maxTokens: 2.5 },
      { maxTokens: Number.NaN },
      { overlapTokens: -1 },
      { overlapTokens: 1.5 },
      { maxTokens: 64, overlapTokens: 33 },
    ]) {
      expect(() => chunkText('text', options)).toThrow(RangeError);
    }
    expect(() => chunkText('text', { maxTokens: 4, overlapTokens: 2 })).not.toThrow();
  });
});

describe('chunkText: sections and heading paths', () => {
  const text = [
    'Preamble before any heading.',
    '# Title',
    'Intro under the title.',
    '## Sub ##',
    'Text under sub.',
    '### Deeper',
    'Text under deeper.',
    '## Sibling',
    'Text under sibling.',
    '#### Skipped levels',
    'Text four levels down.',
    '# Second title',
    'Text under the second title.',
    '#not-a-heading and ####### not one either',
  ].join('\n\n');

  it('gives each chunk the path of headings it sits under', () => {
    const chunks = chunkText(text);
    expectSound(text, chunks);
    expect(chunks.map((chunk) => [chunk.headingPath, chunk.text])).toEqual([
      [[], 'Preamble before any heading.'],
      [['Title'], '# Title\n\nIntro under the title.'],
      [['Title', 'Sub'], '## Sub ##\n\nText under sub.'],
      [['Title', 'Sub', 'Deeper'], '### Deeper\n\nText under deeper.'],
      [['Title', 'Sibling'], '## Sibling\n\nText under sibling.'],
      [['Title', 'Sibling', 'Skipped levels'], '#### Skipped levels\n\nText four levels down.'],
      [['Second title'], '# Second title\n\nText under the second title.\n\n#not-a-heading and ####### not one either'],
    ]);
  });

  it('never lets a chunk span two sections, and starts each section’s first chunk with its heading', () => {
    const long = `# One\n\n${paragraph(0, 12)}\n\n## Two\n\n${paragraph(100, 12)}\n\n# Three\n\n${paragraph(200, 3)}`;
    const chunks = chunkText(long, { maxTokens: 64, overlapTokens: 16 });
    expectSound(long, chunks, 64);
    for (const chunk of chunks) {
      // A heading line only ever opens a chunk.
      for (const line of chunk.text.split('\n').slice(1)) expect(line).not.toMatch(/^#{1,6} /);
    }
    const firsts = chunks.filter(
      (chunk, index) => chunk.headingPath.join('/') !== chunks[index - 1]?.headingPath.join('/'),
    );
    expect(firsts.map((chunk) => chunk.text.split('\n')[0])).toEqual(['# One', '## Two', '# Three']);
    // No overlap reaches back into the previous section.
    chunks.forEach((chunk, index) => {
      const before = chunks[index - 1];
      if (before && firsts.includes(chunk)) expect(chunk.start).toBeGreaterThanOrEqual(before.end);
    });
  });

  it('leaves out a bare heading whose subsections follow: their paths carry it', () => {
    const chunks = chunkText('# Guide\n\n## 1. Perceivable\n\n### Colour\n\nContrast is 4.5:1.');
    expect(chunks.map((chunk) => [chunk.headingPath, chunk.text])).toEqual([
      [['Guide', '1. Perceivable', 'Colour'], '### Colour\n\nContrast is 4.5:1.'],
    ]);
  });

  it('keeps a bare heading that nothing nests under', () => {
    expect(chunkText('# Only a title').map((chunk) => chunk.text)).toEqual(['# Only a title']);
    const chunks = chunkText('## Empty\n\n## Full\n\nText.');
    expect(chunks.map((chunk) => [chunk.headingPath, chunk.text])).toEqual([
      [['Empty'], '## Empty'],
      [['Full'], '## Full\n\nText.'],
    ]);
  });

  it('reads no heading inside a fenced code block, and keeps the block whole', () => {
    const code = '```sh\n# install\nnpm ci\n\n\n# test\nnpm test\n```';
    const text = `# Setup\n\nRun this:\n\n${code}\n\nThen done.`;
    const chunks = chunkText(text);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.headingPath).toEqual(['Setup']);
    const small = chunkText(text, { maxTokens: 24, overlapTokens: 0 });
    expectSound(text, small, 24);
    expect(small.length).toBeGreaterThan(1);
    expect(small.some((chunk) => chunk.text.includes(code))).toBe(true);
    expect(small.every((chunk) => chunk.headingPath.join() === 'Setup')).toBe(true);
  });

  it('reads the headings of converted HTML', () => {
    const text = toDocumentText(
      '<h1>Help</h1><p>Intro.</p><h2>Billing</h2><p>Invoices.</p><script>alert(1)</script>',
      KnowledgeFormat.HTML,
    );
    expect(chunkText(text).map((chunk) => chunk.headingPath)).toEqual([['Help'], ['Help', 'Billing']]);
  });
});

describe('chunkText: packing and cutting', () => {
  it('packs whole paragraphs and list items, never cutting one that fits', () => {
    const blocks = [
      paragraph(0, 2),
      `- ${sentence(10)}`,
      `- ${sentence(11)}`,
      `1. ${sentence(12)}`,
      paragraph(20, 3),
      paragraph(30, 1),
    ];
    const text = blocks.join('\n\n').replace(`\n\n- ${sentence(11)}`, `\n- ${sentence(11)}`);
    const chunks = chunkText(text, { maxTokens: 64, overlapTokens: 0 });
    expectSound(text, chunks, 64);
    expect(chunks.length).toBeGreaterThan(2);
    for (const block of blocks) {
      if (countTokens(block) <= 64) expect(chunks.some((chunk) => chunk.text.includes(block))).toBe(true);
    }
    // Without overlap the chunks tile the text.
    expect(uncovered(text, chunks)).toEqual([]);
  });

  it('cuts a paragraph larger than a chunk at sentence ends', () => {
    const text = paragraph(0, 20);
    const chunks = chunkText(text, { maxTokens: 64, overlapTokens: 0 });
    expectSound(text, chunks, 64);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text).toMatch(/^Sentence number \d+/);
      expect(chunk.text).toMatch(/messages\.$/);
    }
  });

  it('cuts a table or code block larger than a chunk at line ends', () => {
    const rows = Array.from({ length: 40 }, (_, index) => `| row ${index} | value ${index * 7} | note |`);
    const table = ['| name | value | note |', '| --- | --- | --- |', ...rows].join('\n');
    const chunks = chunkText(table, { maxTokens: 40, overlapTokens: 0 });
    expectSound(table, chunks, 40);
    for (const chunk of chunks) {
      expect(chunk.text.startsWith('|')).toBe(true);
      expect(chunk.text.endsWith('|')).toBe(true);
    }
  });

  it('cuts a sentence larger than a chunk at word ends', () => {
    const words = Array.from({ length: 300 }, (_, index) => `word${index}`).join(' ');
    const chunks = chunkText(words, { maxTokens: 32, overlapTokens: 0 });
    expectSound(words, chunks, 32);
    for (const chunk of chunks) {
      expect(chunk.text).toMatch(/^word\d+/);
      expect([' ', undefined]).toContain(words[chunk.end]);
    }
  });

  it('cuts a word larger than a chunk between its tokens, so no chunk is ever over budget', () => {
    const word = 'x'.repeat(3000);
    const chunks = chunkText(`Before. ${word} after.`, { maxTokens: 16, overlapTokens: 0 });
    expectSound(`Before. ${word} after.`, chunks, 16);
    expect(chunks.some((chunk) => chunk.tokens === 16)).toBe(true);
    expect(
      chunks
        .map((chunk) => chunk.text)
        .join('')
        .replace(/\s/g, ''),
    ).toBe(`Before.${word}after.`);
    // Emoji are several tokens each; a chunk of four tokens still holds whole code points.
    const emoji = '😀🎉👍🏽'.repeat(20);
    const tiny = chunkText(emoji, { maxTokens: 4, overlapTokens: 0 });
    expectSound(emoji, tiny, 4);
    for (const chunk of tiny) expect(chunk.text).not.toMatch(/[\ud800-\udfff]/u);
    expect(tiny.map((chunk) => chunk.text).join('')).toBe(emoji);
  });

  it('cuts text without spaces at its sentence ends', () => {
    const text = '日本語のテキストは空白なしで書かれます。'.repeat(40);
    const chunks = chunkText(text, { maxTokens: 64, overlapTokens: 0 });
    expectSound(text, chunks, 64);
    for (const chunk of chunks) expect(chunk.text.endsWith('。')).toBe(true);
  });
});

describe('chunkText: overlap', () => {
  const text = `# Section\n\n${paragraph(0, 30)}`;

  it('starts each chunk of a section with whole sentences from the end of the one before', () => {
    const chunks = chunkText(text, { maxTokens: 64, overlapTokens: 24 });
    expectSound(text, chunks, 64);
    expect(chunks.length).toBeGreaterThan(5);
    chunks.forEach((chunk, index) => {
      const before = chunks[index - 1];
      if (!before) return;
      const shared = overlap(text, before, chunk);
      expect(shared).not.toBe('');
      expect(countTokens(shared)).toBeLessThanOrEqual(24);
      expect(shared).toMatch(/^Sentence number \d+/);
      expect(before.text.endsWith(shared)).toBe(true);
    });
  });

  it('falls back to whole words when a sentence is longer than the overlap', () => {
    const long = Array.from({ length: 200 }, (_, index) => `term${index}`).join(' ');
    const chunks = chunkText(long, { maxTokens: 48, overlapTokens: 12 });
    expectSound(long, chunks, 48);
    chunks.forEach((chunk, index) => {
      const before = chunks[index - 1];
      if (!before) return;
      const shared = overlap(long, before, chunk);
      expect(countTokens(shared)).toBeGreaterThan(0);
      expect(countTokens(shared)).toBeLessThanOrEqual(12);
      expect(long[chunk.start - 1]).toBe(' ');
    });
  });

  it('has none when overlapTokens is 0', () => {
    const chunks = chunkText(text, { maxTokens: 64, overlapTokens: 0 });
    chunks.forEach((chunk, index) => {
      const before = chunks[index - 1];
      if (before) expect(chunk.start).toBeGreaterThanOrEqual(before.end);
    });
    expect(uncovered(text, chunks)).toEqual([]);
  });
});

describe('chunkText: the corpus', () => {
  it.each(OPTIONS)('keeps every invariant on every document (%o)', (options) => {
    for (const { name, text } of corpus) {
      const chunks = chunkText(text, options);
      expect(chunks.length, name).toBeGreaterThan(0);
      expectSound(text, chunks, options.maxTokens);
      // All text is in some chunk but the bare headings whose subsections carry them.
      for (const line of uncovered(text, chunks)) expect(line, name).toMatch(/^#{1,6} /);
      // Consecutive chunks of a section overlap, by at most the overlap.
      chunks.forEach((chunk, index) => {
        const before = chunks[index - 1];
        if (!before || before.end <= chunk.start) return;
        expect(chunk.headingPath).toEqual(before.headingPath);
        expect(countTokens(overlap(text, before, chunk))).toBeLessThanOrEqual(options.overlapTokens ?? 32);
      });
    }
  });

  it('overlaps nearly every pair of chunks in a section', () => {
    let pairs = 0;
    let overlapping = 0;
    for (const { text } of corpus) {
      // Most of the corpus's sections fit in 256 tokens: a smaller budget makes pairs to compare.
      const chunks = chunkText(text, { maxTokens: 96, overlapTokens: 24 });
      chunks.forEach((chunk, index) => {
        const before = chunks[index - 1];
        if (!before || before.headingPath.join('/') !== chunk.headingPath.join('/')) return;
        pairs += 1;
        if (chunk.start < before.end) overlapping += 1;
      });
    }
    expect(pairs).toBeGreaterThan(20);
    expect(overlapping / pairs).toBeGreaterThan(0.9);
  });

  it('is deterministic', () => {
    const [first, second] = corpus;
    const once = chunkText(first?.text ?? '');
    chunkText(second?.text ?? '', { maxTokens: 24, overlapTokens: 6 });
    expect(chunkText(first?.text ?? '')).toEqual(once);
  });

  it('chunks a megabyte of text, every chunk sound', () => {
    // The corpus over and over, each copy numbered so the text does not simply repeat.
    let text = '';
    for (let copy = 0; text.length < 1_048_576; copy += 1) {
      for (const { text: document } of corpus) text += `# Copy ${copy}\n\n${document}\n\n`;
    }
    text = text.slice(0, 1_048_576);
    const chunks = chunkText(text);
    expect(chunks.length).toBeGreaterThan(2000);
    expectSound(text, chunks);
  });
});
