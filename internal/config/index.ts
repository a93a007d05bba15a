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

  /** A whole number of at least 0 (`unit` says of what, for the problem report). */
  count(name: string, fallback: number, unit: string): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (/^\d+$/.test(raw) && Number.isSafeInteger(value)) return value;
    this.problems.push(`${name}=${raw} is not a whole number of ${unit}`);
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
  jwtSecret: string;
  redisUrl: string | undefined;
  logLevel: string;
}

export function readCommon(reader: EnvReader, defaultPort: number, portVar = 'PORT'): CommonConfig {
  return {
    host: reader.string('HOST', '127.0.0.1'),
    port: reader.port(portVar, defaultPort),
    production: reader.string('NODE_ENV') === 'production',
    jwtSecret: reader.required('JWT_SECRET', 'set it to a long random string (npm start generates one under DATA_DIR)'),
    redisUrl: reader.url('REDIS_URL'),
    logLevel: reader.string('LOG_LEVEL', 'info'),
  };
}
