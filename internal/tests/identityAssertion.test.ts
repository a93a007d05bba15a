import { describe, expect, it } from 'vitest';
import { IdentityAssertions } from '../auth/index.js';

describe('IdentityAssertions', () => {
  const origin = { identity: { userId: 'u1', scopes: ['flows:read'], sessionId: 's1' }, clientIp: '203.0.113.7' };

  it('reuses one signed assertion per origin, and tells origins apart', async () => {
    const assertions = new IdentityAssertions('secret');
    const first = await assertions.sign(origin);
    expect(await assertions.sign({ ...origin })).toBe(first);
    expect(await assertions.sign({ ...origin, clientIp: '203.0.113.8' })).not.toBe(first);
    expect(
      await assertions.sign({ identity: { ...origin.identity, userId: 'u2' }, clientIp: origin.clientIp }),
    ).not.toBe(first);
    expect(await assertions.verify(first)).toEqual(origin);
    // Verified once, answered the same from then on.
    expect(await assertions.verify(first)).toEqual(origin);
  });

  it('never takes an assertion signed with another secret, even after verifying a good one', async () => {
    const ours = new IdentityAssertions('secret');
    const theirs = new IdentityAssertions('other secret');
    await ours.verify(await ours.sign(origin));
    expect(await ours.verify(await theirs.sign(origin))).toEqual({ identity: null, clientIp: null });
  });

  it('signs the fan-out assertion without an identity, and refuses one with', async () => {
    const assertions = new IdentityAssertions('secret');
    const fanOut = await assertions.sign({ identity: null, clientIp: null, fanOut: true });
    expect(await assertions.verify(fanOut)).toEqual({ identity: null, clientIp: null, fanOut: true });
    expect(() => assertions.sign({ ...origin, fanOut: true })).toThrow(/no identity/);
  });
});
