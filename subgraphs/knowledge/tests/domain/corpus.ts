import { readdirSync, readFileSync } from 'node:fs';

const DIRECTORY = new URL('../relevance/corpus/', import.meta.url);

/** The relevance corpus: real documents, their YAML front matter left out. */
export const corpus: { name: string; text: string }[] = readdirSync(DIRECTORY)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => ({
    name,
    text: readFileSync(new URL(name, DIRECTORY), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, ''),
  }));
