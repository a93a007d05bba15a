import type { Point, Size } from './model.js';

/** The edits a flow takes; every write, by a person or by the AI, is a list of these. */
export enum FlowOpKind {
  ADD_NODE = 'ADD_NODE',
  UPDATE_NODE = 'UPDATE_NODE',
  MOVE_NODE = 'MOVE_NODE',
  DELETE_NODE = 'DELETE_NODE',
  ADD_EDGE = 'ADD_EDGE',
  UPDATE_EDGE = 'UPDATE_EDGE',
  DELETE_EDGE = 'DELETE_EDGE',
}

/** A node's fields as an op gives them; absent on an update means "leave alone", `size: null` the default size. */
export interface NodeChange {
  id?: string | null;
  type?: string | null;
  label?: string | null;
  position?: Point | null;
  size?: Size | null;
  data?: unknown;
}

export interface EdgeChange {
  id?: string | null;
  source?: string | null;
  target?: string | null;
  label?: string | null;
  condition?: string | null;
}

/** One edit of a flow; `nodeId`/`edgeId` name the target of updates and deletes. */
export interface FlowOp {
  kind: FlowOpKind;
  nodeId?: string | null;
  edgeId?: string | null;
  node?: NodeChange | null;
  edge?: EdgeChange | null;
}
