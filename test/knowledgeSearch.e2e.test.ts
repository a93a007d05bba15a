// Knowledge search through the router: documents are indexed into chunks (MongoDB) and
// vectors (the embedded Chroma), found by keyword, vector and hybrid ranking, and only ever
// within what the caller may read; a replaced or deleted version is never returned.
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, signUp, type TestUser } from '#internal/testkit';
import { mailedToken } from './setup/outbox.js';

const url = inject('routerUrl');

const ADD = /* GraphQL */ `
  mutation ($input: AddKnowledgeInput!) {
    addKnowledge(input: $input) {
      id
    }
  }
`;
const STATUS = /* GraphQL */ `
  query ($id: ID!) {
    knowledgeDocument(id: $id) {
      version
      indexStatus
      chunkCount
      text
    }
  }
`;
const SEARCH = /* GraphQL */ `
  query ($query: String!, $k: Int, $workspaceId: ID, $tags: [String!], $mode: SearchMode, $distinct: Boolean) {
    searchKnowledge(
      query: $query
      k: $k
      workspaceId: $workspaceId
      tags: $tags
      mode: $mode
      distinctDocuments: $distinct
    ) {
      score
      document {
        id
        title
      }
      chunk {
        text
        headingPath
        start
        end
        version
      }
      highlights {
        start
        end
      }
    }
  }
`;

interface Hit {
  score: number;
  document: { id: string; title: string };
  chunk: { text: string; headingPath: string[]; start: number; end: number; version: number };
  highlights: { start: number; end: number }[];
}

const CHECKOUT = `# Checkout guidelines

## Payment errors

When a card is declined we show ERR-PAY-402 with a plain explanation and keep the basket intact.
Never clear the basket after a failed payment.

## Delivery slots

Shoppers pick a delivery slot before paying; slots fill up on Sunday evenings.`;

const PERSONA = `# Persona: Priya Raman

Priya is a busy parent of two who orders groceries on her phone during the school run.
She abandons a basket when delivery fees appear late in checkout.`;

const ONBOARDING = `# Onboarding for Ledgerline

New finance teams connect their bank, invite an approver and send a first invoice.
The StepperBar v3 component shows the three steps.`;

async function join(owner: TestUser, workspaceId: string, who: TestUser): Promise<void> {
  await gql(
    url,
    'mutation ($input: InviteToWorkspaceInput!) { inviteToWorkspace(input: $input) { id } }',
    { input: { workspaceId, email: who.email, role: 'VIEWER' } },
    owner.token,
  );
  const token = await mailedToken(who.email, 'accept-invitation');
  await gql(url, 'mutation ($t: String!) { acceptWorkspaceInvitation(token: $t) { id } }', { t: token }, who.token);
}

