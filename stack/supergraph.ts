import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, type SubgraphName } from './subgraphs.js';

const run = promisify(execFile);

export const SUPERGRAPH_PATH = 'schema/supergraph.graphql';
export const subgraphSdlPath = (name: string): string => `schema/${name}.graphql`;

/** Builds a subgraph's schema in a fresh process and returns its SDL. */
export async function printSubgraphSdl(name: SubgraphName): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'stack/printSdl.ts', name], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

export interface Composition {
  subgraphs: Record<SubgraphName, string>;
  supergraph: string;
}

/**
 * Composes the supergraph from every subgraph's current code. Routing URLs are the
 * default local ports; the router overrides them from its environment.
 */
export async function composeFromCode(): Promise<Composition> {
  const sdls = await Promise.all(SUBGRAPHS.map(async ({ name }) => [name, await printSubgraphSdl(name)] as const));
  const result = composeServices(
    sdls.map(([name, sdl]) => ({
      name,
      url: `http://127.0.0.1:${SUBGRAPHS.find((s) => s.name === name)?.defaultPort ?? 0}/graphql`,
      typeDefs: parse(sdl),
    })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  }
  return { subgraphs: Object.fromEntries(sdls) as Record<SubgraphName, string>, supergraph: result.supergraphSdl };
}
