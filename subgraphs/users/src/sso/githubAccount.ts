import type { ExternalAccount } from './ssoAccounts.js';

interface GithubUser {
  id: number;
  login: string;
  name: string | null;
}

interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

async function githubGet<T>(apiUrl: string, path: string, accessToken: string): Promise<T> {
  const response = await fetch(`${apiUrl}${path}`, {
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${accessToken}`,
      'user-agent': 'ux-flow-engine',
      'x-github-api-version': '2022-11-28',
    },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`GitHub ${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/**
 * The GitHub account behind an access token. GitHub has no ID token: its numeric user id
 * is the stable subject (logins can be renamed), and the email is the account's primary
 * one from `/user/emails` (scope `user:email`), counted as verified only when GitHub says
 * so. Other verified addresses are not used: the primary one is the one the user chose.
 */
export async function githubAccount(apiUrl: string, accessToken: string): Promise<ExternalAccount> {
  const [user, emails] = await Promise.all([
    githubGet<GithubUser>(apiUrl, '/user', accessToken),
    githubGet<GithubEmail[]>(apiUrl, '/user/emails', accessToken),
  ]);
  if (typeof user.id !== 'number') throw new Error('GitHub /user has no id');
  const primary = Array.isArray(emails) ? emails.find((email) => email.primary) : undefined;
  return {
    provider: 'github',
    subject: String(user.id),
    email: primary?.email ?? null,
    emailVerified: primary?.verified === true,
    name: user.name || user.login,
  };
}
