// Without SMTP_URL the services write each mail to DATA_DIR/outbox as an .eml file:
// tests and probes read the links from there.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The mails to `to` in the outbox `dir`, newest first, as raw text with quoted-printable soft breaks undone. */
export async function mailsIn(dir: string, to: string): Promise<string[]> {
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

/** The token of the newest `path` link mailed to `to`, waiting up to 5 s for the mail to arrive. */
export async function tokenIn(dir: string, to: string, path: string): Promise<string> {
  for (let tries = 0; tries < 50; tries += 1) {
    for (const mail of await mailsIn(dir, to)) {
      const match = new RegExp(`/${path}\\?token=([A-Za-z0-9_-]{43})`).exec(mail);
      if (match?.[1]) return match[1];
    }
    await sleep(100);
  }
  throw new Error(`no ${path} mail to ${to} in ${dir}`);
}
