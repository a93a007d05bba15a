// The suite's stack's outbox (see mailbox.ts).
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { mailsIn, tokenIn } from './mailbox.js';

export const outbox = (): string => join(inject('serviceEnv')['DATA_DIR'] ?? '.data', 'outbox');

/** The mails to `to`, newest first. */
export const mailsTo = (to: string): Promise<string[]> => mailsIn(outbox(), to);

/** The token of the newest `path` link mailed to `to`, waiting for the mail to arrive. */
export const mailedToken = (to: string, path: string): Promise<string> => tokenIn(outbox(), to, path);

/** Waits until `count` mails to `to` are in the outbox. */
export async function waitForMails(to: string, count: number): Promise<void> {
  for (let tries = 0; tries < 50 && (await mailsTo(to)).length < count; tries += 1) await sleep(100);
}
