// The flows domain: its one model, ops and the pure functions over them.
export {
  DEFAULT_SIZES,
  FLOW_LIMITS,
  toGraph,
  toGraphEdge,
  toGraphNode,
  type EdgeRecord,
  type FlowContent,
  type FlowRecords,
  type NodeRecord,
  NODE_TYPES,
  isKnownNodeType,
  isNodeType,
  type FlowGraph,
  type GraphEdge,
  type GraphNode,
  type KnownNodeType,
  type Point,
  type Size,
} from './model.js';
export { FlowProblemCode, validateFlow, type FlowProblem } from './validate.js';
export { analyzeFlow, type AnalyzeOptions, type FlowAnalytics, type FlowPath } from './analytics.js';
export { layoutFlow, layoutOps, type FlowLayout, type LayoutOptions, type MoveNodeOp } from './layout.js';
export { EXPORT_FORMATS, exportFlow, type ExportFormat, type ExportedFlow } from './export/index.js';
export {
  FlowImportError,
  IMPORT_FORMATS,
  importFlow,
  importFlowDocument,
  type ImportedFlow,
  type ImportErrorLocation,
  type ImportFormat,
} from './import/index.js';
