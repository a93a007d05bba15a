/**
 * The keyword side's analyser: text in, index terms out. Documents and queries go through
 * the same function, so whatever it folds together (case, accents, word forms) folds on
 * both sides alike.
 *
 * A word is a run of letters and digits. Identifiers hold together across `-`, `_` and `.`
 * (`ERR-PAY-402`, `color.surface.sunken`) and camelCase joins its parts (`StepperBar`); such a
 * compound yields its whole, unstemmed, and then each part, so both `err-pay-402` and `402`
 * find it. Parts lose English stop words and are stemmed (Porter, below). Letters are folded
 * to lower case without accents, so `Lucía` and `Lucia` meet.
 */

/** One analysed part of a word: where it sits in the word, its normalised form and its term. */
export interface WordPart {
  /** Offset from the word's start, and length, in UTF-16 code units. */
  offset: number;
  length: number;
  /** Lower case, accents folded, apostrophes gone; not stemmed. */
  form: string;
  term: string;
}

/** How one written word analyses, wherever it occurs. */
export interface WordAnalysis {
  /** The compound's whole (`err-pay-402`, `stepperbar`), when the word has more than one part. */
  readonly whole?: string;
  /** The parts that are not stop words, in order. */
  readonly parts: readonly Readonly<WordPart>[];
}

/** One word of a text, with offsets in UTF-16 code units (end exclusive). */
export interface AnalysedWord extends WordAnalysis {
  start: number;
  end: number;
}

