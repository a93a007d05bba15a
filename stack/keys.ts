// `npm run keys`: the secrets a container deployment needs, as an .env file for
// docker compose: JWT_SECRET (for the router and users; a new one unless it is set) and
// each other subgraph's own assertion key, derived from it.
//
//   npm run --silent keys > .env
import { randomBytes } from 'node:crypto';
import { assertionKey } from '#internal/auth';
import { SUBGRAPHS } from './subgraphs.js';

const secret = process.env['JWT_SECRET'] || randomBytes(48).toString('base64url');
const lines = [`JWT_SECRET=${secret}`];
for (const { name } of SUBGRAPHS) {
  if (name === 'users') continue;
  lines.push(`${name.toUpperCase()}_ASSERTION_KEY=${Buffer.from(assertionKey(secret, name)).toString('base64url')}`);
}
process.stdout.write(`${lines.join('\n')}\n`);
