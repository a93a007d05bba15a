// `npm run audit:security`: starts a fresh stack as deployers run it and tries every probe
// in test/security/probes on it, one line per probe, then `N passed, N failed`. Exits 1
// when any probe got through. The same probes run in `npm test` (test/security.e2e.test.ts).
import { createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startAuditStack } from './auditStack.js';
import { probes } from './probes/index.js';

const only = process.argv[2];
const selected = only ? probes.filter((probe) => probe.name.includes(only)) : probes;
const log = process.env['AUDIT_LOG'] ? createWriteStream(process.env['AUDIT_LOG']) : 'ignore';

process.stderr.write(`starting a fresh stack (NODE_ENV=production)…\n`);
const target = await startAuditStack(log);
let passed = 0;
let failed = 0;
try {
  for (const probe of selected) {
    const started = performance.now();
    let outcome: string;
    try {
      await probe.run(target);
      passed += 1;
      outcome = 'pass';
    } catch (error) {
      failed += 1;
      outcome = `FAIL  ${(error as Error).message.split('\n')[0] ?? ''}`;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
    process.stdout.write(`${probe.severity.padEnd(8)} ${probe.name.padEnd(62)} ${seconds}s  ${outcome}\n`);
  }
} finally {
  await target.dispose();
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
