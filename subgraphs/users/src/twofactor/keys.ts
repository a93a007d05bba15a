import { hkdfSync } from 'node:crypto';

/**
 * A 256-bit key for one purpose, derived from JWT_SECRET. Each purpose has its own label,
 * so a key is never reused across purposes and none of them is the signing secret itself.
 */
export const deriveKey = (secret: string, label: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, 'ux-flow-engine/users', label, 32));
