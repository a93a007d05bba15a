// The security probes (test/security/probes) on a fresh stack of their own, as deployers
// run it (`npm run audit:security` runs the same probes and prints a table).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startAuditStack } from './security/auditStack.js';
import { probes } from './security/probes/index.js';
import type { ProbeTarget } from './security/target.js';

let target: (ProbeTarget & { dispose: () => Promise<void> }) | undefined;

beforeAll(async () => {
  target = await startAuditStack();
}, 180_000);

afterAll(async () => {
  await target?.dispose();
});

describe('security probes', () => {
  for (const probe of probes) {
    it(`${probe.severity}: ${probe.name}`, async () => {
      if (!target) throw new Error('the audit stack did not start');
      await probe.run(target);
    }, 60_000);
  }
});
