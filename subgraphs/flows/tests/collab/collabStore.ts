// The flows store on the real engine (a database of a test file's own) and FlowCollab instances over it.
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectDatabase } from '#internal/db';
import { createMemoryPubSub, type PubSub } from '#internal/pubsub';
import { FlowCollab, type FlowCollabOptions } from '../../src/collab/flowCollab.js';
import { UpdateLog } from '../../src/store/updateLog.js';
import { createFlowModel, type FlowModel } from '../../src/store/flow.model.js';
import { FlowOpKind, type FlowOp } from '../../src/domain/ops.js';

export interface CollabStore {
  db: () => Connection;
  log: () => UpdateLog;
  /** A new flows instance: its own cache and bus, the shared store. */
  instance: (options?: FlowCollabOptions) => FlowCollab;
  /** A new empty flow record, by id. */
  newFlow: () => Promise<string>;
}

/** Connects before the file's tests (database `<dbPrefix>_<time>`); drops it and closes every bus after. */
export function collabStore(dbPrefix: string): CollabStore {
  let db: Connection;
  let log: UpdateLog;
  let flows: FlowModel;
  const buses: PubSub[] = [];
  const logger = pino({ level: 'silent' });
  beforeAll(async () => {
    db = await connectDatabase(inject('serviceEnv')['MONGODB_URI'] ?? '', `${dbPrefix}_${Date.now()}`, new Registry());
    flows = createFlowModel(db);
    await flows.init();
    log = new UpdateLog(db);
    await log.init();
  });
  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await db.dropDatabase();
    await db.close();
  });
  return {
    db: () => db,
    log: () => log,
    instance: (options = {}) => {
      const bus = createMemoryPubSub();
      buses.push(bus);
      return new FlowCollab(log, flows, bus, logger, options);
    },
    newFlow: async () => {
      const flow = await flows.create({ name: 'f', description: null, ownerId: 'u1', workspaceId: null, version: 0 });
      return flow.id as string;
    },
  };
}

export const add = (id: string): FlowOp => ({
  kind: FlowOpKind.ADD_NODE,
  node: { id, type: 'screen', label: id },
});
export const move = (id: string, x: number): FlowOp => ({
  kind: FlowOpKind.MOVE_NODE,
  nodeId: id,
  node: { position: { x, y: x } },
});
