import { readFile } from 'node:fs/promises';
import { Supergraph, type Schema } from '@apollo/federation-internals';
import { ConfigError } from '#internal/config';
import { splitSecurityDirectives, type AuthRules } from './auth/securityDirectives.js';
import { fanOutRules, type FanOutRule } from './subscriptions/fanOutRules.js';

export interface LoadedSupergraph {
  /** The supergraph without its security features: what the gateway and planner get. */
  sdl: string;
  /** The authorization rules the router enforces itself. */
  rules: AuthRules;
  /** Subscription fields the router serves from one upstream subscription per selection and arguments. */
  fanOut: Map<string, FanOutRule>;
  supergraph: Supergraph;
  /** The API schema clients see: one instance for planning, authorization and validation. */
  apiSchema: Schema;
  /** Subgraph name → GraphQL HTTP URL, after overrides. */
  urls: Record<string, string>;
}

/** Reads and validates a supergraph file and resolves where each subgraph lives. */
export async function loadSupergraph(path: string, overrides: Record<string, string>): Promise<LoadedSupergraph> {
  let sdl: string;
  try {
    sdl = await readFile(path, 'utf8');
  } catch {
    throw new ConfigError(
      `router: cannot read the supergraph at ${path}; run \`npm run compose\` or set SUPERGRAPH_PATH`,
    );
  }
  let supergraph: Supergraph;
  let split: ReturnType<typeof splitSecurityDirectives>;
  let fanOut: Map<string, FanOutRule>;
  try {
    split = splitSecurityDirectives(sdl);
    supergraph = Supergraph.build(split.gatewaySdl);
    fanOut = fanOutRules(split.gatewaySdl);
  } catch (error) {
    throw new ConfigError(`router: ${path} is not a valid supergraph: ${(error as Error).message}`);
  }
  const urls: Record<string, string> = {};
  for (const subgraph of supergraph.subgraphs()) {
    urls[subgraph.name] = overrides[subgraph.name] ?? subgraph.url;
  }
  return { sdl: split.gatewaySdl, rules: split.rules, fanOut, supergraph, apiSchema: supergraph.apiSchema(), urls };
}
