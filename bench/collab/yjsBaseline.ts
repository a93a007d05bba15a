// The baseline: a bare y-websocket server (`@y/websocket-server`'s own bin, in its own
// process, in memory, no auth, no persistence) relaying one document between Yjs clients.
// The document has the flows subgraph's shape (root map `nodes`, a map of fields per node)
// and a write is the same logical change as on the router: `position` of the writer's
// `batch` nodes, in one transaction.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { freePort, waitForHttp } from '../../stack/net.js';
import { supervise, type Supervised } from '../../stack/processes.js';
import type { CollabPath } from './driver.js';
import { nodeId } from './routerPath.js';

export interface BaselineOptions {
  subscribers: number;
  writers: number;
  batch: number;
}

export interface Baseline extends CollabPath {
  server: Supervised;
}

const ROOM = 'collab-bench';

function connect(url: string, doc: Y.Doc): WebsocketProvider {
  const provider = new WebsocketProvider(url, ROOM, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Node has BroadcastChannel: without this, same-process docs would bypass the server.
    disableBc: true,
    connect: false,
  });
  // No presence: the router path has none, and its renewals would add traffic.
  provider.awareness.setLocalState(null);
  provider.connect();
  return provider;
}

const synced = (provider: WebsocketProvider): Promise<void> =>
  provider.synced ? Promise.resolve() : new Promise((resolve) => provider.once('sync', () => resolve()));

export async function startBaseline(options: BaselineOptions): Promise<Baseline> {
  // Every provider listens for the process's exit.
  process.setMaxListeners(process.getMaxListeners() + options.subscribers + options.writers);
  const port = await freePort();
  const bin = join(dirname(fileURLToPath(import.meta.resolve('@y/websocket-server/package.json'))), 'src/server.js');
  const server = supervise('y-websocket', process.execPath, [bin], {
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: String(port) },
    output: 'ignore',
  });
  const providers: WebsocketProvider[] = [];
  const docs: Y.Doc[] = [];
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 30_000, 'the y-websocket server', server.running);
    const url = `ws://127.0.0.1:${port}`;

    const writers = Array.from({ length: options.writers }, () => new Y.Doc());
    docs.push(...writers);
    providers.push(...writers.map((doc) => connect(url, doc)));
    await Promise.all(providers.map(synced));
    const first = writers[0];
    if (!first) throw new Error('no writer');
    first.transact(() => {
      for (let writer = 0; writer < options.writers; writer += 1) {
        for (let index = 0; index < options.batch; index += 1) {
          const fields: [string, unknown][] = [
            ['type', 'screen'],
            ['label', `screen ${writer * options.batch + index}`],
            ['position', { x: 0, y: 0 }],
            ['size', null],
            ['data', null],
          ];
          first.getMap('nodes').set(nodeId(writer, index), new Y.Map<unknown>(fields));
        }
      }
    });

    const path: Baseline = {
      name: 'y-websocket',
      subscribers: options.subscribers,
      server,
      onSeen: () => undefined,
      send: (writer, seq) => {
        const doc = writers[writer];
        if (!doc) return Promise.reject(new Error(`no writer ${writer}`));
        const nodes = doc.getMap<Y.Map<unknown>>('nodes');
        doc.transact(() => {
          for (let index = 0; index < options.batch; index += 1) {
            nodes.get(nodeId(writer, index))?.set('position', { x: seq, y: index });
          }
        });
        return Promise.resolve();
      },
      dispose: async () => {
        for (const provider of providers) provider.destroy();
        for (const doc of docs) doc.destroy();
        await server.stop();
      },
    };

    const subscribers = Array.from({ length: options.subscribers }, () => new Y.Doc());
    docs.push(...subscribers);
    for (const doc of subscribers) {
      // One callback per received transaction; the moved node's x is the write's sequence number.
      doc.getMap('nodes').observeDeep((events) => {
        const moved = events.find((event) => event instanceof Y.YMapEvent && event.keysChanged.has('position'));
        const position = (moved?.target as Y.Map<unknown> | undefined)?.get('position') as { x: number } | undefined;
        if (position) path.onSeen(position.x);
      });
      providers.push(connect(url, doc));
    }
    await Promise.all(providers.map(synced));
    return path;
  } catch (error) {
    for (const provider of providers) provider.destroy();
    await server.stop();
    throw error;
  }
}
