import type { Identity } from '#internal/auth';
import type { ProviderSettings } from './config.js';

export interface CognitionContext {
  identity: Identity | null;
  providers: readonly ProviderSettings[];
}
