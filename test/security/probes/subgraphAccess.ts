// Subgraphs answer only the router (and the services they trust): anything else on the
// network that reaches a subgraph's port gets nothing, not even the SDL or a user's name.
import assert from 'node:assert/strict';
import { AssertionSigner, IDENTITY_HEADER } from '#internal/auth';
import type { Probe } from '../probe.js';
import { collect } from '../steps.js';
import { ProbeClient } from '../target.js';

const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on User {
        id
        name
      }
    }
  }
`;

export const subgraphAccessProbes: Probe[] = [
  {
    name: 'subgraphs/answer-only-the-router',
    severity: 'low',
    run: async (target) => {
      const client = new ProbeClient(target);
      try {
        const victim = await client.signUp('Victoria Secret-Name');
        for (const [name, url] of Object.entries(target.subgraphUrls)) {
          const sdl = await client.gql('{ _service { sdl } }', {}, undefined, url);
          assert.equal(sdl.status, 401, `${name} served its SDL to an anonymous caller (${sdl.status})`);
          const plain = await client.gql('{ __typename }', {}, undefined, url);
          assert.equal(plain.status, 401, `${name} answered an anonymous caller (${plain.status})`);
          const ws = await collect(client.ws(undefined, url, {}), { query: '{ __typename }' }, 1_500);
          assert.ok(ws.data.length === 0 && ws.closed === 4403, `${name} took a socket without an assertion`);
        }
        const users = target.subgraphUrls['users'];
        assert.ok(users);
        const entities = await client.gql(
          ENTITIES,
          { representations: [{ __typename: 'User', id: victim.id }] },
          victim.token,
          users,
        );
        assert.ok(!JSON.stringify(entities).includes('Victoria'), "users resolved a User's name without the router");
      } finally {
        await client.close();
      }
    },
  },
  {
    name: 'subgraphs/assertions-bound-to-their-audience',
    severity: 'low',
    run: async (target) => {
      const secret = target.serviceEnv['JWT_SECRET'];
      assert.ok(secret, 'the probe needs the deployment secret to mint a router assertion');
      const client = new ProbeClient(target);
      try {
        // A router assertion for flows, replayed at users (as a compromised flows could).
        const forFlows = await AssertionSigner.router(secret).sign('flows', { identity: null, clientIp: null });
        const users = target.subgraphUrls['users'];
        assert.ok(users);
        const replayed = await client.gql('{ __typename }', {}, undefined, users, { [IDENTITY_HEADER]: forFlows });
        assert.equal(replayed.status, 401, `users took an assertion addressed to flows (${replayed.status})`);
        const forUsers = await AssertionSigner.router(secret).sign('users', { identity: null, clientIp: null });
        const proper = await client.gql('{ __typename }', {}, undefined, users, { [IDENTITY_HEADER]: forUsers });
        assert.equal(proper.status, 200, 'users refused a proper router assertion');
      } finally {
        await client.close();
      }
    },
  },
];
