import type { FlowGraph } from '../model.js';
import { importJson } from './json.js';
import { importMermaid } from './mermaid.js';
import type { ImportedFlow, ImportFormat } from './types.js';

export { FlowImportError, type ImportErrorLocation } from './importError.js';
export type { ImportedFlow, ImportFormat } from './types.js';

export const IMPORT_FORMATS = ['JSON', 'MERMAID'] as const satisfies readonly ImportFormat[];

/**
 * Parses and checks a whole flow, or throws a `FlowImportError` that says what and where;
 * there is no partial result, so a caller saves all of it or nothing.
 */
export function importFlowDocument(text: string, format: ImportFormat): ImportedFlow {
  switch (format) {
    case 'JSON':
      return importJson(text);
    case 'MERMAID':
      return importMermaid(text);
    default: {
      const unknown: never = format;
      throw new Error(`Unknown import format ${String(unknown)}`);
    }
  }
}

export const importFlow = (text: string, format: ImportFormat): FlowGraph => importFlowDocument(text, format).graph;
