import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dedupeBy, fuseRankings } from '../../src/domain/fusion.js';
import { bm25, collectionStats, type KeywordDocument, termFrequencies } from '../../src/domain/keywordScore.js';
import { embedOffline } from '../../src/domain/offlineEmbedding.js';
import { terms } from '../../src/domain/terms.js';
import { rankByCosine } from '../../src/domain/vectorMath.js';

/**
 * An in-memory relevance evaluation of the ranking pieces over the committed corpus: each
 * document's body is split into passages, each indexed under the document's title; each
 * query ranks the passages three ways, the passage rankings become document rankings (a document
 * ranks where its best passage does), and recall@5 and MRR are averaged per mode and kind.
 */

export interface CorpusDocument {
  /** The file name without `.md`. */
  id: string;
  title: string;
  body: string;
}

export interface LabelledQuery {
  query: string;
  relevant: string[];
  kind: string;
}

export const MODES = ['VECTOR', 'KEYWORD', 'HYBRID'] as const;
export type Mode = (typeof MODES)[number];

/** How many passages each mode hands on; HYBRID fuses the two lists of this length. */
export const DEPTH = 50;
export const RECALL_AT = 5;

const HERE = new URL('.', import.meta.url);
export const CORPUS_DIR = join(HERE.pathname, 'corpus');
export const QUERIES_FILE = join(HERE.pathname, 'queries.json');

/** The corpus, in file-name order, front matter parsed for its title and stripped. */
export function loadCorpus(dir: string = CORPUS_DIR): CorpusDocument[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
      const title = front ? (/^title:\s*(.*)$/m.exec(front[1]!)?.[1] ?? '').replace(/^(['"])(.*)\1$/, '$2') : '';
      return {
        id: name.slice(0, -'.md'.length),
        title: title.trim(),
        body: front ? text.slice(front[0].length) : text,
      };
    });
}

export function loadQueries(file: string = QUERIES_FILE): LabelledQuery[] {
  return JSON.parse(readFileSync(file, 'utf8')) as LabelledQuery[];
}

/**
 * A stand-in for the real chunker: the text cut at blank lines, empty pieces dropped, and a
 * block that is only headings kept with the block under it (a heading alone is no passage:
 * it says what follows, and a one-line passage matches a query on one word). Swap it for
 * `chunkText` through `evaluate`'s `splitPassages` once that exists.
 */
export function splitPassagesAtBlankLines(text: string): string[] {
  const passages: string[] = [];
  let headings: string[] = [];
  for (const block of text.split(/\r?\n[ \t]*\r?\n/)) {
    const passage = block.trim();
    if (passage === '') continue;
    if (passage.split('\n').every((line) => /^#{1,6}\s/.test(line))) {
      headings.push(passage);
      continue;
    }
    passages.push([...headings, passage].join('\n'));
    headings = [];
  }
  if (headings.length > 0) passages.push(headings.join('\n'));
  return passages;
}

/**
 * A passage as indexed: under its document's title. A passage cut from a document loses what
 * the document is about (`Tendwell`, `persona`); the title puts it back in every passage, for
 * both the keyword and the vector side, as a search engine weights a title field.
 */
export function titledPassage(doc: CorpusDocument, passage: string): string {
  return `${doc.title}\n${passage}`;
}

interface Passage {
  id: string;
  docId: string;
  text: string;
}

export interface QueryResult extends LabelledQuery {
  /** Document ids per mode, best first. */
  ranked: Record<Mode, string[]>;
  recall: Record<Mode, number>;
  reciprocalRank: Record<Mode, number>;
}

export interface Summary {
  queries: number;
  recall: number;
  mrr: number;
}

export interface Report {
  results: QueryResult[];
  /** Per mode: `all` and each query kind. */
  summary: Record<Mode, Record<string, Summary>>;
}

export interface EvaluateOptions {
  splitPassages?: (text: string) => string[];
  /** The text a passage is indexed under; by default `titledPassage`. */
  passageText?: (doc: CorpusDocument, passage: string) => string;
}

export function evaluate(
  corpus: readonly CorpusDocument[],
  queries: readonly LabelledQuery[],
  { splitPassages = splitPassagesAtBlankLines, passageText = titledPassage }: EvaluateOptions = {},
): Report {
  const passages: Passage[] = corpus.flatMap((doc) =>
    splitPassages(doc.body).map((text, n) => ({
      id: `${doc.id}#${n}`,
      docId: doc.id,
      text: passageText(doc, text),
    })),
  );
  const docOf = new Map(passages.map((passage) => [passage.id, passage.docId]));
  const vectors = embedOffline(passages.map((passage) => passage.text));
  const vectorItems = passages.map((passage, i) => ({ id: passage.id, vector: vectors[i]! }));
  const keywordDocs: KeywordDocument[] = passages.map((passage) => ({
    id: passage.id,
    ...termFrequencies(passage.text),
  }));
  const stats = collectionStats(keywordDocs);
  const queryVectors = embedOffline(queries.map((query) => query.query));

  const toDocuments = (ranking: readonly { id: string }[]): string[] =>
    dedupeBy(
      ranking.map((hit) => docOf.get(hit.id)!),
      (docId) => docId,
    );

  const results = queries.map((labelled, q): QueryResult => {
    const vector = rankByCosine(queryVectors[q]!, vectorItems).slice(0, DEPTH);
    const keyword = bm25(terms(labelled.query), keywordDocs, stats).slice(0, DEPTH);
    const hybrid = fuseRankings([vector, keyword]);
    const ranked = { VECTOR: toDocuments(vector), KEYWORD: toDocuments(keyword), HYBRID: toDocuments(hybrid) };
    const relevant = new Set(labelled.relevant);
    const recall = {} as Record<Mode, number>;
    const reciprocalRank = {} as Record<Mode, number>;
    for (const mode of MODES) {
      const top = ranked[mode].slice(0, RECALL_AT);
      recall[mode] = top.filter((id) => relevant.has(id)).length / relevant.size;
      const first = ranked[mode].findIndex((id) => relevant.has(id));
      reciprocalRank[mode] = first < 0 ? 0 : 1 / (first + 1);
    }
    return { ...labelled, ranked, recall, reciprocalRank };
  });

  const kinds = ['all', ...new Set(queries.map((query) => query.kind))];
  const summary = {} as Record<Mode, Record<string, Summary>>;
  for (const mode of MODES) {
    summary[mode] = {};
    for (const kind of kinds) {
      const of = results.filter((result) => kind === 'all' || result.kind === kind);
      const mean = (values: number[]): number =>
        values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
      summary[mode][kind] = {
        queries: of.length,
        recall: mean(of.map((result) => result.recall[mode])),
        mrr: mean(of.map((result) => result.reciprocalRank[mode])),
      };
    }
  }
  return { results, summary };
}

/** The summary as a Markdown table: one row per mode, recall@5 and MRR per kind. */
export function reportTable(report: Report): string {
  const kinds = Object.keys(report.summary.VECTOR);
  const header = `| mode | ${kinds.map((kind) => `${kind} (${report.summary.VECTOR[kind]!.queries}) R@${RECALL_AT} | MRR`).join(' | ')} |`;
  const rule = `|---|${kinds.map(() => '---:|---:').join('|')}|`;
  const rows = MODES.map(
    (mode) =>
      `| ${mode} | ${kinds
        .map((kind) => {
          const { recall, mrr } = report.summary[mode][kind]!;
          return `${recall.toFixed(3)} | ${mrr.toFixed(3)}`;
        })
        .join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}
