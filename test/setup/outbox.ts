// Without SMTP_URL the users subgraph writes each mail to DATA_DIR/outbox as an .eml
// file: tests read the links from there.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';

export const outbox = (): string => join(inject('serviceEnv')['DATA_DIR'] ?? '.data', 'outbox');

/** The mails to `to`, newest first, as raw text with quoted-printable soft breaks undone. */
export async function mailsTo(to: string): Promise<string[]> {
  const dir = outbox();
  const names = await readdir(dir).catch(() => [] as string[]);
  const mails = await Promise.all(
    names
      .filter((name) => name.endsWith('.eml'))
      .sort()
      .reverse()
      .map(async (name) => (await readFile(join(dir, name), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=')),
  );
  return mails.filter((mail) => new RegExp(`^To: .*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(mail));
}

/** The token of the newest `path` link mailed to `to`, waiting for the mail to arrive. */
export async function mailedToken(to: string, path: string): Promise<string> {
  for (let tries = 0; tries < 50; tries += 1) {
    for (const mail of await mailsTo(to)) {
      const match = new RegExp(`/${path}\\?token=([A-Za-z0-9_-]{43})`).exec(mail);
      if (match?.[1]) return match[1];
    }
    await sleep(100);
  }
  throw new Error(`no ${path} mail to ${to} in ${outbox()}`);
}

/** Waits until `count` mails to `to` are in the outbox. */
export async function waitForMails(to: string, count: number): Promise<void> {
  for (let tries = 0; tries < 50 && (await mailsTo(to)).length < count; tries += 1) await sleep(100);
}
