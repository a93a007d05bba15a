// The convergence test across two routers, each in front of its own flows instance, the two
// sharing the database and Redis: clients on different routers write the same flow at once.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signUp } from '#internal/testkit';
import { runConvergence } from './collab/simulation.js';
import { startCollabStack } from './setup/privateStack.js';

const env = inject('serviceEnv');

describe.skipIf(!env['REDIS_URL'])('convergence across two routers and two flows instances (REDIS_URL)', () => {
  let stack: Awaited<ReturnType<typeof startCollabStack>> | undefined;

  beforeAll(async () => {
    stack = await startCollabStack(2);
  }, 120_000);
  afterAll(() => stack?.stop());

  it('ends with every client, flow(id) and flowSync on both routers identical, every acknowledged op reflected', async () => {
    const user = await signUp(inject('routerUrl'));
    const report = await runConvergence({
      routerUrls: stack?.routerUrls ?? [],
      token: user.token,
      clients: 10,
      richClients: 2,
      ops: 1_000,
      seed: 3,
    });
    console.info(
      'convergence across instances',
      JSON.stringify({ ...report, states: report.states.map((s) => s.who) }),
    );
    expect(report.problems).toEqual([]);
    expect(report.ops).toBeGreaterThanOrEqual(1_000);
    const [reference, ...others] = report.states;
    for (const other of others) {
      expect({ who: other.who, state: other.state }).toEqual({ who: other.who, state: reference?.state });
    }
  }, 240_000);
});
