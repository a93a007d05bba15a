import type { FlowGraph } from '../model.js';
import { exportDot } from './dot.js';
import { exportJson } from './json.js';
import { exportMermaid } from './mermaid.js';
import { exportSvg } from './svg.js';

export const EXPORT_FORMATS = ['JSON', 'MERMAID', 'DOT', 'SVG'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedFlow {
  format: ExportFormat;
  content: string;
  mimeType: string;
  /** For a download's file name, without the dot. */
  extension: string;
}

/** Async because SVG lays the flow out first; the text formats need no layout. */
export async function exportFlow(graph: FlowGraph, format: ExportFormat, name: string): Promise<ExportedFlow> {
  switch (format) {
    case 'JSON':
      return { format, content: exportJson(graph, name), mimeType: 'application/json', extension: 'json' };
    case 'MERMAID':
      return { format, content: exportMermaid(graph, name), mimeType: 'text/vnd.mermaid', extension: 'mmd' };
    case 'DOT':
      return { format, content: exportDot(graph, name), mimeType: 'text/vnd.graphviz', extension: 'dot' };
    case 'SVG':
      return { format, content: await exportSvg(graph, name), mimeType: 'image/svg+xml', extension: 'svg' };
    default: {
      const unknown: never = format;
      throw new Error(`Unknown export format ${String(unknown)}`);
    }
  }
}
