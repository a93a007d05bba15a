import type { ProbeTarget } from './target.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/**
 * One attack, tried on a running stack the way an outsider would try it. `run` resolves
 * when the attack fails (the hole is closed) and throws, saying what got through, when it
 * works. Probes create their own accounts and data and call from their own addresses, so
 * they can run in any order against any stack, fresh or not.
 */
export interface Probe {
  /** Stable and short, e.g. `subscription-guard/skipped-decoy`. */
  name: string;
  severity: Severity;
  run: (target: ProbeTarget) => Promise<void>;
}
