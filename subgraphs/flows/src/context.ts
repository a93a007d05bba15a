import type { Identity } from '../../../internal/auth/index.js';
import type { PubSub } from '../../../internal/pubsub/index.js';
import type { WorkspaceMemberships } from '../../../internal/workspaces/index.js';
import type { Gauge } from 'prom-client';
import type { FlowModel } from './flow/flow.model.js';
import type { KeyedLock } from './ops/keyedLock.js';

export interface FlowsContext {
  identity: Identity | null;
  flows: FlowModel;
  pubsub: PubSub;
  /** The caller's workspace roles, asked of the users subgraph. */
  memberships: WorkspaceMemberships;
  /** Serialises writes per flow within this instance. */
  writes: KeyedLock;
  /** Open flowEvents subscriptions on this instance. */
  subscribers: Gauge;
}
