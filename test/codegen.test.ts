// The committed client types in clients/generated/ must be what codegen.ts produces from the
// current supergraph and clients/operations/; regenerates in memory and compares.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputDir = 'clients/generated';
const hint = 'clients/generated/ is stale: run npm run codegen';

describe('partner codegen (codegen.ts)', () => {
  it('matches the committed clients/generated/ files', async () => {
    const outputs = (await generate({ ...config, cwd: root, silent: true }, false)) as {
      filename: string;
      content: string;
    }[];
    const generated = new Map(
      outputs.map((output) => [relative(root, resolve(root, output.filename)), output.content]),
    );

    const committed = (await readdir(join(root, outputDir), { withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(outputDir, entry.name));
    expect(committed.sort(), hint).toEqual([...generated.keys()].sort());

    for (const [file, content] of generated) {
      expect(await readFile(join(root, file), 'utf8'), `${file}: ${hint}`).toBe(content);
    }
  }, 20_000);
});
