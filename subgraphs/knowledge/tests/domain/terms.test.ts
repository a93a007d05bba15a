import { describe, expect, it } from 'vitest';
import { analyse, normalise, stem, terms } from '../../src/domain/terms.js';

describe('terms', () => {
  it('lowercases, drops stop words and stems', () => {
    expect(terms('The Payments were declined by the bank')).toEqual(['payment', 'declin', 'bank']);
  });

  it('gives documents and queries the same terms for different forms of a word', () => {
    expect(terms('notifying')).toEqual(terms('notified'));
    expect(terms('customers')).toEqual(terms('customer'));
    expect(terms('booking')).toEqual(terms('booked'));
    expect(terms('abandonment')).toEqual(terms('abandon'));
  });

  it('keeps identifiers whole and indexes their parts', () => {
    expect(terms('ERR-PAY-402')).toEqual(['err-pay-402', 'err', 'pai', '402']);
    expect(terms('UT-2026-11 findings')).toEqual(['ut-2026-11', 'ut', '2026', '11', 'find']);
    expect(terms('StepperBar v3')).toEqual(['stepperbar', 'stepper', 'bar', 'v3']);
    expect(terms('color.surface.sunken')).toEqual(['color.surface.sunken', 'color', 'surfac', 'sunken']);
  });

  it('finds an identifier by its whole and by a part', () => {
    const doc = terms('See ERR-PAY-402 in the catalogue.');
    for (const term of terms('err-pay-402')) expect(doc).toContain(term);
    expect(doc).toContain(terms('402')[0]);
  });

  it('splits on Unicode letters and digits, folding accents and width', () => {
    expect(terms('Lucía Ferreira')).toEqual(['lucia', 'ferreira']);
    expect(terms('Ｌｕｃｉａ')).toEqual(['lucia']);
    expect(terms('Crème brûlée—Größe; 14:00–15:00')).toEqual(['creme', 'brule', 'große', '14', '00', '15', '00']);
    expect(terms('東京 Москва')).toEqual(['東京', 'москва']);
  });

  it("drops apostrophes and a possessive 's", () => {
    expect(terms("patient's phone")).toEqual(['patient', 'phone']);
    expect(terms("don't won't it's")).toEqual([]);
  });

  it('is deterministic', () => {
    const text = 'Larder payment errors: ERR-PAY-402, retries and the slot picker.';
    expect(terms(text)).toEqual(terms(text));
  });
});

describe('stem', () => {
  it('follows Porter on his own examples', () => {
    const cases: Record<string, string> = {
      caresses: 'caress',
      ponies: 'poni',
      cats: 'cat',
      agreed: 'agre',
      plastered: 'plaster',
      motoring: 'motor',
      sing: 'sing',
      hopping: 'hop',
      filing: 'file',
      falling: 'fall',
      happy: 'happi',
      relational: 'relat',
      conditional: 'condit',
      generalizations: 'gener',
      effective: 'effect',
      adjustment: 'adjust',
      adoption: 'adopt',
      controll: 'control',
      yelling: 'yell',
    };
    for (const [word, expected] of Object.entries(cases)) expect(stem(word)).toBe(expected);
  });

  it('leaves numbers, short words and other scripts alone', () => {
    expect(stem('402')).toBe('402');
    expect(stem('v3')).toBe('v3');
    expect(stem('is')).toBe('is');
    expect(stem('москва')).toBe('москва');
  });
});

describe('analyse', () => {
  it('reports words with offsets into the text as written', () => {
    const text = 'Use ERR-PAY-402 now';
    const [use, code, now] = analyse(text);
    expect(text.slice(use!.start, use!.end)).toBe('Use');
    expect(text.slice(code!.start, code!.end)).toBe('ERR-PAY-402');
    expect(code!.whole).toBe('err-pay-402');
    expect(
      code!.parts.map((part) => text.slice(code!.start + part.offset, code!.start + part.offset + part.length)),
    ).toEqual(['ERR', 'PAY', '402']);
    // A stop word is still a word, with nothing to match.
    expect(now!.parts).toEqual([]);
  });

  it('normalises without changing what the offsets point at', () => {
    expect(normalise('Lucía’s')).toBe('lucia');
  });
});
