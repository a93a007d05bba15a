import { AppError, ErrorCode } from '#internal/errors';
import { FLOW_LIMITS } from '../model.js';
import type { ImportFormat } from './types.js';

/** Where the input is wrong: a 1-based line (and column) for Mermaid, a JSON path for JSON. */
export interface ImportErrorLocation {
  line?: number;
  column?: number;
  path?: string;
}

/**
 * A rejected import. BAD_USER_INPUT so the API can show it as is; the message already
 * names the place, and `extensions` repeat it for clients that point at it.
 */
export class FlowImportError extends AppError {
  constructor(format: ImportFormat, message: string, location: ImportErrorLocation = {}) {
    super(ErrorCode.BAD_USER_INPUT, message, { field: 'text', format, ...location });
    this.name = 'FlowImportError';
  }
}

/** Checked before any parsing, so an oversized input costs nothing more than its length. */
export function checkInputSize(text: string, format: ImportFormat): void {
  const bytes = Buffer.byteLength(text);
  if (bytes > FLOW_LIMITS.inputBytes) {
    throw new FlowImportError(
      format,
      `The input is ${bytes} bytes; an import takes at most ${FLOW_LIMITS.inputBytes} bytes (2 MB).`,
    );
  }
}

/** A Mermaid problem, located by 1-based line (and column when the parser knows it). */
export const mermaidError = (line: number, message: string, column?: number): FlowImportError =>
  new FlowImportError('MERMAID', `Line ${line}${column ? `, column ${column}` : ''}: ${message}`, {
    line,
    ...(column ? { column } : {}),
  });
