import { assertionKey } from '#internal/auth';
import type { MetricsAccess } from '#internal/metrics';

/** Thrown when the environment is unusable; its message says what to set. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads typed values out of an environment, collecting every problem at once. */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  string(name: string, fallback?: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  }

  required(name: string, hint: string): string {
    const value = this.string(name);
    if (value === undefined) {
      this.problems.push(`${name} is not set: ${hint}`);
      return '';
    }
    return value;
  }

  port(name: string, fallback: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      this.problems.push(`${name}=${raw} is not a port number (0-65535)`);
      return fallback;
    }
    return port;
  }

  /** A whole number, 0 or more (`what` names its unit in the error, e.g. "requests per minute"). */
  count(name: string, fallback: number, what: string): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (/^\d+$/.test(raw) && Number.isSafeInteger(value)) return value;
    this.problems.push(`${name}=${raw} is not a whole number of ${what}`);
    return fallback;
  }

  /** A switch: `1`/`true` on, `0`/`false` off. */
  flag(name: string, fallback = false): boolean {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (raw === '1' || raw === 'true') return true;
    if (raw === '0' || raw === 'false') return false;
    this.problems.push(`${name}=${raw} is not a switch: set it to 1 or 0`);
    return fallback;
  }

  url(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    try {
      return new URL(raw).toString().replace(/\/$/, '');
    } catch {
      this.problems.push(`${name}=${raw} is not a URL`);
      return undefined;
    }
  }

  /** Adds a problem found outside the reader, to be reported with the others. */
  report(problem: string): void {
    this.problems.push(problem);
  }

  /** Throws one ConfigError listing every problem found so far. */
  done(service: string): void {
    if (this.problems.length > 0) {
      throw new ConfigError(`${service}: invalid configuration\n  - ${this.problems.join('\n  - ')}`);
    }
  }
}

/** Settings every service process shares. */
export interface CommonConfig {
  host: string;
  port: number;
  production: boolean;
  redisUrl: string | undefined;
  logLevel: string;
  /** Who may read `/metrics`. */
  metrics: MetricsAccess;
}

export function readCommon(reader: EnvReader, defaultPort: number, portVar = 'PORT'): CommonConfig {
  const production = reader.string('NODE_ENV') === 'production';
  return {
    host: reader.string('HOST', '127.0.0.1'),
    port: reader.port(portVar, defaultPort),
    production,
    metrics: readMetricsAccess(reader, production),
    redisUrl: reader.url('REDIS_URL'),
    logLevel: reader.string('LOG_LEVEL', 'info'),
  };
}

/** The deployment's secret: it signs user tokens, and every assertion key is derived from it. Router and users only. */
export const readJwtSecret = (reader: EnvReader): string =>
  reader.required('JWT_SECRET', 'set it to a long random string (npm start generates one under DATA_DIR)');

/**
 * A subgraph's own assertion key (see `assertionKey`): `ASSERTION_KEY`, 32 bytes in
 * base64url (`npm run keys` prints one per subgraph). Outside production it may instead be
 * derived from `JWT_SECRET`, which is convenient but gives the subgraph the keys of all the
 * others; in production that is refused.
 */
export function readAssertionKey(reader: EnvReader, service: string, production: boolean): Uint8Array {
  const encoded = reader.string('ASSERTION_KEY');
  if (encoded !== undefined) {
    const key = Buffer.from(encoded, 'base64url');
    if (key.length === 32 && key.toString('base64url') === encoded) return new Uint8Array(key);
    reader.report('ASSERTION_KEY is not 32 bytes in base64url (`npm run keys` prints the right one)');
    return new Uint8Array(32);
  }
  const secret = reader.string('JWT_SECRET');
  if (secret !== undefined && !production) return assertionKey(secret, service);
  reader.report(
    production
      ? `ASSERTION_KEY is not set: give ${service} its own key (\`npm run keys\` prints them), not JWT_SECRET`
      : 'ASSERTION_KEY is not set (or JWT_SECRET, outside production)',
  );
  return new Uint8Array(32);
}

/**
 * `METRICS_TOKEN` (a bearer token for `/metrics`, at least 16 characters) and
 * `METRICS_PORT` (serve `/metrics` there instead of on the service's port). In
 * production, without either, `/metrics` is not served: what a process is doing is
 * nobody's business but its operators'.
 */
export function readMetricsAccess(reader: EnvReader, production: boolean): MetricsAccess {
  const token = reader.string('METRICS_TOKEN');
  if (token !== undefined && token.length < 16) reader.report('METRICS_TOKEN is shorter than 16 characters');
  const port = reader.string('METRICS_PORT') === undefined ? undefined : reader.port('METRICS_PORT', 0);
  return { token, port, enabled: !production || token !== undefined || port !== undefined };
}
