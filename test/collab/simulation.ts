// Collaborating clients for the convergence tests: each keeps its own copy of a flow from
// flowEvents (replaying ops, or applying the Yjs updates), edits it at random from what
// it sees (so edits conflict), and records what was acknowledged with which version.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { gql } from '#internal/testkit';

export interface NodeState {
  id: string;
  type: string;
  label: string;
  position: { x: number; y: number };
  data: unknown;
}
export interface EdgeState {
  id: string;
  source: string;
  target: string;
  label: string | null;
  condition: string | null;
}
export interface FlowState {
  nodes: Map<string, NodeState>;
  edges: Map<string, EdgeState>;
}
interface EventOp {
  kind: string;
  nodeId: string | null;
  edgeId: string | null;
  node: NodeState | null;
  edge: EdgeState | null;
}
export interface FlowEvent {
  version: number;
  clientId: string | null;
  update: string;
  ops: EventOp[];
}

/** An acknowledged write: its version, and the entities it meant to change. */
export interface Ack {
  client: string;
  version: number;
  /** For pushes: the version the client's copy was at when it made the edits. */
  base: number;
  /** `node:<id>` / `edge:<id>` → the expected value (null: deleted). */
  effects: Map<string, unknown>;
}

const NODE_FIELDS = /* GraphQL */ `id type label position { x y } data`;
const EDGE_FIELDS = /* GraphQL */ `id source target label condition`;
const EVENTS = /* GraphQL */ `
  subscription ($flowId: ID!, $since: Int) {
    flowEvents(flowId: $flowId, sinceVersion: $since) {
      version clientId update
      ops { kind nodeId edgeId node { ${NODE_FIELDS} } edge { ${EDGE_FIELDS} } }
    }
  }
`;
const APPLY = /* GraphQL */ `
  mutation ($flowId: ID!, $ops: [FlowOpInput!]!, $clientId: String) {
    applyFlowOps(flowId: $flowId, ops: $ops, clientId: $clientId) {
      version
    }
  }
`;
const PUSH = /* GraphQL */ `
  mutation ($flowId: ID!, $update: String!, $clientId: String) {
    pushFlowUpdate(flowId: $flowId, update: $update, clientId: $clientId) {
      version
    }
  }
`;
export const FLOW = /* GraphQL */ `
  query ($id: ID!) { flow(id: $id) { version nodes { ${NODE_FIELDS} } edges { ${EDGE_FIELDS} } } }
`;
export const SYNC = /* GraphQL */ `
  query ($id: ID!, $sv: String) {
    flowSync(flowId: $id, stateVector: $sv) {
      update
      version
    }
  }
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const unb64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/** A canonical, comparable form of a flow. */
export function canonical(state: FlowState): { nodes: NodeState[]; edges: EdgeState[] } {
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    nodes: [...state.nodes.values()]
      .map((n) => ({ id: n.id, type: n.type, label: n.label, position: { ...n.position }, data: n.data ?? null }))
      .sort(byId),
    edges: [...state.edges.values()]
      .map((e) => ({ id: e.id, source: e.source, target: e.target, label: e.label, condition: e.condition }))
      .sort(byId),
  };
}

export const fromLists = (flow: { nodes: NodeState[]; edges: EdgeState[] }): FlowState => ({
  nodes: new Map(flow.nodes.map((n) => [n.id, n])),
  edges: new Map(flow.edges.map((e) => [e.id, e])),
});

/** A flow document decoded the way the server reads it. */
export function decodeDoc(doc: Y.Doc): FlowState {
  const state: FlowState = { nodes: new Map(), edges: new Map() };
  for (const [id, map] of doc.getMap<Y.Map<unknown>>('nodes')) {
    const data = map.get('data') as string | null | undefined;
    state.nodes.set(id, {
      id,
      type: map.get('type') as string,
      label: map.get('label') as string,
      position: map.get('position') as { x: number; y: number },
      data: data == null ? null : (JSON.parse(data) as unknown),
    });
  }
  for (const [id, map] of doc.getMap<Y.Map<unknown>>('edges')) {
    state.edges.set(id, {
      id,
      source: map.get('source') as string,
      target: map.get('target') as string,
      label: (map.get('label') as string | null | undefined) ?? null,
      condition: (map.get('condition') as string | null | undefined) ?? null,
    });
  }
  return state;
}

export function applyEventOps(state: FlowState, event: FlowEvent): void {
  for (const op of event.ops) {
    switch (op.kind) {
      case 'ADD_NODE':
      case 'UPDATE_NODE':
      case 'MOVE_NODE':
        if (op.node) state.nodes.set(op.node.id, op.node);
        break;
      case 'DELETE_NODE':
        state.nodes.delete(op.nodeId ?? '');
        break;
      case 'ADD_EDGE':
      case 'UPDATE_EDGE':
        if (op.edge) state.edges.set(op.edge.id, op.edge);
        break;
      case 'DELETE_EDGE':
        state.edges.delete(op.edgeId ?? '');
        break;
    }
  }
}

/** The entities an event changed. */
export const touchedBy = (event: FlowEvent): string[] =>
  event.ops.map((op) => (op.kind.endsWith('_NODE') ? `node:${op.nodeId}` : `edge:${op.edgeId}`));

export interface SimulationOptions {
  flowId: string;
  token: string;
  routerUrl: string;
  name: string;
  /** Keeps a Yjs document and writes with pushFlowUpdate instead of applyFlowOps. */
  rich: boolean;
  /** Nodes many clients move at once. */
  hot: readonly string[];
  random: () => number;
}

export class SimClient {
  readonly state: FlowState = { nodes: new Map(), edges: new Map() };
  readonly doc = new Y.Doc();
  readonly events: FlowEvent[] = [];
  readonly acks: Ack[] = [];
  version = 0;
  rejected = 0;
  failed = 0;
  problems: string[] = [];
  resubscriptions = 0;
  private ws: Client | undefined;
  private stopped = false;
  private counter = 0;
  private readonly local: Uint8Array[] = [];
  private localBase = 0;
  private localEffects = new Map<string, unknown>();

  constructor(private readonly options: SimulationOptions) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'local') this.local.push(update);
    });
  }

  get name(): string {
    return this.options.name;
  }

  /** Rich clients start from flowSync; all subscribe from their version and resubscribe from it after any error. */
  async start(): Promise<void> {
    if (this.options.rich) {
      const synced = await gql(this.options.routerUrl, SYNC, { id: this.options.flowId }, this.options.token);
      const sync = synced.data?.['flowSync'] as { update: string; version: number } | undefined;
      if (!sync) throw new Error(`flowSync failed: ${JSON.stringify(synced.errors)}`);
      Y.applyUpdate(this.doc, unb64(sync.update), 'remote');
      this.version = sync.version;
    }
    this.ws = createClient({
      url: this.options.routerUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 1_000,
      retryWait: async () => {
        await sleep(200);
      },
      shouldRetry: () => true,
      connectionParams: { authorization: `Bearer ${this.options.token}` },
    });
    this.subscribe();
  }

  private subscribe(): void {
    if (this.stopped || !this.ws) return;
    let ended = false;
    const again = () => {
      if (ended) return;
      ended = true;
      this.resubscriptions += 1;
      setTimeout(() => this.subscribe(), 200);
    };
    this.ws.subscribe<{ flowEvents: FlowEvent }>(
      { query: EVENTS, variables: { flowId: this.options.flowId, since: this.version } },
      {
        next: (result) => {
          if (result.data?.flowEvents) this.receive(result.data.flowEvents);
          else again();
        },
        error: again,
        complete: again,
      },
    );
  }

  private receive(event: FlowEvent): void {
    if (event.version <= this.version) {
      this.problems.push(`${this.name}: duplicate v${event.version} (at v${this.version})`);
      return;
    }
    if (event.version !== this.version + 1)
      this.problems.push(`${this.name}: gap before v${event.version} (at v${this.version})`);
    this.version = event.version;
    this.events.push(event);
    if (this.options.rich) Y.applyUpdate(this.doc, unb64(event.update), 'remote');
    else applyEventOps(this.state, event);
  }

  /** What this client sees now. */
  view(): FlowState {
    return this.options.rich ? decodeDoc(this.doc) : this.state;
  }

  /** Writes until `budget()` says stop; each write is 2–6 random ops from what this client sees. */
  async run(budget: () => boolean, count: (ops: number) => void): Promise<void> {
    while (budget()) {
      try {
        if (this.options.rich) await this.richStep(count);
        else await this.opsStep(count);
      } catch {
        this.failed += 1;
        await sleep(100);
      }
    }
    if (this.options.rich && this.local.length > 0) await this.push(count).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.ws?.dispose();
  }

  private pick<T>(items: readonly T[]): T | undefined {
    return items[Math.floor(this.options.random() * items.length)];
  }

  private nodeIds(): string[] {
    return [...this.view().nodes.keys()];
  }

  private targetNode(): string | undefined {
    const ids = this.nodeIds();
    const hot = this.options.hot.filter((id) => ids.includes(id));
    return this.options.random() < 0.6 && hot.length > 0 ? this.pick(hot) : this.pick(ids);
  }

  private newId(kind: string): string {
    this.counter += 1;
    return `${this.name}-${kind}${this.counter}`;
  }

  private randomOp(): Record<string, unknown> {
    const r = this.options.random();
    const nodes = this.nodeIds();
    const missingHot = this.options.hot.filter((id) => !nodes.includes(id));
    const node = this.targetNode();
    const position = { x: Math.round(this.options.random() * 1000), y: Math.round(this.options.random() * 1000) };
    if (missingHot.length > 0 && r < 0.1) {
      const id = missingHot[0] ?? 'hot';
      return { kind: 'ADD_NODE', node: { id, type: 'screen', label: id, position } };
    }
    if (!node || r < 0.25) {
      const type = this.pick(['start', 'screen', 'action', 'decision', 'end', 'note', 'custom-step']) ?? 'screen';
      return { kind: 'ADD_NODE', node: { id: this.newId('n'), type, label: `by ${this.name}`, position } };
    }
    if (r < 0.5) return { kind: 'MOVE_NODE', nodeId: node, node: { position } };
    if (r < 0.6)
      return {
        kind: 'UPDATE_NODE',
        nodeId: node,
        node: { label: `${this.name} ${this.counter++}`, data: { n: this.counter } },
      };
    if (r < 0.68) return { kind: 'DELETE_NODE', nodeId: node };
    const edges = [...this.view().edges.keys()];
    const edge = this.pick(edges);
    if (edge && r < 0.75) return { kind: 'DELETE_EDGE', edgeId: edge };
    if (edge && r < 0.8) return { kind: 'UPDATE_EDGE', edgeId: edge, edge: { condition: `c${this.counter++}` } };
    return {
      kind: 'ADD_EDGE',
      edge: { id: this.newId('e'), source: node, target: this.targetNode() ?? node, label: 'go' },
    };
  }

  private async opsStep(count: (ops: number) => void): Promise<void> {
    const ops = Array.from({ length: 2 + Math.floor(this.options.random() * 5) }, () => this.randomOp());
    const result = await gql(
      this.options.routerUrl,
      APPLY,
      { flowId: this.options.flowId, ops, clientId: this.name },
      this.options.token,
    );
    const version = result.data?.['applyFlowOps']?.version as number | undefined;
    if (version !== undefined) {
      this.acks.push({ client: this.name, version, base: version - 1, effects: new Map() });
      count(ops.length);
    } else if (result.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT') {
      this.rejected += 1;
    } else {
      this.failed += 1;
      await sleep(100);
    }
  }

  /** Edits the local document; now and then stays "offline" for a few edits before pushing. */
  private async richStep(count: (ops: number) => void): Promise<void> {
    if (this.local.length === 0) {
      this.localBase = this.version;
      this.localEffects = new Map();
    }
    const nodes = this.doc.getMap<Y.Map<unknown>>('nodes');
    const edges = this.doc.getMap<Y.Map<unknown>>('edges');
    const node = this.targetNode();
    const r = this.options.random();
    this.doc.transact(() => {
      if (!node || r < 0.25) {
        const id = this.newId('n');
        const fields: [string, unknown][] = [
          ['type', 'screen'],
          ['label', `offline ${this.name}`],
          ['position', { x: 1, y: 2 }],
          ['data', null],
        ];
        nodes.set(id, new Y.Map<unknown>(fields));
        this.localEffects.set(`node:${id}`, 'exists');
      } else if (r < 0.6) {
        const position = { x: Math.round(this.options.random() * 1000), y: -1 };
        nodes.get(node)?.set('position', position);
        this.localEffects.set(`node:${node}`, position);
      } else if (r < 0.7) {
        nodes.delete(node);
        for (const [id, edge] of edges)
          if (edge.get('source') === node || edge.get('target') === node) {
            edges.delete(id);
            // This batch's own edges too (say, to a node it added and now deletes): gone, not expected.
            this.localEffects.set(`edge:${id}`, null);
          }
        this.localEffects.set(`node:${node}`, null);
      } else {
        // Possibly to a node someone else is deleting right now: the server removes such edges.
        const id = this.newId('e');
        const target = this.targetNode() ?? node;
        edges.set(
          id,
          new Y.Map<unknown>([
            ['source', node],
            ['target', target],
            ['label', null],
            ['condition', null],
          ]),
        );
        this.localEffects.set(`edge:${id}`, { source: node, target });
      }
    }, 'local');
    count(1);
    if (this.options.random() < 0.2) await this.push(() => undefined);
    else await sleep(20);
  }

  private async push(count: (ops: number) => void): Promise<void> {
    const update = b64(Y.mergeUpdates(this.local.splice(0)));
    // Not acknowledged (an error, or no answer at all): keep the edits for the next push
    // (a CRDT update can be sent again).
    const keep = (): void => {
      this.failed += 1;
      this.local.unshift(unb64(update));
    };
    const result = await gql(
      this.options.routerUrl,
      PUSH,
      { flowId: this.options.flowId, update, clientId: this.name },
      this.options.token,
    ).catch((error: unknown) => {
      keep();
      throw error;
    });
    const version = result.data?.['pushFlowUpdate']?.version as number | undefined;
    if (version === undefined) {
      keep();
      throw new Error(JSON.stringify(result.errors));
    }
    this.acks.push({ client: this.name, version, base: this.localBase, effects: this.localEffects });
    count(0);
  }
}

/** A small seeded PRNG (mulberry32), so a failing run can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every acknowledged write is in the history at its version, from its client, and each
 * entity it changed is in `final` as it left it — unless a later write (or, for a pushed
 * offline edit, any write after the copy it was made on) touched that entity too.
 */
export function unreflectedAcks(acks: readonly Ack[], history: readonly FlowEvent[], final: FlowState): string[] {
  const problems: string[] = [];
  const touches = new Map<string, number[]>();
  for (const event of history) {
    for (const key of touchedBy(event)) {
      touches.set(key, [...(touches.get(key) ?? []), event.version]);
    }
  }
  const touchedAfter = (key: string, after: number, except: number): boolean =>
    (touches.get(key) ?? []).some((version) => version > after && version !== except);
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  for (const ack of acks) {
    const event = history[ack.version - 1];
    // A push that brings nothing new (say, deleting what is already deleted) makes no version.
    const noop = ack.effects.size > 0 && event?.clientId !== ack.client;
    if (!event || event.version !== ack.version || (event.clientId !== ack.client && !noop)) {
      problems.push(
        `${ack.client}: v${ack.version} acknowledged but the history has ${JSON.stringify(event?.clientId)} there`,
      );
      continue;
    }
    if (ack.effects.size === 0) {
      // applyFlowOps: what it changed is what its event says.
      const after = new Map<string, unknown>();
      for (const op of event.ops) {
        const key = op.kind.endsWith('_NODE') ? `node:${op.nodeId}` : `edge:${op.edgeId}`;
        after.set(key, op.node ?? op.edge ?? null);
      }
      for (const [key, value] of after) {
        if (touchedAfter(key, ack.version, ack.version)) continue;
        const [kind, id] = key.split(/:(.*)/s) as [string, string];
        const now = kind === 'node' ? final.nodes.get(id) : final.edges.get(id);
        const canon = (v: unknown) =>
          v === null || v === undefined
            ? null
            : kind === 'node'
              ? canonical({ nodes: new Map([[id, v as NodeState]]), edges: new Map() }).nodes[0]
              : canonical({ nodes: new Map(), edges: new Map([[id, v as EdgeState]]) }).edges[0];
        if (!same(canon(now), canon(value))) problems.push(`${ack.client}: v${ack.version} ${key} lost`);
      }
      continue;
    }
    for (const [key, expected] of ack.effects) {
      if (touchedAfter(key, ack.base, ack.version)) continue;
      const [kind, id] = key.split(/:(.*)/s) as [string, string];
      if (kind === 'edge') {
        if (expected === null) {
          if (final.edges.has(id)) problems.push(`${ack.client}: pushed v${ack.version} ${key} not deleted`);
          continue;
        }
        const ends = expected as { source: string; target: string };
        if (touchedAfter(`node:${ends.source}`, ack.base, -1) || touchedAfter(`node:${ends.target}`, ack.base, -1))
          continue;
        if (!final.edges.has(id)) problems.push(`${ack.client}: pushed v${ack.version} ${key} lost`);
        continue;
      }
      const now = final.nodes.get(id);
      const ok = expected === null ? !now : expected === 'exists' ? !!now : same(now?.position, expected);
      if (!ok)
        problems.push(
          `${ack.client}: pushed v${ack.version} ${key} lost (${JSON.stringify(expected)} vs ${JSON.stringify(now)})`,
        );
    }
  }
  return problems;
}

export interface ConvergenceOptions {
  routerUrls: readonly string[];
  token: string;
  clients: number;
  richClients: number;
  ops: number;
  seed: number;
  /** Run once when half of the ops are in (e.g. restart a flows instance). */
  midway?: () => Promise<void>;
}

export interface ConvergenceReport {
  flowId: string;
  version: number;
  ops: number;
  acks: number;
  rejected: number;
  failed: number;
  resubscriptions: number;
  nodes: number;
  edges: number;
  problems: string[];
  /** Every client's copy, flow(id) and a fresh flowSync through each router, canonical. */
  states: { who: string; state: ReturnType<typeof canonical> }[];
  seconds: number;
}

/** N clients edit one flow at once through the routers; then everything they and the server hold is compared. */
export async function runConvergence(options: ConvergenceOptions): Promise<ConvergenceReport> {
  const started = Date.now();
  const [first] = options.routerUrls;
  if (!first) throw new Error('no router');
  const created = await gql(first, 'mutation { createFlow(input: { name: "Together" }) { id } }', {}, options.token);
  const flowId = created.data?.['createFlow'].id as string;
  const hot = ['hot0', 'hot1', 'hot2', 'hot3'];
  await gql(
    first,
    APPLY,
    {
      flowId,
      ops: hot.map((id) => ({ kind: 'ADD_NODE', node: { id, type: 'screen', label: id } })),
      clientId: 'setup',
    },
    options.token,
  );
  const random = seeded(options.seed);
  const clients = Array.from(
    { length: options.clients },
    (_, i) =>
      new SimClient({
        flowId,
        token: options.token,
        routerUrl: options.routerUrls[i % options.routerUrls.length] ?? first,
        name: `c${i}`,
        rich: i >= options.clients - options.richClients,
        hot,
        random,
      }),
  );
  await Promise.all(clients.map((client) => client.start()));
  // Subscribed once the replay from the log arrived.
  await waitFor(() => clients.every((client) => client.version >= 1), 20_000, 'subscriptions');

  let total = 0;
  let midway: Promise<void> | undefined;
  const count = (n: number): void => {
    total += n;
    if (!midway && options.midway && total >= options.ops / 2) midway = options.midway();
  };
  await Promise.all(clients.map((client) => client.run(() => total < options.ops, count)));
  await midway;

  const read = async (url: string) => {
    const result = await gql(url, FLOW, { id: flowId }, options.token);
    const flow = result.data?.['flow'] as { version: number; nodes: NodeState[]; edges: EdgeState[] } | undefined;
    if (!flow) throw new Error(`flow(id) failed: ${JSON.stringify(result.errors)}`);
    return flow;
  };
  const final = await read(first);
  await waitFor(() => clients.every((client) => client.version >= final.version), 30_000, 'the last event');
  const states: ConvergenceReport['states'] = [];
  for (const [i, url] of options.routerUrls.entries()) {
    const flow = await read(url);
    states.push({ who: `flow(id) via router ${i} (v${flow.version})`, state: canonical(fromLists(flow)) });
    const synced = await gql(url, SYNC, { id: flowId }, options.token);
    const sync = synced.data?.['flowSync'] as { update: string; version: number };
    const doc = new Y.Doc();
    Y.applyUpdate(doc, unb64(sync.update));
    states.push({ who: `flowSync via router ${i} (v${sync.version})`, state: canonical(decodeDoc(doc)) });
  }
  for (const client of clients)
    states.push({ who: `client ${client.name} (v${client.version})`, state: canonical(client.view()) });
  await Promise.all(clients.map((client) => client.stop()));

  const history = clients[0]?.events ?? [];
  const acks = clients.flatMap((client) => client.acks);
  const problems = [
    ...clients.flatMap((client) => client.problems),
    ...(history.length === final.version && history.every((event, i) => event.version === i + 1)
      ? []
      : [`history of c0 is not versions 1..${final.version}`]),
    ...unreflectedAcks(acks, history, fromLists(final)),
  ];
  return {
    flowId,
    version: final.version,
    ops: total,
    acks: acks.length,
    rejected: clients.reduce((sum, client) => sum + client.rejected, 0),
    failed: clients.reduce((sum, client) => sum + client.failed, 0),
    resubscriptions: clients.reduce((sum, client) => sum + client.resubscriptions, 0),
    nodes: final.nodes.length,
    edges: final.edges.length,
    problems,
    states,
    seconds: (Date.now() - started) / 1000,
  };
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
