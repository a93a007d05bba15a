import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import { describe, expect, it } from 'vitest';
import { countTokens, tokenPieces, type TokenPiece } from '../../src/domain/tokens.js';
import { corpus } from './corpus.js';

// The library's own encoder, to compare with: what the embedding model would be sent.
const reference = new Tiktoken(cl100kBase);
const encoded = (text: string) => reference.encode(text, [], []).length;

/** Pieces cover the text end to end, in order, and add up to its count. */
function expectCover(text: string, pieces: TokenPiece[]) {
  let at = 0;
  for (const piece of pieces) {
    expect(piece.start).toBe(at);
    expect(piece.end).toBeGreaterThan(piece.start);
    at = piece.end;
  }
  expect(at).toBe(text.length);
  expect(pieces.reduce((sum, piece) => sum + piece.tokens, 0)).toBe(countTokens(text));
}

describe('countTokens', () => {
  it('counts cl100k_base tokens', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens('   \n\n\t')).toBe(encoded('   \n\n\t'));
  });

  it('agrees with the library on every corpus document', () => {
    expect(corpus.length).toBeGreaterThan(50);
    for (const { text } of corpus) expect(countTokens(text)).toBe(encoded(text));
  });

  it('agrees on other scripts, emoji and code', () => {
    for (const text of [
      '日本語のテキストは空白なしで書かれます。中文也是这样。',
      'Ünïcödé façade — naïve café 😀👍🏽 👨‍👩‍👧‍👦',
      'function f(a, b) {\n    return a <= b ? a : b; // min\n}\n',
      'https://example.com/a/very/long/path?query=value&other=1#fragment',
    ]) {
      expect(countTokens(text)).toBe(encoded(text));
    }
  });

  it('reads special tokens as plain text instead of refusing them', () => {
    const text = 'before <|endoftext|> after <|fim_prefix|>';
    expect(countTokens(text)).toBe(encoded(text));
    expect(countTokens(text)).toBeGreaterThan(8);
  });

  it('counts a long run without spaces close to the exact count, in slices', () => {
    const word = Array.from({ length: 300 }, (_, index) => 'abcdefghijklmnopqrstuvwxyz'[(index * 7) % 26]).join('');
    expect(Math.abs(countTokens(word) - encoded(word))).toBeLessThanOrEqual(encoded(word) * 0.1);
    // The library alone would be quadratic here; sliced, this is quick.
    expect(countTokens('a'.repeat(500_000))).toBeGreaterThan(0);
  });
});

describe('tokenPieces', () => {
  it('cuts the text end to end, adding up to its count', () => {
    for (const { text } of corpus.slice(0, 10)) expectCover(text, tokenPieces(text));
    expect(tokenPieces('')).toEqual([]);
  });

  it('keeps long pieces short without splitting a surrogate pair', () => {
    const text = `x${'😀'.repeat(300)}${'y'.repeat(300)}`;
    const pieces = tokenPieces(text);
    expectCover(text, pieces);
    for (const piece of pieces) {
      expect(piece.end - piece.start).toBeLessThanOrEqual(128);
      expect(text.slice(piece.start, piece.end)).not.toMatch(/[\ud800-\udfff]/u);
    }
  });

  it('gives the same answer every time', () => {
    const text = corpus[0]?.text ?? '';
    expect(tokenPieces(text)).toEqual(tokenPieces(text));
  });
});
