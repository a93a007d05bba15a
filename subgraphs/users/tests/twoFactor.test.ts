// TOTP two-factor on its own, against the real engine in a throw-away database, with a
// clock the test sets: encryption at rest, the ±1 step window, replays and recovery codes
// under concurrency.
import type { Connection } from 'mongoose';
import { generate } from 'otplib';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '#internal/db';
import { SecretBox } from '../src/twofactor/secretBox.js';
import { createRecoveryCodeModel, createTwoFactorUseModel } from '../src/twofactor/twoFactor.model.js';
import { TwoFactorService, type TwoFactorStores } from '../src/twofactor/twoFactor.service.js';
import { createUserModel, type UserDocument } from '../src/user/user.model.js';

const JWT_SECRET = 'a test secret that is long enough for HS256';
const box = new SecretBox(JWT_SECRET);
let db: Connection;
let stores: TwoFactorStores;
let service: TwoFactorService;
// Mid-step, so that ±30 s stays in the neighbouring steps.
let now = (Math.floor(Date.now() / 30_000) * 30 + 15) * 1000;
let counter = 0;

const codeAt = (secret: string, offsetSteps: number): Promise<string> =>
  generate({ secret, epoch: Math.floor(now / 1000) + offsetSteps * 30 });

async function newUser(): Promise<UserDocument> {
  counter += 1;
  return stores.users.create({ email: `tf-${Date.now()}-${counter}@example.com`, name: 'T', passwordHash: 'x' });
}

const reload = async (user: UserDocument): Promise<UserDocument> => {
  const found = await stores.users.findById(user._id);
  if (!found) throw new Error('user vanished');
  return found;
};

/** A user with two-factor on, their secret and recovery codes. */
async function enabled(): Promise<{ user: UserDocument; secret: string; codes: string[] }> {
  const user = await newUser();
  const { secret } = await service.enroll(user);
  const codes = await service.confirm(await reload(user), await codeAt(secret, 0));
  if (!codes) throw new Error('confirmation failed');
  // The confirmation spent this step's code: move on until no step of the window is spent.
  now += 90_000;
  return { user: await reload(user), secret, codes };
}

beforeAll(async () => {
  db = await connectDatabase(inject('serviceEnv')['MONGODB_URI'] ?? '', `ufe_users_2fa_${Date.now()}`, new Registry());
  stores = {
    users: createUserModel(db),
    recoveryCodes: createRecoveryCodeModel(db),
    uses: createTwoFactorUseModel(db),
  };
  await Promise.all(Object.values(stores).map((model) => model.init()));
  service = new TwoFactorService(stores, box, JWT_SECRET, () => now);
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

describe('SecretBox', () => {
  it('opens what it sealed, only for the same user and key', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => box.open(sealed, 'user-2')).toThrow();
    expect(() => new SecretBox('another secret').open(sealed, 'user-1')).toThrow();
    const [version, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([version, iv, tag, flipped.toString('base64url')].join('.'), 'user-1')).toThrow();
  });
});

describe('TwoFactorService', () => {
  it('keeps the secret encrypted, pending until confirmed, and then never pending again', async () => {
    const user = await newUser();
    const { secret, otpauthUri } = await service.enroll(user);
    expect(otpauthUri).toContain('issuer=UX-Flow-Engine');
    const pending = await reload(user);
    expect(pending.twoFactorEnabled).toBe(false);
    expect(JSON.stringify(pending.toObject())).not.toContain(secret);
    expect(await service.confirm(pending, '000000')).toBeNull();
    const codes = await service.confirm(pending, await codeAt(secret, 0));
    expect(codes).toHaveLength(10);
    const on = await reload(user);
    expect(on).toMatchObject({ twoFactorEnabled: true, twoFactorPendingSecret: null });
    expect(JSON.stringify(on.toObject())).not.toContain(secret);
    // Only keyed hashes of the recovery codes are kept.
    const stored = JSON.stringify(await stores.recoveryCodes.find({ userId: user.id as string }).lean());
    for (const code of codes ?? []) expect(stored).not.toContain(code);
  });

  it('accepts one step either side, not two', async () => {
    const { user, secret } = await enabled();
    expect(await service.verify(user, await codeAt(secret, -2))).toBe(false);
    expect(await service.verify(user, await codeAt(secret, 2))).toBe(false);
    expect(await service.verify(user, await codeAt(secret, -1))).toBe(true);
    expect(await service.verify(user, await codeAt(secret, 1))).toBe(true);
  });

  it('accepts a code once, even from many concurrent log-ins', async () => {
    const { user, secret } = await enabled();
    const code = await codeAt(secret, 0);
    const results = await Promise.all(Array.from({ length: 8 }, () => service.verify(user, code)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('accepts each recovery code once, with or without dash and case', async () => {
    const { user, codes } = await enabled();
    const [first = '', second = ''] = codes;
    const results = await Promise.all(Array.from({ length: 8 }, () => service.verify(user, first)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await service.verify(user, second.replace('-', '').toUpperCase())).toBe(true);
    expect(await service.verify(user, second)).toBe(false);
    expect(await service.verify(user, 'abcde-fghjk')).toBe(false);
  });

  it('forgets the secret and recovery codes when turned off', async () => {
    const { user, secret, codes } = await enabled();
    await service.disable(user);
    const off = await reload(user);
    expect(off).toMatchObject({ twoFactorEnabled: false, twoFactorSecret: null });
    expect(await service.verify(off, await codeAt(secret, 0))).toBe(false);
    expect(await service.verify(off, codes[0] ?? '')).toBe(false);
    expect(await stores.recoveryCodes.countDocuments({ userId: user.id as string })).toBe(0);
  });
});
