// The outbox mailer and the mail settings, without a mail server.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createMailer } from '#internal/mail';
import { passwordResetMail } from '../src/mail/messages.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('outbox mailer', () => {
  it('writes one .eml file per mail under DATA_DIR/outbox', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ufe-mail-'));
    dirs.push(dataDir);
    const mailer = createMailer({ smtpUrl: undefined, from: 'Test <test@localhost>', dataDir });
    const token = 'A'.repeat(43);
    await Promise.all([
      mailer.send(passwordResetMail('one@example.com', 'http://127.0.0.1:4000', token)),
      mailer.send(passwordResetMail('two@example.com', 'http://127.0.0.1:4000', token)),
    ]);
    const names = await readdir(join(dataDir, 'outbox'));
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-[a-f0-9]{12}\.eml$/);
    const mails = await Promise.all(names.map((name) => readFile(join(dataDir, 'outbox', name), 'utf8')));
    const one = mails.find((mail) => /^To: one@example\.com$/m.test(mail)) ?? '';
    expect(one).toMatch(/^From: Test <test@localhost>$/m);
    expect(one).toMatch(/^Subject: Reset your password$/m);
    expect(one.replace(/=\r?\n/g, '').replace(/=3D/g, '=')).toContain(`/reset-password?token=${token}`);
  });
});

describe('mail settings', () => {
  const base = { JWT_SECRET: 'secret', MONGODB_URI: 'mongodb://127.0.0.1/x' };

  it('has defaults for development', () => {
    expect(loadConfig(base)).toMatchObject({
      mail: { smtpUrl: undefined, from: 'UX-Flow-Engine <no-reply@localhost>', dataDir: '.data' },
      publicUrl: 'http://127.0.0.1:4000',
    });
  });

  it('reads SMTP_URL, MAIL_FROM, DATA_DIR and PUBLIC_URL', () => {
    const config = loadConfig({
      ...base,
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      MAIL_FROM: 'Flows <flows@example.com>',
      DATA_DIR: '/var/lib/ufe',
      PUBLIC_URL: 'https://flows.example.com/',
    });
    expect(config).toMatchObject({
      mail: {
        smtpUrl: 'smtps://user:pass@mail.example.com:465',
        from: 'Flows <flows@example.com>',
        dataDir: '/var/lib/ufe',
      },
      publicUrl: 'https://flows.example.com',
    });
  });

  it('refuses a PUBLIC_URL that is not a URL', () => {
    expect(() => loadConfig({ ...base, PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
  });
});
