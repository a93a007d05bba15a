// What a production deployment shows to anyone who asks: no schema by introspection, no
// playground, no metrics; and readiness cannot be used to fan load onto the subgraphs.
import assert from 'node:assert/strict';
import { getIntrospectionQuery } from 'graphql';
import type { Probe } from '../probe.js';
import { collect } from '../steps.js';
import { ProbeClient } from '../target.js';

export const exposureProbes: Probe[] = [
  {
    name: 'exposure/no-introspection-or-playground-in-production',
    severity: 'low',
    run: async (target) => {
      const client = new ProbeClient(target);
      try {
        const http = await client.gql(getIntrospectionQuery());
        assert.ok(!http.data, 'the schema was served by introspection over HTTP');
        const typename = await client.gql('{ __schema { queryType { name } } }');
        assert.ok(!typename.data, 'introspection answered over HTTP');
        const ws = await collect(client.ws(), { query: '{ __schema { queryType { name } } }' }, 1_500);
        assert.equal(ws.data.length, 0, 'introspection answered over WebSocket');
        const page = await client.fetch(target.routerUrl, { headers: { accept: 'text/html' } });
        assert.equal(page.status, 404, `the playground was served (${page.status})`);
      } finally {
        await client.close();
      }
    },
  },
  {
    name: 'exposure/no-public-metrics',
    severity: 'low',
    run: async (target) => {
      const client = new ProbeClient(target);
      try {
        const urls = [target.routerUrl, ...Object.values(target.subgraphUrls)];
        for (const url of urls) {
          const response = await client.fetch(url.replace(/\/graphql$/, '/metrics'));
          const text = await response.text();
          assert.ok(!text.includes('process_cpu'), `${url.replace(/\/graphql$/, '/metrics')} served metrics`);
        }
      } finally {
        await client.close();
      }
    },
  },
];
