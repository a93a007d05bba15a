import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { EnvReader } from '#internal/config';
import type { Logger } from '#internal/logger';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export interface MailerOptions {
  smtpUrl: string | undefined;
  from: string;
  dataDir: string;
}

/**
 * SMTP when `smtpUrl` is set. Otherwise each mail is written to `<dataDir>/outbox` as an
 * .eml file, so development and tests need no mail server and can read what was sent.
 */
export function createMailer({ smtpUrl, from, dataDir }: MailerOptions): Mailer {
  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl);
    return {
      send: async (mail) => {
        await transport.sendMail({ from, ...mail });
      },
    };
  }
  const outbox = join(dataDir, 'outbox');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (mail) => {
      const info = await transport.sendMail({ from, ...mail });
      await mkdir(outbox, { recursive: true });
      // Timestamp first so names sort by time; the random part keeps same-millisecond mails apart.
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(6).toString('hex')}.eml`;
      await writeFile(join(outbox, name), info.message as Buffer);
    },
  };
}

/** `SMTP_URL`, `MAIL_FROM` and `DATA_DIR` (for the outbox), for any service that sends mail. */
export function readMailerOptions(reader: EnvReader): MailerOptions {
  return {
    // Read as is, not through `url()`: that would rewrite credentials and query options.
    smtpUrl: reader.string('SMTP_URL'),
    from: reader.string('MAIL_FROM', 'UX-Flow-Engine <no-reply@localhost>'),
    dataDir: reader.string('DATA_DIR', '.data'),
  };
}

/**
 * Sends a notice of something already done (a password reset, a sign-in that cancelled
 * something): a failure to send is logged, and does not fail what it tells of.
 */
export async function notify(mailer: Mailer, mail: Mail, logger?: Logger): Promise<void> {
  try {
    await mailer.send(mail);
  } catch (error) {
    logger?.error({ err: error, subject: mail.subject }, 'notice not sent');
  }
}
