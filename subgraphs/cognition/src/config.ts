import { ConfigError, EnvReader, readAssertionKey, readCommon, type CommonConfig, type Env } from '#internal/config';
import { readAccountDeletionPollMs } from '#internal/events';

export const PROVIDER_NAMES = ['gemini', 'openai', 'anthropic', 'local'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface ProviderSettings {
  name: ProviderName;
  /** Whether a key is set; `local` needs none. */
  configured: boolean;
  baseUrl: string | undefined;
}

export interface CognitionConfig extends CommonConfig {
  /** Verifies what the router addresses to this subgraph, and signs its own calls (`ASSERTION_KEY`). */
  assertionKey: Uint8Array;
  mongodbUri: string;
  dbName: string;
  /** The users subgraph, whose account-deletion feed this domain consumes. */
  usersUrl: string;
  /** How often the account-deletion feed is polled, in ms (`ACCOUNT_DELETION_POLL_SECONDS`). */
  accountDeletionPollMs: number;
  /** The failover order; unconfigured providers are skipped at run time. */
  providers: ProviderSettings[];
}

export function loadConfig(env: Env): CognitionConfig {
  const reader = new EnvReader(env);
  const settings: Record<ProviderName, ProviderSettings> = {
    gemini: { name: 'gemini', configured: !!reader.string('GOOGLE_API_KEY'), baseUrl: reader.url('GEMINI_BASE_URL') },
    openai: { name: 'openai', configured: !!reader.string('OPENAI_API_KEY'), baseUrl: reader.url('OPENAI_BASE_URL') },
    anthropic: {
      name: 'anthropic',
      configured: !!reader.string('ANTHROPIC_API_KEY'),
      baseUrl: reader.url('ANTHROPIC_BASE_URL'),
    },
    local: { name: 'local', configured: true, baseUrl: undefined },
  };
  const order = parseOrder(reader.string('AI_PROVIDER_ORDER'), settings);
  const common = readCommon(reader, 4004, 'COGNITION_PORT');
  const config = {
    ...common,
    assertionKey: readAssertionKey(reader, 'cognition', common.production),
    mongodbUri: reader.required('MONGODB_URI', 'point it at MongoDB (npm start starts an embedded engine)'),
    usersUrl: reader.url('SUBGRAPH_USERS_URL') ?? 'http://127.0.0.1:4001/graphql',
    accountDeletionPollMs: readAccountDeletionPollMs(reader),
    dbName: reader.string('COGNITION_DB', 'ufe_cognition'),
    providers: order.map((name) => settings[name]),
  };
  reader.done('cognition');
  return config;
}

function parseOrder(raw: string | undefined, settings: Record<ProviderName, ProviderSettings>): ProviderName[] {
  if (raw === undefined) {
    return [...PROVIDER_NAMES.filter((name) => name !== 'local' && settings[name].configured), 'local'];
  }
  const names = raw.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(PROVIDER_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new ConfigError(
      `AI_PROVIDER_ORDER names unknown providers (${unknown.join(', ')}); use ${PROVIDER_NAMES.join(', ')}`,
    );
  }
  return [...new Set(names as ProviderName[])];
}
