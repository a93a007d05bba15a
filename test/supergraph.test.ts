import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SUBGRAPHS } from '../stack/subgraphs.js';
import { composeFromCode, subgraphSdlPath, SUPERGRAPH_PATH } from '../stack/supergraph.js';

describe('the committed supergraph', () => {
  it('composes from the subgraphs as they are now, and matches schema/', async () => {
    // composeFromCode throws with every composition error when a subgraph breaks it.
    const { subgraphs, supergraph } = await composeFromCode();
    for (const { name } of SUBGRAPHS) {
      expect(subgraphs[name], `schema/${name}.graphql is stale: run npm run compose`).toBe(
        await readFile(subgraphSdlPath(name), 'utf8'),
      );
    }
    expect(supergraph, `${SUPERGRAPH_PATH} is stale: run npm run compose`).toBe(
      await readFile(SUPERGRAPH_PATH, 'utf8'),
    );
  }, 60_000);

  it('keeps the contract names', async () => {
    const sdl = await readFile(SUPERGRAPH_PATH, 'utf8');
    for (const name of [
      'signUp(input: SignUpInput!): AuthPayload!',
      'logIn(input: LogInInput!): AuthPayload!',
      'refreshToken(token: String!): AuthPayload!',
      'me: User',
      'createFlow(input: CreateFlowInput!): Flow!',
      'flow(id: ID!): Flow',
      'plans: [Plan!]!',
      'mySubscription: BillingSubscription',
    ]) {
      expect(sdl).toContain(name);
    }
    // Extra arguments may be added as long as they are optional (no `!`).
    const flows = /\n {2}flows\(([^)]*)\): FlowConnection!/.exec(sdl)?.[1] ?? '';
    expect(flows).toContain('first: Int');
    expect(flows).toContain('after: String');
    expect(flows).not.toContain('!');
    expect(sdl).toMatch(/applyFlowOps\([^)]*\): FlowOpsResult!/);
    // flowEvents(flowId: ID!) may gain optional arguments (sinceVersion).
    const events = /\n {2}flowEvents\(([^)]*)\): FlowEvent!/.exec(sdl)?.[1] ?? '';
    expect(events).toContain('flowId: ID!');
    expect(events.replace('flowId: ID!', '')).not.toContain('!');
    expect(sdl).toMatch(/addKnowledge\(input: AddKnowledgeInput!\): KnowledgeDocument!/);
    // searchKnowledge(query: String!, k, workspaceId, tags, mode) and optional extras.
    const search = /\n {2}searchKnowledge\(([^)]*)\): \[KnowledgeHit!\]!/.exec(sdl)?.[1] ?? '';
    for (const argument of ['query: String!', 'k: Int', 'workspaceId: ID', 'tags: [String!]', 'mode: SearchMode']) {
      expect(search).toContain(argument);
    }
    expect(search.replace('query: String!', '').replace('[String!]', '')).not.toContain('!');
    for (const type of [
      /type KnowledgeHit[^{]*\{[^}]*document: KnowledgeDocument!/,
      /type KnowledgeHit[^{]*\{[^}]*score: Float!/,
      /type KnowledgeHit[^{]*\{[^}]*chunk: KnowledgeChunk\n/,
      /enum SearchMode[^{]*\{[^}]*HYBRID[^}]*VECTOR[^}]*KEYWORD/,
    ]) {
      expect(sdl).toMatch(type);
    }
  });
});
