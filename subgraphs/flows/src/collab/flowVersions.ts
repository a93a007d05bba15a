import * as Y from 'yjs';
import { badUserInput } from '#internal/errors';
import type { FlowCollab, WriteMeta } from './flowCollab.js';
import { edgesOf, nodesOf, readEdge, readNode } from './flowDoc.js';
import { replay } from './rebase.js';
import type { LogEntry, UpdateLog } from '../store/updateLog.js';
import type { EdgeRecord, NodeRecord } from '../domain/model.js';
import type { FlowContent } from '../domain/model.js';
import type { NamedVersionModel, NamedVersionRecord } from '../store/namedVersion.model.js';
import { opsToReach } from '../domain/contentDiff.js';

/** The content a Yjs document holds (entries that fail validation are left out, as everywhere). */
export function contentOf(doc: Y.Doc, version: number): FlowContent {
  const nodes: NodeRecord[] = [];
  const edges: EdgeRecord[] = [];
  for (const id of [...nodesOf(doc).keys()].sort()) {
    const read = readNode(doc, id);
    if (read && 'record' in read) nodes.push(read.record);
  }
  for (const id of [...edgesOf(doc).keys()].sort()) {
    const read = readEdge(doc, id);
    if (read && 'record' in read) edges.push(read.record);
  }
  return { version, nodes, edges };
}

const notKept = (version: number): Error =>
  badUserInput(
    `Version ${version} is no longer kept: the recent history (the last 1000 versions or so) and named versions are.`,
    'version',
  );

/**
 * A flow's past: the update log read backwards (history), any kept version rebuilt from
 * the nearest snapshot before it plus the log (diffs, restores), and named versions,
 * which keep their whole document forever.
 */
export class FlowVersions {
  constructor(
    private readonly log: UpdateLog,
    private readonly collab: FlowCollab,
    private readonly named: NamedVersionModel,
  ) {}

  history(flowId: string, beforeVersion: number, limit: number): Promise<LogEntry[]> {
    return this.log.before(flowId, beforeVersion, limit);
  }

  /** The flow's content at `version`, or BAD_USER_INPUT when that version cannot be rebuilt any more. */
  async contentAt(flowId: string, version: number): Promise<FlowContent> {
    const current = await this.collab.read(flowId);
    if (!Number.isInteger(version) || version < 0 || version > current.version) {
      throw badUserInput(`The flow has versions 0 to ${current.version}.`, 'version');
    }
    if (version === current.version) return current;
    // Not `lean()`: mongoose turns the stored binary back into a Buffer only on documents.
    const named = await this.named.findOne({ flowId, version });
    if (named) return this.rebuild(version, new Uint8Array(named.state), []);
    const snapshot = await this.log.snapshotAtOrBefore(flowId, version);
    const base = snapshot?.version ?? 0;
    const entries = await this.log.between(flowId, base, version);
    // Every version from the base to the one asked for must still be in the log.
    if (entries.length !== version - base || entries.some((entry, i) => entry.version !== base + i + 1)) {
      throw notKept(version);
    }
    return this.rebuild(version, snapshot?.state ?? null, entries);
  }

  /** Names the current version: its whole document is kept from now on. */
  async name(
    flowId: string,
    name: string,
    authorId: string,
  ): Promise<Omit<NamedVersionRecord, 'state'> & { id: string }> {
    const clean = name.trim();
    if (clean.length === 0 || clean.length > 100) throw badUserInput('The name must have 1 to 100 characters.', 'name');
    if ((await this.named.countDocuments({ flowId })) >= 500) {
      throw badUserInput('A flow keeps at most 500 named versions.', 'name');
    }
    const { update, version } = await this.collab.sync(flowId, null);
    const record = { flowId, name: clean, version, state: Buffer.from(update), authorId, at: new Date() };
    const saved = await this.named.create(record);
    return { flowId, name: clean, version, authorId, at: record.at, id: saved.id as string };
  }

  async namedVersions(flowId: string): Promise<(Omit<NamedVersionRecord, 'state'> & { id: string })[]> {
    const list = await this.named.find({ flowId }, { state: 0 }).sort({ version: -1 }).limit(500).lean();
    return list.map(({ _id, ...rest }) => ({ ...rest, id: String(_id) }));
  }

  /**
   * Brings the flow back to `version` by applying, as ordinary ops, what differs now:
   * collaborators see the restore like any edit, and it is itself a new version (or
   * several, 500 ops each, for large differences).
   */
  async restore(flowId: string, version: number, meta: WriteMeta): Promise<FlowContent> {
    const target = await this.contentAt(flowId, version);
    return this.collab.applyInBatches(flowId, opsToReach(await this.collab.read(flowId), target), meta);
  }

  private rebuild(version: number, state: Uint8Array | null, entries: LogEntry[]): FlowContent {
    let doc = new Y.Doc();
    try {
      if (state) Y.applyUpdate(doc, state);
      for (const entry of entries) doc = replay(doc, entry.update, entry.rebase);
      return contentOf(doc, version);
    } finally {
      doc.destroy();
    }
  }
}