// Letters, marks and digits; apostrophes only inside letters (don't, patient's).
const PIECE = String.raw`[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*`;
const WORD = new RegExp(String.raw`${PIECE}(?:[-_.]${PIECE})*`, 'gu');
const JOINER = /[-_.]/gu;
// lowerUpper (stepperBar) or UPPERUpperlower (HTMLParser): where camelCase starts a part.
const CAMEL = /(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;

/**
 * A small English stop list: function words that match nearly every document and rank
 * nothing. Apostrophes are already gone when it is consulted, hence `dont`, `its`.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between ' +
    'both but by can could did do does doing down during each few for from further had has have having he her ' +
    'here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not ' +
    'now of off on once only or other our ours ourselves out over own same she should so some such than that the ' +
    'their theirs them themselves then there these they this those through to too under until up very was we ' +
    'were what when where which while who whom why will with would you your yours yourself yourselves ' +
    'aren cant couldnt didnt doesnt dont hadnt hasnt havent im isnt ive lets shes shouldnt thats theres theyre ' +
    'theyve wasnt weve whats wont wouldnt youd youll youre youve'
  ).split(' '),
);

/** Lower case, accents and compatibility forms folded (`Ｌｕｃíａ` → `lucia`), apostrophes and a possessive `'s` dropped. */
export function normalise(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s$/u, '')
    .replace(/['’]/gu, '');
}

/** The terms of a piece of text, in order: for a compound, its whole then its parts. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of analyse(text)) {
    if (word.whole !== undefined) out.push(word.whole);
    for (const part of word.parts) out.push(part.term);
  }
  return out;
}

/**
 * Every word of `text` with its offsets. Words that are only stop words come back with no
 * parts and no whole, so callers that need positions (highlights) see the text as written.
 */
export function analyse(text: string): AnalysedWord[] {
  const words: AnalysedWord[] = [];
  for (const match of text.matchAll(WORD)) {
    const { whole, parts } = analyseWord(match[0]);
    const start = match.index;
    const end = start + match[0].length;
    words.push(whole === undefined ? { start, end, parts } : { start, end, whole, parts });
  }
  return words;
}

// Analysing a word is the costly step and vocabularies are small: remember recent words.
// The answers are shared, hence read-only.
const wordCache = new Map<string, WordAnalysis>();
const WORD_CACHE_LIMIT = 100_000;

/** How one word (a match of the word pattern) analyses; the same word always gives the same answer. */
function analyseWord(raw: string): WordAnalysis {
  let analysis = wordCache.get(raw);
  if (analysis === undefined) {
    analysis = analyseUncached(raw);
    if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
    wordCache.set(raw, analysis);
  }
  return analysis;
}

function analyseUncached(raw: string): WordAnalysis {
  const pieces = splitPieces(raw);
  const parts: WordPart[] = [];
  for (const piece of pieces) {
    const form = normalise(piece.text);
    if (form === '' || STOP_WORDS.has(form)) continue;
    parts.push({ offset: piece.offset, length: piece.text.length, form, term: stem(form) });
  }
  if (pieces.length === 1) return { parts };
  return { whole: normalise(raw.replace(/['’]s(?=$|[-_.])/gu, '')), parts };
}

/** A word's pieces: split at joiners, then at camelCase boundaries. */
function splitPieces(raw: string): { text: string; offset: number }[] {
  const pieces: { text: string; offset: number }[] = [];
  let from = 0;
  const push = (segment: string, at: number): void => {
    let cursor = at;
    for (const piece of segment.split(CAMEL)) {
      pieces.push({ text: piece, offset: cursor });
      cursor += piece.length;
    }
  };
  for (const joiner of raw.matchAll(JOINER)) {
    push(raw.slice(from, joiner.index), from);
    from = joiner.index + 1;
  }
  push(raw.slice(from), from);
  return pieces;
}

/** The Porter stem of a lower-case ASCII word; any other word (digits, other scripts) is its own stem. */
export function stem(word: string): string {
  if (word.length < 3 || !/^[a-z]+$/.test(word)) return word;
  return porter(word);
}

// Porter (1980), "An algorithm for suffix stripping", after the author's reference
// implementation. m is the number of vowel–consonant sequences in a stem; a leading y is a
// consonant (written Y while the steps run).
const C = '[^aeiou][^aeiouy]*';
const V = '[aeiouy][aeiou]*';
const M_GT_0 = new RegExp(`^(${C})?${V}${C}`);
const M_EQ_1 = new RegExp(`^(${C})?${V}${C}(${V})?$`);
const M_GT_1 = new RegExp(`^(${C})?${V}${C}${V}${C}`);
const HAS_VOWEL = new RegExp(`^(${C})?[aeiouy]`);
const CVC = new RegExp(`^${C}[aeiouy][^aeiouwxy]$`);

const STEP2: Record<string, string> = {
  ational: 'ate',
  tional: 'tion',
  enci: 'ence',
  anci: 'ance',
  izer: 'ize',
  bli: 'ble',
  alli: 'al',
  entli: 'ent',
  eli: 'e',
  ousli: 'ous',
  ization: 'ize',
  ation: 'ate',
  ator: 'ate',
  alism: 'al',
  iveness: 'ive',
  fulness: 'ful',
  ousness: 'ous',
  aliti: 'al',
  iviti: 'ive',
  biliti: 'ble',
  logi: 'log',
};
const STEP3: Record<string, string> = {
  icate: 'ic',
  ative: '',
  alize: 'al',
  iciti: 'ic',
  ical: 'ic',
  ful: '',
  ness: '',
};
const STEP2_SUFFIX = new RegExp(`^(.+?)(${Object.keys(STEP2).join('|')})$`);
const STEP3_SUFFIX = new RegExp(`^(.+?)(${Object.keys(STEP3).join('|')})$`);
const STEP4_SUFFIX = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;

function porter(input: string): string {
  let w = input[0] === 'y' ? `Y${input.slice(1)}` : input;
  let m: RegExpExecArray | null;

  // 1a: plurals.
  if ((m = /^(.+?)(ss|i)es$/.exec(w))) w = m[1]! + m[2]!;
  else if ((m = /^(.+?)([^s])s$/.exec(w))) w = m[1]! + m[2]!;

  // 1b: -eed, -ed, -ing, then tidy the stem (hopp → hop, siz → size).
  if ((m = /^(.+?)eed$/.exec(w))) {
    if (M_GT_0.test(m[1]!)) w = w.slice(0, -1);
  } else if ((m = /^(.+?)(ed|ing)$/.exec(w)) && HAS_VOWEL.test(m[1]!)) {
    w = m[1]!;
    if (/(at|bl|iz)$/.test(w)) w += 'e';
    else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
    else if (CVC.test(w)) w += 'e';
  }

  // 1c: y → i after a vowel in the stem.
  if ((m = /^(.+?)y$/.exec(w)) && HAS_VOWEL.test(m[1]!)) w = `${m[1]!}i`;

  // 2 and 3: double and single suffixes to their base.
  if ((m = STEP2_SUFFIX.exec(w)) && M_GT_0.test(m[1]!)) w = m[1]! + STEP2[m[2]!]!;
  if ((m = STEP3_SUFFIX.exec(w)) && M_GT_0.test(m[1]!)) w = m[1]! + STEP3[m[2]!]!;

  // 4: strip a last suffix from a long enough stem.
  if ((m = STEP4_SUFFIX.exec(w))) {
    if (M_GT_1.test(m[1]!)) w = m[1]!;
  } else if ((m = /^(.+?)([st])ion$/.exec(w)) && M_GT_1.test(m[1]! + m[2]!)) {
    w = m[1]! + m[2]!;
  }

  // 5: a final e, and ll → l.
  if ((m = /^(.+?)e$/.exec(w))) {
    const base = m[1]!;
    if (M_GT_1.test(base) || (M_EQ_1.test(base) && !CVC.test(base))) w = base;
  }
  if (/ll$/.test(w) && M_GT_1.test(w)) w = w.slice(0, -1);

  return w[0] === 'Y' ? `y${w.slice(1)}` : w;
}
