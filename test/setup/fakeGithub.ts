// A stand-in for GitHub's OAuth endpoints and the two REST calls sign-in makes, on a free
// port: GitHub itself cannot be reached from tests. It checks what GitHub checks that
// matters here (client secret, redirect URI, PKCE) and serves the account `signInAs` set.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GithubTestAccount {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface FakeGithub {
  url: string;
  clientId: string;
  clientSecret: string;
  signInAs: (account: GithubTestAccount) => void;
  close: () => Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<URLSearchParams> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
};

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

export async function startFakeGithub(): Promise<FakeGithub> {
  const clientId = 'gh-client';
  const clientSecret = 'gh-secret';
  let account: GithubTestAccount | undefined;
  const codes = new Map<string, { redirectUri: string; challenge: string; account: GithubTestAccount }>();
  const tokens = new Map<string, GithubTestAccount>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/login/oauth/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (!account || url.searchParams.get('client_id') !== clientId) return json(res, 400, { error: 'bad request' });
      if (url.searchParams.get('code_challenge_method') !== 'S256') return json(res, 400, { error: 'no PKCE' });
      const code = randomBytes(16).toString('hex');
      codes.set(code, { redirectUri, challenge: url.searchParams.get('code_challenge') ?? '', account });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      const form = await readBody(req);
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (
        !grant ||
        form.get('client_secret') !== clientSecret ||
        form.get('redirect_uri') !== grant.redirectUri ||
        challenge !== grant.challenge
      ) {
        return json(res, 200, { error: 'bad_verification_code' });
      }
      const token = randomBytes(16).toString('hex');
      tokens.set(token, grant.account);
      return json(res, 200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const owner = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!owner) return json(res, 401, { message: 'Bad credentials' });
    if (url.pathname === '/user') return json(res, 200, { id: owner.id, login: owner.login, name: owner.name });
    if (url.pathname === '/user/emails') return json(res, 200, owner.emails);
    return json(res, 404, { message: 'Not Found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientId,
    clientSecret,
    signInAs: (next) => {
      account = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
