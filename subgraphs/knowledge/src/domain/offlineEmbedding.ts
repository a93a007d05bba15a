import { analyse } from './terms.js';

/**
 * An embedding that needs no model, no download and no network: feature hashing of what
 * the analyser sees. Each text becomes a bag of features:
 *
 * - its terms, stemmed as the keyword side stems them (`payments` → `payment`);
 * - the character 3- and 4-grams of each word with boundary markers (`<pay`, `ymen`, `nts>`),
 *   which still meet when spellings or forms differ (`colour`/`color`, `notify`/`notification`);
 * - pairs of adjacent terms (once stop words are gone), which reward a phrase over its words
 *   scattered.
 *
 * Every feature is hashed (FNV-1a, then murmur3's finaliser) to one of `dimension` slots and
 * a sign, weighted 1 + ln(tf). Each family is normalised on its own and given a fixed share of
 * the vector, so long words' many n-grams do not drown the terms; the sum is normalised to
 * length 1, so a dot product is the cosine.
 *
 * It is lexical, not semantic. Two texts are near when they share words, word stems or
 * pieces of words; synonyms and paraphrases (`cart` vs `basket`, `doctor` vs `clinician`) are
 * as far apart as unrelated words. It stands in for a real model offline and in tests; a
 * vector search over it is a fuzzy keyword search, not a semantic one.
 */
export const OFFLINE_EMBEDDING = { model: 'offline-hash-v1', dimension: 384 } as const;

/** Each family's share of the squared norm: terms carry the meaning, n-grams and pairs refine it. */
const SHARE = { term: 0.5, gram: 0.3, pair: 0.2 } as const;

// Distinct starting states keep the families' features apart before they share slots.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEED = { term: fnv(FNV_OFFSET, 't'), gram: fnv(FNV_OFFSET, 'g'), pair: fnv(FNV_OFFSET, 'p') } as const;
const BEGIN = 0x3c; // '<'
const END = 0x3e; // '>'
const SEPARATOR = 0x20;

/** One unit vector of `OFFLINE_EMBEDDING.dimension` numbers per text, in order. */
export function embedOffline(texts: readonly string[]): number[][] {
  return texts.map(embedOne);
}

function embedOne(text: string): number[] {
  const terms = TABLES.term.reset();
  const grams = TABLES.gram.reset();
  const pairs = TABLES.pair.reset();
  let previous: number | undefined;
  for (const word of analyse(text)) {
    if (word.whole !== undefined) terms.add(finish(fnv(SEED.term, word.whole)));
    for (const { term, form } of word.parts) {
      terms.add(finish(fnv(SEED.term, term)));
      // A pair: the previous term's hash state, carried on over a separator and this term.
      if (previous !== undefined) pairs.add(finish(fnv(fnvCode(previous, SEPARATOR), term)));
      previous = fnv(SEED.pair, term);
      countGrams(grams, form);
    }
  }
  const { dimension } = OFFLINE_EMBEDDING;
  const vector = new Float64Array(dimension);
  addFamily(vector, terms, SHARE.term);
  addFamily(vector, grams, SHARE.gram);
  addFamily(vector, pairs, SHARE.pair);
  let squares = 0;
  for (const x of vector) squares += x * x;
  const scale = squares === 0 ? 0 : 1 / Math.sqrt(squares);
  return Array.from(vector, (x) => x * scale);
}

/**
 * Counts of 32-bit feature hashes: open addressing over typed arrays, cleared in O(1) by a
 * new generation. A Map did the same at a third of the speed. The hashes are already mixed,
 * so their low bits make a good slot.
 */
class HashCounts {
  private keys = new Uint32Array(1024);
  private counts = new Uint32Array(1024);
  private stamps = new Uint32Array(1024);
  private generation = 0;
  /** The occupied slots, in insertion order, so reading the counts is deterministic and quick. */
  private used: number[] = [];