describe('knowledge search', () => {
  let owner: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let workspaceId: string;
  let outsiderWorkspace: string;
  const ids: Record<string, string> = {};

  const search = async (user: TestUser, variables: Record<string, unknown>): Promise<Hit[]> => {
    const answer = await gql(url, SEARCH, variables, user.token);
    expect(answer.errors).toBeUndefined();
    return answer.data?.['searchKnowledge'] as Hit[];
  };

  /** Waits until the document's current version is indexed. */
  const indexed = async (id: string, version: number, user = owner): Promise<void> => {
    for (let tries = 0; tries < 100; tries += 1) {
      const doc = (await gql(url, STATUS, { id }, user.token)).data?.['knowledgeDocument'];
      if (doc?.version === version && doc?.indexStatus === 'INDEXED') return;
      await sleep(100);
    }
    throw new Error(`document ${id} v${version} was not indexed`);
  };

  const add = async (user: TestUser, input: Record<string, unknown>): Promise<string> => {
    const answer = await gql(url, ADD, { input }, user.token);
    expect(answer.errors).toBeUndefined();
    return answer.data?.['addKnowledge'].id as string;
  };

  beforeAll(async () => {
    const users = await Promise.all(['Owner', 'Member', 'Outsider'].map((name) => signUp(url, name)));
    [owner, member, outsider] = users as [TestUser, TestUser, TestUser];
    const created = await gql(url, 'mutation { createWorkspace(input: { name: "Larder" }) { id } }', {}, owner.token);
    workspaceId = created.data?.['createWorkspace'].id as string;
    const other = await gql(url, 'mutation { createWorkspace(input: { name: "Other" }) { id } }', {}, outsider.token);
    outsiderWorkspace = other.data?.['createWorkspace'].id as string;
    await join(owner, workspaceId, member);
    ids['checkout'] = await add(owner, {
      title: 'Checkout guidelines',
      content: CHECKOUT,
      workspaceId,
      tags: ['checkout'],
    });
    ids['persona'] = await add(owner, { title: 'Persona Priya', content: PERSONA, workspaceId, tags: ['persona'] });
    ids['onboarding'] = await add(owner, { title: 'Onboarding', content: ONBOARDING, tags: ['onboarding'] });
    // The outsider keeps a document that uses the same words, in their own workspace.
    ids['outsider'] = await add(outsider, {
      title: 'Their checkout',
      content: 'ERR-PAY-402 basket declined card.',
      workspaceId: outsiderWorkspace,
    });
    for (const name of ['checkout', 'persona', 'onboarding']) await indexed(ids[name] ?? '', 1);
    await indexed(ids['outsider'] ?? '', 1, outsider);
  });

  it('indexes documents into chunks that point back into their text', async () => {
    const doc = (await gql(url, STATUS, { id: ids['checkout'] }, owner.token)).data?.['knowledgeDocument'];
    expect(doc.chunkCount).toBeGreaterThan(0);
    const hits = await search(owner, { query: 'ERR-PAY-402 declined card', mode: 'KEYWORD' });
    const first = hits[0] as Hit;
    expect(first.document.id).toBe(ids['checkout']);
    expect(doc.text.slice(first.chunk.start, first.chunk.end)).toBe(first.chunk.text);
    expect(first.chunk.headingPath[0]).toBe('Checkout guidelines');
    expect(first.chunk.version).toBe(1);
    expect(first.highlights.length).toBeGreaterThan(0);
    for (const range of first.highlights) expect(first.chunk.text.slice(range.start, range.end)).toMatch(/\w/);
  });

  it('answers in every mode, best first, with at most k hits and one per chunk', async () => {
    for (const mode of ['HYBRID', 'VECTOR', 'KEYWORD']) {
      const hits = await search(owner, { query: 'busy parent ordering groceries on a phone', mode, k: 2 });
      expect(hits.length, mode).toBeGreaterThan(0);
      expect(hits.length, mode).toBeLessThanOrEqual(2);
      expect(hits[0]?.document.id, mode).toBe(ids['persona']);
      const scores = hits.map((hit) => hit.score);
      expect(scores, mode).toEqual([...scores].sort((a, b) => b - a));
      const chunks = hits.map((hit) => `${hit.document.id}:${hit.chunk.start}`);
      expect(new Set(chunks).size, mode).toBe(chunks.length);
    }
    const distinct = await search(owner, { query: 'basket checkout payment slot', distinct: true, k: 10 });
    const documents = distinct.map((hit) => hit.document.id);
    expect(new Set(documents).size).toBe(documents.length);
  });

  it('filters by workspace and tags', async () => {
    const inWorkspace = await search(owner, { query: 'StepperBar v3 onboarding', workspaceId });
    expect(inWorkspace.map((hit) => hit.document.id)).not.toContain(ids['onboarding']);
    const personal = await search(owner, { query: 'StepperBar v3 onboarding' });
    expect(personal[0]?.document.id).toBe(ids['onboarding']);
    const tagged = await search(owner, { query: 'basket', tags: ['PERSONA'] });
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.every((hit) => hit.document.id === ids['persona'])).toBe(true);
  });

  it("never returns another tenant's knowledge, by any filter", async () => {
    const words = { query: 'ERR-PAY-402 basket declined card checkout' };
    const theirs = await search(outsider, words);
    expect(theirs.map((hit) => hit.document.id)).toEqual([ids['outsider']]);
    expect(await search(outsider, { ...words, workspaceId })).toEqual([]);
    for (const crafted of ['0'.repeat(24), '{"$ne":null}', `${workspaceId}"`]) {
      expect(await search(outsider, { ...words, workspaceId: crafted })).toEqual([]);
    }
    // A member of the workspace finds its documents, but not the owner's personal one or the outsider's.
    const found = (await search(member, { query: 'StepperBar ERR-PAY-402 basket', k: 50 })).map(
      (hit) => hit.document.id,
    );
    expect(found).toContain(ids['checkout']);
    expect(found).not.toContain(ids['onboarding']);
    expect(found).not.toContain(ids['outsider']);
  });

  it('finds the new version after an update and never the replaced one; nothing after a delete', async () => {
    const id = await add(owner, {
      title: 'Release notes',
      content: 'The zephyrine palette ships in May.',
      workspaceId,
    });
    await indexed(id, 1);
    expect((await search(owner, { query: 'zephyrine', mode: 'KEYWORD' }))[0]?.document.id).toBe(id);
    const updated = await gql(
      url,
      'mutation ($id: ID!) { updateKnowledge(id: $id, input: { content: "The quillwort palette ships in June." }) { version } }',
      { id },
      owner.token,
    );
    expect(updated.data?.['updateKnowledge'].version).toBe(2);
    // Until version 2 is indexed, version 1 is no longer current: it is not returned.
    for (const mode of ['KEYWORD', 'VECTOR', 'HYBRID']) {
      const stale = await search(owner, { query: 'zephyrine palette May', mode, k: 50 });
      expect(
        stale.filter((hit) => hit.document.id === id && hit.chunk.version === 1),
        mode,
      ).toEqual([]);
    }
    await indexed(id, 2);
    const fresh = await search(owner, { query: 'quillwort', mode: 'KEYWORD' });
    expect(fresh[0]).toMatchObject({ document: { id }, chunk: { version: 2 } });
    expect((await search(owner, { query: 'zephyrine', mode: 'KEYWORD' })).map((hit) => hit.document.id)).not.toContain(
      id,
    );
    await gql(url, 'mutation ($id: ID!) { deleteKnowledge(id: $id) }', { id }, owner.token);
    for (const mode of ['KEYWORD', 'VECTOR', 'HYBRID']) {
      const gone = await search(owner, { query: 'quillwort palette June', mode, k: 50 });
      expect(
        gone.map((hit) => hit.document.id),
        mode,
      ).not.toContain(id);
    }
  });

  it('retrieves for the AI within a token budget, citing ids and versions, never beyond the caller', async () => {
    const RETRIEVE = /* GraphQL */ `
      query ($prompt: String!, $budget: Int, $workspaceId: ID) {
        retrieveKnowledge(prompt: $prompt, tokenBudget: $budget, workspaceId: $workspaceId) {
          tokens
          chunks {
            documentId
            documentVersion
            title
            text
            tokens
            score
          }
        }
      }
    `;
    const retrieve = async (user: TestUser, variables: Record<string, unknown>) => {
      const answer = await gql(url, RETRIEVE, variables, user.token);
      expect(answer.errors).toBeUndefined();
      return answer.data?.['retrieveKnowledge'] as {
        tokens: number;
        chunks: { documentId: string; documentVersion: number; title: string; text: string; tokens: number }[];
      };
    };
    const prompt = 'declined card ERR-PAY-402 basket checkout delivery slot';
    const roomy = await retrieve(owner, { prompt, budget: 4_000 });
    expect(roomy.chunks[0]?.documentId).toBe(ids['checkout']);
    expect(roomy.chunks[0]?.documentVersion).toBe(1);
    expect(roomy.tokens).toBe(roomy.chunks.reduce((sum, chunk) => sum + chunk.tokens, 0));
    const tight = await retrieve(owner, { prompt, budget: roomy.chunks[0]?.tokens ?? 1 });
    expect(tight.tokens).toBeLessThanOrEqual(roomy.chunks[0]?.tokens ?? 1);
    expect(tight.chunks.length).toBeGreaterThan(0);
    const theirs = await retrieve(outsider, { prompt, budget: 4_000 });
    expect(theirs.chunks.map((chunk) => chunk.documentId)).toEqual([ids['outsider']]);
    expect((await retrieve(outsider, { prompt, workspaceId })).chunks).toEqual([]);
    const refused = await gql(url, RETRIEVE, { prompt, budget: 0 }, owner.token);
    expect(refused.errors?.[0]?.extensions?.['field']).toBe('tokenBudget');
  });

  it('refuses bad arguments with BAD_USER_INPUT', async () => {
    const refused = async (variables: Record<string, unknown>, field: string) => {
      const answer = await gql(url, SEARCH, variables, owner.token);
      expect(errorCodes(answer), field).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.extensions?.['field']).toBe(field);
    };
    await refused({ query: '   ' }, 'query');
    await refused({ query: 'x'.repeat(1001) }, 'query');
    await refused({ query: 'x', k: 0 }, 'k');
    await refused({ query: 'x', k: 51 }, 'k');
    await refused({ query: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags');
    expect(errorCodes(await gql(url, SEARCH, { query: 'x' }))).toEqual(['UNAUTHENTICATED']);
  });
});
