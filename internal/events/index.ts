export {
  startAccountDeletionConsumer,
  type AccountDeletionConsumer,
  type AccountDeletionConsumerOptions,
  type AccountDeletionHandler,
} from './accountDeletions.js';
export type { AccountDeletionEvent } from './accountDeletionFeed.js';
export { ProcessedEvents } from './processedEvents.js';
export { readAccountDeletionPollMs } from './pollSetting.js';