  reset(): this {
    // After 2^32 - 1 texts the stamps would repeat: start them over.
    if (this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 0;
    }
    this.generation++;
    this.used = [];
    return this;
  }

  add(hash: number): void {
    const mask = this.keys.length - 1;
    let slot = hash & mask;
    while (this.stamps[slot] === this.generation) {
      if (this.keys[slot] === hash) {
        this.counts[slot]!++;
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.stamps[slot] = this.generation;
    this.keys[slot] = hash;
    this.counts[slot] = 1;
    this.used.push(slot);
    if (this.used.length * 2 > this.keys.length) this.grow();
  }

  forEach(visit: (hash: number, count: number) => void): void {
    for (const slot of this.used) visit(this.keys[slot]!, this.counts[slot]!);
  }

  get size(): number {
    return this.used.length;
  }

  /** Doubles the table, keeping it at most half full. */
  private grow(): void {
    const entries = this.used.map((slot) => [this.keys[slot]!, this.counts[slot]!] as const);
    const capacity = this.keys.length * 2;
    this.keys = new Uint32Array(capacity);
    this.counts = new Uint32Array(capacity);
    this.stamps = new Uint32Array(capacity);
    this.generation = 1;
    this.used = [];
    for (const [hash, tally] of entries) {
      this.add(hash);
      this.counts[this.used[this.used.length - 1]!] = tally;
    }
  }
}

// Scratch tables, reused: embedding is synchronous, so one text at a time uses them.
const TABLES = { term: new HashCounts(), gram: new HashCounts(), pair: new HashCounts() } as const;

// A word's n-grams cost a dozen hashes; words repeat, so keep their hashes.
const gramCache = new Map<string, Uint32Array>();
const GRAM_CACHE_LIMIT = 100_000;

function countGrams(grams: HashCounts, form: string): void {
  let hashes = gramCache.get(form);
  if (hashes === undefined) {
    hashes = gramHashes(form);
    if (gramCache.size >= GRAM_CACHE_LIMIT) gramCache.clear();
    gramCache.set(form, hashes);
  }
  for (const hash of hashes) grams.add(hash);
}

/** The 3- and 4-grams of `<form>`, hashed from the code units without building substrings. */
function gramHashes(form: string): Uint32Array {
  const padded = form.length + 2;
  const unit = (i: number): number => (i === 0 ? BEGIN : i === padded - 1 ? END : form.charCodeAt(i - 1));
  const hashes: number[] = [];
  for (let n = 3; n <= 4; n++) {
    for (let start = 0; start + n <= padded; start++) {
      let state = SEED.gram;
      for (let i = start; i < start + n; i++) state = fnvCode(state, unit(i));
      hashes.push(finish(state));
    }
  }
  return Uint32Array.from(hashes);
}

/** Adds one family, normalised and scaled to its share, to the sum. */
function addFamily(vector: Float64Array, counts: HashCounts, share: number): void {
  if (counts.size === 0) return;
  const family = new Float64Array(vector.length);
  counts.forEach((hash, tf) => {
    // Low bit: the sign, so collisions cancel on average rather than pile up; the rest: the slot.
    family[(hash >>> 1) % vector.length]! += (hash & 1 ? -1 : 1) * (1 + Math.log(tf));
  });
  let squares = 0;
  for (const x of family) squares += x * x;
  if (squares === 0) return;
  const scale = Math.sqrt(share / squares);
  for (let i = 0; i < vector.length; i++) vector[i]! += family[i]! * scale;
}

function fnvCode(state: number, code: number): number {
  return Math.imul(state ^ code, FNV_PRIME) >>> 0;
}

/** FNV-1a over the UTF-16 code units of `text`, continuing from `state`. */
function fnv(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i++) h = fnvCode(h, text.charCodeAt(i));
  return h;
}

/** murmur3's 32-bit finaliser: FNV's low bits mix poorly, and the slot and sign come from them. */
function finish(state: number): number {
  let h = state;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
