import { FLOW_LIMITS, isNodeType, type Point, type Size } from '../model.js';

/** Reports a bad value: `field` is relative to the node or edge ("position.x"). */
export type Fail = (message: string, field: string) => never;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function readObject(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  return isObject(value) ? value : fail('must be an object.', field);
}

/** Ids are trimmed like the ops API trims them, so an import stores what an edit would. */
export function readId(value: unknown, field: string, fail: Fail): string {
  const id = typeof value === 'string' ? value.trim() : '';
  if (id.length === 0 || id.length > FLOW_LIMITS.idLength) {
    fail(`must be a string of 1 to ${FLOW_LIMITS.idLength} characters.`, field);
  }
  return id;
}

export function readType(value: unknown, fail: Fail): string {
  if (typeof value !== 'string' || !isNodeType(value)) {
    fail(
      `must be start, screen, action, decision, end, note, or a custom type: a lowercase letter, then up to ${FLOW_LIMITS.typeLength - 1} of a-z 0-9 _ -.`,
      'type',
    );
  }
  return value as string;
}

export function readLabel(value: unknown, field: string, fail: Fail): string {
  const label = typeof value === 'string' ? value.trim() : '';
  if (label.length === 0) fail('must be a non-empty string.', field);
  if (label.length > FLOW_LIMITS.labelLength) fail(`has at most ${FLOW_LIMITS.labelLength} characters.`, field);
  return label;
}

/** Edge labels and conditions: absent, null or blank all mean "none". */
export function readOptionalText(value: unknown, field: string, fail: Fail): string | null {
  if (value == null) return null;
  if (typeof value !== 'string') return fail('must be a string or null.', field);
  const text = value.trim();
  if (text.length > FLOW_LIMITS.labelLength) fail(`has at most ${FLOW_LIMITS.labelLength} characters.`, field);
  return text.length === 0 ? null : text;
}

const finite = (value: unknown, field: string, fail: Fail): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fail('must be a finite number.', field);

/** A missing position is the origin: layout can place the node afterwards. */
export function readPosition(value: unknown, fail: Fail): Point {
  if (value === undefined) return { x: 0, y: 0 };
  const position = readObject(value, 'position', fail);
  return { x: finite(position['x'], 'position.x', fail), y: finite(position['y'], 'position.y', fail) };
}

export function readSize(value: unknown, fail: Fail): Size | null {
  if (value == null) return null;
  const size = readObject(value, 'size', fail);
  const width = finite(size['width'], 'size.width', fail);
  const height = finite(size['height'], 'size.height', fail);
  if (width <= 0 || height <= 0) fail('must have a positive width and height.', 'size');
  return { width, height };
}

/** Data is any JSON up to the per-node limit, measured as the store will hold it. */
export function readData(value: unknown, fail: Fail): unknown {
  if (value == null) return undefined;
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > FLOW_LIMITS.dataBytes) {
    fail(`is ${bytes} bytes as JSON; a node holds at most ${FLOW_LIMITS.dataBytes}.`, 'data');
  }
  return value;
}
