import { AssertionSigner, AssertionVerifier } from '#internal/auth';
import { connectDatabase, pingDatabase } from '#internal/db';
import { startAccountDeletionConsumer } from '#internal/events';
import { createLogger } from '#internal/logger';
import { createMetrics } from '#internal/metrics';
import { createPubSub } from '#internal/pubsub';
import { startSubgraph, type RunningSubgraph } from '#internal/subgraph';
import { UsersApi } from '#internal/usersApi';
import { WorkspaceMemberships } from '#internal/workspaces';
import { removeAccountFlows } from './accountDeletion/accountDeletion.handler.js';
import type { FlowsConfig } from './config.js';
import { createFlowLoader } from './store/recentFlows.js';
import { RecentFlows } from './store/recentFlows.js';
import { stopLayoutWorker } from './domain/layout.js';
import { createFlowModel } from './store/flow.model.js';
import { FlowVersions } from './collab/flowVersions.js';
import { createNamedVersionModel } from './store/namedVersion.model.js';
import { RecentCollaborators } from './store/recentCollaborators.js';
import { createSharingContext } from './store/sharing.context.js';
import { createFlowInvitationModel } from './store/flowInvitation.model.js';
import { FlowInvitations } from './store/flowInvitations.js';
import { createMailer } from '#internal/mail';
import { createCollaboratorModel, createShareLinkModel } from './store/sharing.model.js';
import { FlowCollab } from './collab/flowCollab.js';
import { UpdateLog } from './store/updateLog.js';
import { buildFlowsSchema } from './schema.js';
import { Gauge } from 'prom-client';

export async function start(config: FlowsConfig): Promise<RunningSubgraph> {
  const logger = createLogger('flows', config.logLevel);
  const metrics = createMetrics('flows');
  const db = await connectDatabase(config.mongodbUri, config.dbName, metrics.registry);
  const flows = createFlowModel(db);
  const collaborators = createCollaboratorModel(db);
  const invitations = createFlowInvitationModel(db);
  const sharing = {
    collaborators,
    shareLinks: createShareLinkModel(db),
    invitations: new FlowInvitations(invitations),
    recentCollaborators: new RecentCollaborators(collaborators),
  };
  await Promise.all([sharing.collaborators.init(), sharing.shareLinks.init(), invitations.init()]);
  const mail = createMailer(config.mail);
  await flows.init();
  const pubsub = createPubSub(config.redisUrl);
  const log = new UpdateLog(db);
  await log.init();
  const collab = new FlowCollab(log, flows, pubsub, logger, config.collab);
  const usersApi = new UsersApi(config.usersUrl, AssertionSigner.service('flows', config.assertionKey), 'flows');
  const memberships = new WorkspaceMemberships(usersApi);
  const subscribers = new Gauge({
    name: 'flow_event_subscribers',
    help: 'Open flowEvents subscriptions on this instance.',
    registers: [metrics.registry],
  });
  const namedVersions = createNamedVersionModel(db);
  await namedVersions.init();
  const versions = new FlowVersions(log, collab, namedVersions);
  const recentFlows = new RecentFlows(flows);
  const running = await startSubgraph({
    name: 'flows',
    host: config.host,
    port: config.port,
    schema: await buildFlowsSchema(pubsub),
    production: config.production,
    metricsAccess: config.metrics,
    logger,
    assertions: new AssertionVerifier('flows', { own: config.assertionKey }),
    metrics,
    context: ({ identity, fanOut }) => ({
      identity,
      fanOut: fanOut ?? null,
      flows,
      pubsub,
      memberships,
      usersApi,
      mail,
      publicUrl: config.publicUrl,
      collab,
      recentFlows,
      flowById: createFlowLoader(recentFlows),
      versions,
      sharing: createSharingContext(identity, sharing),
      subscribers,
    }),
    readiness: async () => ({ mongodb: await pingDatabase(db) }),
  });
  const accountDeletions = startAccountDeletionConsumer({
    users: usersApi,
    db,
    handle: removeAccountFlows({ flows, log, collab, recentFlows, namedVersions, sharing }),
    logger,
    registry: metrics.registry,
    pollMs: config.accountDeletionPollMs,
  });
  return {
    ...running,
    dispose: async () => {
      await running.dispose();
      await accountDeletions.dispose();
      collab.dispose();
      stopLayoutWorker();
      await pubsub.close();
      await db.close();
    },
  };
}
