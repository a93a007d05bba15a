import type { Identity } from '../../../internal/auth/index.js';
import type { PubSub } from '../../../internal/pubsub/index.js';
import type { FlowModel } from './flow/flow.model.js';

export interface FlowsContext {
  identity: Identity | null;
  flows: FlowModel;
  pubsub: PubSub;
}
