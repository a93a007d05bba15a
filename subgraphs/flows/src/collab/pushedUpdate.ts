import * as Y from 'yjs';
import { AppError, badUserInput, ErrorCode } from '#internal/errors';
import { edgesOf } from './flowDoc.js';
import { FROM_CLIENT, FROM_SERVER, type LiveDoc, type PreparedWrite } from './liveDoc.js';
import { diffToOps, normalizePushed } from './merge.js';

/** Refuses what is too large or not a Yjs update, before the flow's lock is taken. */
export function checkPushedUpdate(update: Uint8Array, maxBytes: number): void {
  if (update.byteLength > maxBytes) throw badUserInput(`update is larger than ${maxBytes} bytes.`, 'update');
  try {
    Y.decodeUpdate(update);
  } catch {
    throw badUserInput('update is not a Yjs update.', 'update');
  }
}

/**
 * Merges a client's update into the live document and says what it changed; null when it
 * brings nothing new. Content that breaks the flow's rules throws (the document then holds
 * it: the caller drops it); edges left without an end are deleted in the same version.
 */
export function preparePushedUpdate(live: LiveDoc, update: Uint8Array): PreparedWrite | null {
  const { doc } = live;
  live.clearTouched();
  const updates: Uint8Array[] = [];
  const listener = (bytes: Uint8Array): void => void updates.push(bytes);
  doc.on('update', listener);
  try {
    try {
      Y.applyUpdate(doc, update, FROM_CLIENT);
    } catch {
      throw badUserInput('update is not a valid Yjs update.', 'update');
    }
    if (doc.store.pendingStructs || doc.store.pendingDs) {
      if (live.epoch > 0) {
        throw new AppError(
          ErrorCode.CONFLICT,
          `The flow's document was rebuilt at version ${live.epoch}: call flowSync without a state vector, ` +
            'replace your copy, and apply your changes to it again.',
          { reason: 'RESYNC', field: 'update' },
        );
      }
      throw badUserInput(
        'update builds on changes this flow does not have (another document?): call flowSync and merge first.',
        'update',
      );
    }
    if (doc.share.size > 2) throw badUserInput('update may only hold the "nodes" and "edges" maps.', 'update');
    if (updates.length === 0) return null;
    const normalized = normalizePushed(doc, live.view, live.touched);
    if (normalized.dangling.length > 0) {
      doc.transact(() => {
        for (const id of normalized.dangling) edgesOf(doc).delete(id);
      }, FROM_SERVER);
    }
    const changes = normalized.changes;
    return { update: Y.mergeUpdates(updates), applied: diffToOps(live.view, changes), changes };
  } finally {
    doc.off('update', listener);
  }
}
