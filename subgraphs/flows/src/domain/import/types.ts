import type { FlowGraph } from '../model.js';

export type ImportFormat = 'JSON' | 'MERMAID';

export interface ImportedFlow {
  /** The name the input carries, if any. */
  name: string | null;
  graph: FlowGraph;
}
