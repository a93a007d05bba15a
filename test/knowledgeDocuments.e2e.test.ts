// Knowledge documents through the router: adding, reading, listing, changing and deleting,
// what each workspace role may do, and what bad input is refused with (nothing stored).
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, signUp, type TestUser } from '#internal/testkit';
import { mailedToken } from './setup/outbox.js';

const url = inject('routerUrl');

const FIELDS = /* GraphQL */ `
  fragment Doc on KnowledgeDocument {
    id
    title
    content
    text
    format
    source
    tags
    version
    indexStatus
    indexError
    chunkCount
    creator {
      id
    }
    workspace {
      id
    }
  }
`;
const ADD = /* GraphQL */ `
  mutation ($input: AddKnowledgeInput!) {
    addKnowledge(input: $input) {
      ...Doc
    }
  }
  ${FIELDS}
`;
const UPDATE = /* GraphQL */ `
  mutation ($id: ID!, $input: UpdateKnowledgeInput!) {
    updateKnowledge(id: $id, input: $input) {
      ...Doc
    }
  }
  ${FIELDS}
`;
const DELETE = /* GraphQL */ `
  mutation ($id: ID!) {
    deleteKnowledge(id: $id)
  }
`;
const ONE = /* GraphQL */ `
  query ($id: ID!) {
    knowledgeDocument(id: $id) {
      ...Doc
    }
  }
  ${FIELDS}
`;
const LIST = /* GraphQL */ `
  query ($first: Int, $after: String, $workspaceId: ID, $filter: KnowledgeFilter) {
    knowledgeDocuments(first: $first, after: $after, workspaceId: $workspaceId, filter: $filter) {
      edges {
        cursor
        node {
          id
          title
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

type Role = 'EDITOR' | 'VIEWER';

async function join(owner: TestUser, workspaceId: string, who: TestUser, role: Role): Promise<void> {
  const invited = await gql(
    url,
    'mutation ($input: InviteToWorkspaceInput!) { inviteToWorkspace(input: $input) { id } }',
    { input: { workspaceId, email: who.email, role } },
    owner.token,
  );
  expect(invited.errors).toBeUndefined();
  const token = await mailedToken(who.email, 'accept-invitation');
  const accepted = await gql(
    url,
    'mutation ($t: String!) { acceptWorkspaceInvitation(token: $t) { id } }',
    { t: token },
    who.token,
  );
  expect(accepted.errors).toBeUndefined();
}

async function newWorkspace(owner: TestUser): Promise<string> {
  const created = await gql(url, 'mutation { createWorkspace(input: { name: "Research" }) { id } }', {}, owner.token);
  return created.data?.['createWorkspace'].id as string;
}

describe('knowledge documents', () => {
  let owner: TestUser;
  let editor: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;
  let workspaceId: string;
  let otherWorkspaceId: string;
  const env = inject('serviceEnv');
  const client = new mongoose.mongo.MongoClient(env['MONGODB_URI'] ?? '', { retryWrites: false });
  // Other test files add documents meanwhile: count the owner's alone.
  const stored = () =>
    client
      .db(env['KNOWLEDGE_DB'] ?? 'ufe_knowledge')
      .collection('documents')
      .countDocuments({ ownerId: owner.id });

  beforeAll(async () => {
    await client.connect();
    const users = await Promise.all(['Owner', 'Editor', 'Viewer', 'Outsider'].map((n) => signUp(url, n)));
    [owner, editor, viewer, outsider] = users as [TestUser, TestUser, TestUser, TestUser];
    workspaceId = await newWorkspace(owner);
    otherWorkspaceId = await newWorkspace(outsider);
    await join(owner, workspaceId, editor, 'EDITOR');
    await join(owner, workspaceId, viewer, 'VIEWER');
  });
  afterAll(() => client.close());

  const add = async (token: string, input: Record<string, unknown>) => {
    const answer = await gql(url, ADD, { input }, token);
    expect(answer.errors).toBeUndefined();
    return answer.data?.['addKnowledge'] as Record<string, any>;
  };

  it('adds a document as a first, pending version, with its fields cleaned', async () => {
    const doc = await add(editor.token, {
      title: '  Checkout guidelines ',
      content: '# Checkout\n\nKeep the basket visible.\r\n',
      source: ' https://wiki.example/checkout ',
      tags: ['Checkout', 'guidelines', 'checkout'],
      workspaceId,
    });
    expect(doc).toMatchObject({
      title: 'Checkout guidelines',
      format: 'MARKDOWN',
      source: 'https://wiki.example/checkout',
      tags: ['checkout', 'guidelines'],
      version: 1,
      indexStatus: 'PENDING',
      indexError: null,
      chunkCount: 0,
      creator: { id: editor.id },
      workspace: { id: workspaceId },
    });
    expect(doc['content']).toBe('# Checkout\n\nKeep the basket visible.\r\n');
    expect((await gql(url, ONE, { id: doc['id'] }, viewer.token)).data?.['knowledgeDocument']).toEqual(doc);
  });

  it('keeps scripts, styles and event handlers of HTML out of the text', async () => {
    const html =
      '<h1 onclick="steal()">Personas</h1><script>alert(1)</script><style>h1{}</style>' +
      '<p>Priya <a href="javascript:alert(2)">shops</a> weekly.</p><!-- hidden -->';
    const doc = await add(owner.token, { title: 'Personas', content: html, format: 'HTML' });
    expect(doc['format']).toBe('HTML');
    expect(doc['text']).toContain('Personas');
    expect(doc['text']).toContain('Priya');
    for (const leak of ['alert', 'steal', 'onclick', 'javascript', 'hidden', '<', 'h1{']) {
      expect(doc['text']).not.toContain(leak);
    }
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const before = await stored();
    const cases: [Record<string, unknown>, string][] = [
      [{ title: ' ', content: 'x' }, 'title'],
      [{ title: 'x'.repeat(201), content: 'x' }, 'title'],
      [{ title: 'Empty', content: '  \n ' }, 'content'],
      [{ title: 'Big', content: 'x'.repeat(1_048_577) }, 'content'],
      [{ title: 'Binary', content: 'PK\u0003\u0004\u0000\u0000' }, 'content'],
      [{ title: 'Surrogate', content: 'half \ud800 a pair' }, 'content'],
      [{ title: 'Only script', content: '<script>x()</script>', format: 'HTML' }, 'content'],
      [{ title: 'Tags', content: 'x', tags: Array.from({ length: 201 }, (_, i) => `t${i}`) }, 'tags'],
      [{ title: 'Tag', content: 'x', tags: ['ok', 'x'.repeat(51)] }, 'tags'],
      [{ title: 'Source', content: 'x', source: 'x'.repeat(2001) }, 'source'],
    ];
    for (const [input, field] of cases) {
      const answer = await gql(url, ADD, { input }, owner.token);
      expect(errorCodes(answer), field).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.extensions?.['field'], JSON.stringify(input).slice(0, 80)).toBe(field);
    }
    expect(await stored()).toBe(before);
  });

  it('takes a document of 1 MB whole, and refuses a request body past 4 MiB before it is parsed', async () => {
    const megabyte = `${'Lorem ipsum dolor sit amet. '.repeat(37_450)}`.slice(0, 1_048_576);
    const doc = await add(owner.token, { title: 'Long report', content: megabyte, format: 'TEXT' });
    expect(doc['content']).toHaveLength(1_048_576);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({
        query: ADD,
        variables: { input: { title: 'Huge', content: 'x'.repeat(4 * 1024 * 1024) } },
      }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
      'BAD_REQUEST',
    );
  });

  it('updates as a new version, pending again; bad input changes nothing', async () => {
    const doc = await add(editor.token, { title: 'Onboarding notes', content: 'First draft.', workspaceId });
    const updated = await gql(
      url,
      UPDATE,
      { id: doc['id'], input: { content: 'Second draft.', tags: ['Onboarding'] } },
      editor.token,
    );
    expect(updated.data?.['updateKnowledge']).toMatchObject({
      title: 'Onboarding notes',
      content: 'Second draft.',
      tags: ['onboarding'],
      version: 2,
      indexStatus: 'PENDING',
    });
    const refused = await gql(url, UPDATE, { id: doc['id'], input: { title: '', content: 'Third' } }, editor.token);
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    const now = (await gql(url, ONE, { id: doc['id'] }, editor.token)).data?.['knowledgeDocument'];
    expect(now).toMatchObject({ content: 'Second draft.', version: 2 });
    const cleared = await gql(url, UPDATE, { id: doc['id'], input: { source: '' } }, editor.token);
    expect(cleared.data?.['updateKnowledge']).toMatchObject({ source: null, version: 3 });
  });

  it('lands concurrent updates one version after another', async () => {
    const doc = await add(owner.token, { title: 'Busy page', content: 'Start.', workspaceId });
    const answers = await Promise.all(
      [owner, editor, owner, editor, owner].map((user, i) =>
        gql(url, UPDATE, { id: doc['id'], input: { tags: [`round-${i}`] } }, user.token),
      ),
    );
    expect(answers.flatMap((answer) => errorCodes(answer))).toEqual([]);
    const versions = answers.map((answer) => answer.data?.['updateKnowledge'].version as number);
    expect(versions.sort()).toEqual([2, 3, 4, 5, 6]);
  });

  it('lets EDITORs write, VIEWERs read, and others neither, by any id', async () => {
    const doc = await add(owner.token, { title: 'Research plan', content: 'Interview six people.', workspaceId });
    const id = doc['id'] as string;
    const input = { title: 'Changed' };
    expect(errorCodes(await gql(url, UPDATE, { id, input }, viewer.token))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(url, DELETE, { id }, viewer.token))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(url, ADD, { input: { title: 'x', content: 'x', workspaceId } }, viewer.token))).toEqual(
      ['FORBIDDEN'],
    );
    // Someone outside the workspace cannot tell the document from one that does not exist.
    for (const target of [id, '0'.repeat(24), 'not-an-id', '{"$ne":null}']) {
      expect((await gql(url, ONE, { id: target }, outsider.token)).data?.['knowledgeDocument']).toBeNull();
      expect(errorCodes(await gql(url, UPDATE, { id: target, input }, outsider.token))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await gql(url, DELETE, { id: target }, outsider.token))).toEqual(['NOT_FOUND']);
    }
    expect(
      errorCodes(await gql(url, ADD, { input: { title: 'x', content: 'x', workspaceId } }, outsider.token)),
    ).toEqual(['NOT_FOUND']);
    const listed = await gql(url, LIST, { workspaceId }, outsider.token);
    expect(listed.data?.['knowledgeDocuments'].edges).toEqual([]);
    // A personal document is its owner's alone, even to members of their workspaces.
    const personal = await add(owner.token, { title: 'My notes', content: 'Mine.' });
    expect((await gql(url, ONE, { id: personal['id'] }, editor.token)).data?.['knowledgeDocument']).toBeNull();
    expect(errorCodes(await gql(url, DELETE, { id: personal['id'] }, editor.token))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(url, DELETE, { id }, editor.token))).toEqual([]);
    expect((await gql(url, ONE, { id }, owner.token)).data?.['knowledgeDocument']).toBeNull();
    expect(errorCodes(await gql(url, DELETE, { id }, owner.token))).toEqual(['NOT_FOUND']);
  });

  it('lists newest first in pages, by workspace, tag and title words', async () => {
    const ws = await newWorkspace(owner);
    const titles = ['Alpha checkout study', 'Beta onboarding study', 'Gamma checkout persona', 'Delta empty states'];
    for (const [i, title] of titles.entries()) {
      await add(owner.token, { title, content: `Body ${i}`, workspaceId: ws, tags: i % 2 === 0 ? ['even'] : ['odd'] });
    }
    const page = (variables: Record<string, unknown>) =>
      gql(url, LIST, { workspaceId: ws, ...variables }, owner.token).then((r) => {
        expect(r.errors).toBeUndefined();
        return r.data?.['knowledgeDocuments'] as {
          edges: { node: { title: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      });
    const first = await page({ first: 3 });
    expect(first.edges.map((e) => e.node.title)).toEqual([
      'Delta empty states',
      'Gamma checkout persona',
      'Beta onboarding study',
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page({ first: 3, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.title)).toEqual(['Alpha checkout study']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect((await page({ filter: { tag: 'EVEN' } })).edges.map((e) => e.node.title)).toEqual([
      'Gamma checkout persona',
      'Alpha checkout study',
    ]);
    expect((await page({ filter: { titleWords: 'checkout STUDY' } })).edges.map((e) => e.node.title)).toEqual([
      'Alpha checkout study',
    ]);
    expect((await page({ filter: { titleWords: 'nothing' } })).edges).toEqual([]);
    expect(errorCodes(await gql(url, LIST, { first: 101 }, owner.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, LIST, { after: 'forged' }, owner.token))).toEqual(['BAD_USER_INPUT']);
    // Another workspace's id filters to nothing for a non-member.
    expect((await page({ workspaceId: otherWorkspaceId })).edges).toEqual([]);
  });
});
