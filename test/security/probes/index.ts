import type { Probe } from '../probe.js';
import { accountProbes } from './accounts.js';
import { subscriptionGuardProbes } from './subscriptionGuard.js';

/** Every probe, by area. */
export const probes: Probe[] = [...subscriptionGuardProbes, ...accountProbes];
