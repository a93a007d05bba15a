import type { Probe } from '../probe.js';
import { accountProbes } from './accounts.js';
import { exposureProbes } from './exposure.js';
import { accountDeletionProbes } from './accountDeletion.js';
import { operationLimitProbes } from './operationLimits.js';
import { sessionProbes } from './sessions.js';
import { sharingProbes } from './sharing.js';
import { subgraphAccessProbes } from './subgraphAccess.js';
import { subscriptionGuardProbes } from './subscriptionGuard.js';

/** Every probe, by area. */
export const probes: Probe[] = [
  ...subscriptionGuardProbes,
  ...operationLimitProbes,
  ...sessionProbes,
  ...accountProbes,
  ...subgraphAccessProbes,
  ...exposureProbes,
  ...sharingProbes,
  ...accountDeletionProbes,
];
