import { describe, expect, it } from 'vitest';
import { evaluate, loadCorpus, loadQueries, MODES, reportTable } from '../relevance/evaluate.js';

describe('relevance over the committed corpus', () => {
  const corpus = loadCorpus();
  const queries = loadQueries();

  it('loads every document and query, each relevant id a document', () => {
    expect(corpus).toHaveLength(72);
    expect(queries).toHaveLength(76);
    const ids = new Set(corpus.map((doc) => doc.id));
    for (const query of queries) for (const id of query.relevant) expect(ids).toContain(id);
    for (const doc of corpus) {
      expect(doc.title).not.toBe('');
      expect(doc.body.startsWith('---')).toBe(false);
    }
  });

  it('evaluates every query in every mode, with measures between 0 and 1', () => {
    const report = evaluate(corpus, queries);
    console.log(`\n${reportTable(report)}\n`);
    expect(report.results).toHaveLength(queries.length);
    for (const mode of MODES) {
      expect(report.summary[mode]['all']!.queries).toBe(queries.length);
      for (const { recall, mrr } of Object.values(report.summary[mode])) {
        for (const value of [recall, mrr]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
      }
      for (const result of report.results) {
        expect(result.ranked[mode].length).toBeGreaterThan(0);
        expect(new Set(result.ranked[mode]).size).toBe(result.ranked[mode].length);
      }
    }
  });
});
