import type { Probe } from '../probe.js';
import { accountDeletionProbes } from './accountDeletion.js';
import { operationLimitProbes } from './operationLimits.js';
import { subgraphAccessProbes } from './subgraphAccess.js';
import { subscriptionGuardProbes } from './subscriptionGuard.js';

/** Every probe, by area. */
export const probes: Probe[] = [
  ...subscriptionGuardProbes,
  ...operationLimitProbes,
  ...subgraphAccessProbes,
  ...accountDeletionProbes,
];
