import { pino, type Logger } from 'pino';

export type { Logger };

/** A JSON logger named after the service; `LOG_LEVEL` decides what is written. */
export function createLogger(name: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ name, level, base: { service: name } });
}
