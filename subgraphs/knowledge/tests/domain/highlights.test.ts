import { describe, expect, it } from 'vitest';
import { highlights } from '../../src/domain/highlights.js';
import { terms } from '../../src/domain/terms.js';

const marked = (text: string, query: string, max?: number): string[] =>
  highlights(text, terms(query), max === undefined ? {} : { max }).map(({ start, end }) => text.slice(start, end));

describe('highlights', () => {
  it('marks the words whose terms match, whatever their form', () => {
    const text = 'Customers were notified when payments failed.';
    expect(marked(text, 'payment notify customer')).toEqual(['Customers', 'notified', 'payments']);
    const [range] = highlights(text, terms('payment'));
    expect(range).toEqual({ start: 29, end: 37 });
  });

  it('merges adjacent matches into one range, but not across punctuation', () => {
    expect(marked('Show the delivery fee early. Fees matter.', 'delivery fees')).toEqual(['delivery fee', 'Fees']);
  });

  it('marks an identifier whole, or only the parts a query names', () => {
    const text = 'ERR-PAY-402 and ERR-PAY-401 differ.';
    expect(marked(text, 'err-pay-402')).toEqual(['ERR-PAY-402', 'ERR-PAY']);
    expect(marked(text, '401')).toEqual(['401']);
  });

  it('counts offsets in UTF-16 code units', () => {
    const text = '🙂 Lucía’s family — Lucia again';
    expect(marked(text, 'lucia')).toEqual(['Lucía’s', 'Lucia']);
    expect(highlights(text, terms('lucia'))[0]).toEqual({ start: 3, end: 10 });
  });

  it('stops at max, ten by default', () => {
    const text = Array.from({ length: 15 }, () => 'slot, ').join('');
    expect(highlights(text, terms('slot'))).toHaveLength(10);
    expect(marked(text, 'slot', 3)).toEqual(['slot', 'slot', 'slot']);
    expect(highlights(text, terms('slot'), { max: 0 })).toEqual([]);
  });

  it('marks nothing for no query terms or stop words', () => {
    expect(highlights('The slot picker', [])).toEqual([]);
    expect(marked('The slot picker', 'the')).toEqual([]);
  });
});
