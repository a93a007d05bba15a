// Knowledge indexing when things fail, on a knowledge instance and a Chroma of this file's
// own: Chroma stopped in the middle of writes, and the knowledge process killed while it
// indexes. MongoDB is the source of truth: afterwards every document is INDEXED at its
// current version, Chroma holds exactly that version's vectors, deleted documents have none,
// and search never returned anything stale in between.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChromaClient } from 'chromadb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gql, signUp, type TestUser } from '#internal/testkit';
import { startChroma } from '../stack/chroma.js';
import { freePort } from '../stack/net.js';
import { subgraphUrlVar } from '../stack/subgraphs.js';
import type { Supervised } from '../stack/processes.js';
import { privateProcesses } from './setup/privateStack.js';

const STATUS = 'query ($id: ID!) { knowledgeDocument(id: $id) { version indexStatus chunkCount } }';
const SEARCH = /* GraphQL */ `
  query ($query: String!, $mode: SearchMode) {
    searchKnowledge(query: $query, mode: $mode, k: 50) {
      document {
        id
      }
      chunk {
        version
      }
    }
  }
`;

describe('knowledge indexing under failures', () => {
  const processes = privateProcesses(inject('serviceEnv'));
  const database = `ufe_knowledge_failures_${Date.now()}`;
  let dataDir: string;
  let chromaPort: number;
  let chroma: Supervised & { url: string; ready: Promise<void> };
  let knowledge: Supervised;
  let knowledgePort: number;
  let routerUrl: string;
  let user: TestUser;

  const startKnowledge = async (): Promise<void> => {
    knowledge = await processes.run(
      'knowledge',
      'subgraphs/knowledge/src/index.ts',
      // A database of its own: the suite's knowledge instance indexes its own documents only.
      { KNOWLEDGE_PORT: String(knowledgePort), CHROMA_URL: chroma.url, KNOWLEDGE_DB: database },
      `http://127.0.0.1:${knowledgePort}/health`,
    );
  };
  const startOwnChroma = async (): Promise<void> => {
    chroma = await startChroma(dataDir, chromaPort);
    await chroma.ready;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ufe-knowledge-'));
    [chromaPort, knowledgePort] = [await freePort(), await freePort()];
    await startOwnChroma();
    await startKnowledge();
    const routerPort = await freePort();
    await processes.run(
      'router',
      'router/src/index.ts',
      { PORT: String(routerPort), [subgraphUrlVar('knowledge')]: `http://127.0.0.1:${knowledgePort}/graphql` },
      `http://127.0.0.1:${routerPort}/health`,
    );
    routerUrl = `http://127.0.0.1:${routerPort}/graphql`;
    user = await signUp(routerUrl, 'Resilient');
  });
  afterAll(async () => {
    await processes.stop();
    await chroma?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = async (query: string, variables: Record<string, unknown> = {}) => {
    const answer = await gql(routerUrl, query, variables, user.token);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data as Record<string, any>;
  };
  const add = async (title: string, content: string): Promise<string> =>
    (await call('mutation ($i: AddKnowledgeInput!) { addKnowledge(input: $i) { id } }', { i: { title, content } }))[
      'addKnowledge'
    ].id as string;
  const status = async (id: string) => (await call(STATUS, { id }))['knowledgeDocument'];
  const allIndexed = async (ids: readonly string[], timeoutMs = 30_000): Promise<void> => {
    for (const started = Date.now(); Date.now() - started < timeoutMs; await sleep(200)) {
      const states = await Promise.all(ids.map(status));
      if (states.every((doc) => doc?.indexStatus === 'INDEXED')) return;
    }
    throw new Error('documents were not all indexed in time');
  };

  /** Chroma's vectors of a document, read straight from this file's Chroma: `version` → count. */
  const vectorsOf = async (documentId: string): Promise<Map<number, number>> => {
    const client = new ChromaClient({ host: '127.0.0.1', port: chromaPort, ssl: false });
    const collections = await client.listCollections();
    const counts = new Map<number, number>();
    for (const collection of collections) {
      const found = await collection.get({ where: { documentId }, include: ['metadatas'] });
      for (const metadata of found.metadatas) {
        const version = Number(metadata?.['version']);
        counts.set(version, (counts.get(version) ?? 0) + 1);
      }
    }
    return counts;
  };

  /** Every live document: INDEXED, its vectors exactly its current version's chunks. */
  const consistent = async (live: readonly string[], deleted: readonly string[]): Promise<void> => {
    for (const id of live) {
      const doc = await status(id);
      expect(doc.indexStatus).toBe('INDEXED');
      expect([...(await vectorsOf(id)).entries()], id).toEqual([[doc.version, doc.chunkCount]]);
    }
    for (const id of deleted) expect((await vectorsOf(id)).size, id).toBe(0);
  };

  it('keeps writes PENDING while Chroma is down, and indexes them once it is back, leaving no orphan', async () => {
    const kept = await add('Kept', '# Kept\n\nThe marigold checkout keeps the basket.');
    const changed = await add('Changed', '# Changed\n\nThe first wording mentions aubergine.');
    const doomed = await add('Doomed', '# Doomed\n\nThis one is deleted while Chroma is away: cassowary.');
    await allIndexed([kept, changed, doomed]);

    await chroma.stop();
    const added = await add('Added', '# Added\n\nWritten while Chroma was away: pangolin.');
    await call(
      'mutation ($id: ID!) { updateKnowledge(id: $id, input: { content: "Now it says okapi." }) { version } }',
      {
        id: changed,
      },
    );
    await call('mutation ($id: ID!) { deleteKnowledge(id: $id) }', { id: doomed });
    await sleep(1_500);
    expect((await status(added)).indexStatus).toBe('PENDING');
    expect((await status(changed)).indexStatus).toBe('PENDING');
    // Meanwhile HYBRID answers from keywords; nothing replaced or deleted is returned.
    const during = (await call(SEARCH, { query: 'aubergine cassowary okapi pangolin marigold' }))['searchKnowledge'];
    const found = (during as { document: { id: string } }[]).map((hit) => hit.document.id);
    expect(found).toContain(kept);
    for (const id of [changed, doomed, added]) expect(found).not.toContain(id);

    await startOwnChroma();
    await allIndexed([kept, changed, added]);
    await sleep(1_000); // the deletion sweep runs at the start of every round
    await consistent([kept, changed, added], [doomed]);
    const after = (await call(SEARCH, { query: 'okapi', mode: 'KEYWORD' }))['searchKnowledge'];
    expect(after[0]).toMatchObject({ document: { id: changed }, chunk: { version: 2 } });
    expect((await call(SEARCH, { query: 'aubergine', mode: 'KEYWORD' }))['searchKnowledge']).toEqual([]);
  });

  it('finishes indexing after the knowledge process is killed mid-way, with nothing lost or doubled', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      ids.push(
        await add(`Report ${i}`, `# Report ${i}\n\n${'Findings about delivery slots and baskets. '.repeat(200)}`),
      );
    }
    // Killed while the indexer works through them (SIGKILL: no clean shutdown).
    await knowledge.stop(0);
    await startKnowledge();
    await allIndexed(ids, 60_000);
    await consistent(ids, []);
  });
});
