import type { FanOutScope, Identity } from '#internal/auth';
import type { Mailer } from '#internal/mail';
import type { PubSub } from '#internal/pubsub';
import type { UsersApi } from '#internal/usersApi';
import type { WorkspaceMemberships } from '#internal/workspaces';
import type { Gauge } from 'prom-client';
import type { FlowCollab } from './collab/flowCollab.js';
import type DataLoader from 'dataloader';
import type { FlowDocument, FlowModel } from './store/flow.model.js';
import type { RecentFlows } from './store/recentFlows.js';
import type { SharingContext } from './store/sharing.context.js';
import type { FlowVersions } from './collab/flowVersions.js';

export interface FlowsContext {
  identity: Identity | null;
  /**
   * The router subscribing once for many subscribers, each authorized by a `@fanOut`
   * guard (identity is null): the one field and arguments it may subscribe to.
   */
  fanOut: FanOutScope | null;
  flows: FlowModel;
  pubsub: PubSub;
  /** The caller's workspace roles, asked of the users subgraph. */
  memberships: WorkspaceMemberships;
  /** What flows may ask the users domain on its own account (an account's email and name). */
  usersApi: UsersApi;
  /** Flow invitations go out by mail. */
  mail: Mailer;
  /** Where the links in mails point. */
  publicUrl: string;
  /** Flow content: one Yjs document per flow, its update log and snapshots. */
  collab: FlowCollab;
  /** Flow records read in the last second on this instance (see `RecentFlows`). */
  recentFlows: RecentFlows;
  /** Flows by id, batched and cached for one request (field rules on a page of flows). */
  flowById: DataLoader<string, FlowDocument | null>;
  /** History, diffs, named versions and restores. */
  versions: FlowVersions;
  /** Per-flow collaborators and share links. */
  sharing: SharingContext;
  /** Open flowEvents subscriptions on this instance. */
  subscribers: Gauge;
}
