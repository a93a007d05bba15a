// The container deployment (Dockerfile + docker-compose.yml) must cover every service: the
// resolved compose model is checked through `docker compose config` where the docker client
// and its compose plugin are installed (no engine needed), and a textual check that runs
// everywhere fails when a directory under subgraphs/ has no compose service.
import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SUBGRAPHS, subgraphEntry, subgraphUrlVar } from '../stack/subgraphs.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const composeFile = join(root, 'docker-compose.yml');
const hasCompose = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;

const subgraphDirs = readdirSync(join(root, 'subgraphs'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string | null>;
  ports?: { target: number; published?: string }[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
}

interface ComposeModel {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** What `npm run keys` gives a deployment: JWT_SECRET, and each other subgraph's own key. */
const TEST_KEYS: Record<string, string> = {
  JWT_SECRET: 'test-secret',
  ...Object.fromEntries(
    SUBGRAPHS.filter(({ name }) => name !== 'users').map(({ name }) => [
      `${name.toUpperCase()}_ASSERTION_KEY`,
      `${name}-key`,
    ]),
  ),
};

async function resolvedCompose(): Promise<ComposeModel> {
  const { stdout } = await promisify(execFile)(
    'docker',
    ['compose', '--project-directory', root, '-f', composeFile, 'config', '--format', 'json'],
    { cwd: root, env: { ...process.env, ...TEST_KEYS }, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as ComposeModel;
}

function service(model: ComposeModel, name: string): ComposeService {
  const found = model.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

describe('docker-compose.yml (docker compose config)', () => {
  const appServices = [...SUBGRAPHS.map((subgraph) => subgraph.name), 'router'];

  it.skipIf(!hasCompose)(
    'resolves to the infrastructure, five subgraphs and the router, all from one image',
    async () => {
      const model = await resolvedCompose();
      for (const name of ['mongo', 'redis', 'chroma', ...appServices]) {
        expect(Object.keys(model.services), `service ${name}`).toContain(name);
      }
      expect(Object.keys(model.volumes ?? {})).toEqual(expect.arrayContaining(['mongo-data', 'chroma-data']));

      const router = service(model, 'router');
      expect(router.ports?.some((port) => port.target === 4000 && port.published === '4000')).toBe(true);

      const contexts = new Set(appServices.map((name) => service(model, name).build?.context));
      expect([...contexts]).toEqual([root.replace(/\/$/, '')]);
      const images = new Set(appServices.map((name) => service(model, name).image));
      expect([...images]).toEqual(['ux-flow-engine:latest']);

      for (const name of appServices) {
        const app = service(model, name);
        expect(app.healthcheck?.test?.length, `${name} healthcheck`).toBeGreaterThan(0);
        expect(app.healthcheck?.disable, `${name} healthcheck`).not.toBe(true);
        // The deployment secret stays with the router and users; the others get their own key only.
        if (name === 'router' || name === 'users') expect(app.environment?.['JWT_SECRET']).toBe('test-secret');
        else {
          expect(app.environment?.['JWT_SECRET'], name).toBeUndefined();
          expect(app.environment?.['ASSERTION_KEY'], name).toBe(`${name}-key`);
        }
        expect(app.environment, name).toMatchObject({
          HOST: '0.0.0.0',
          NODE_ENV: 'production',
          MONGODB_URI: 'mongodb://mongo:27017',
          REDIS_URL: 'redis://redis:6379',
        });
      }
      expect(router.command).toEqual(['node', '--import', 'tsx', 'router/src/index.ts']);

      for (const { name, defaultPort, portVar } of SUBGRAPHS) {
        const subgraph = service(model, name);
        expect(subgraph.command).toEqual(['node', '--import', 'tsx', subgraphEntry(name)]);
        expect(subgraph.environment?.[portVar], `${name} ${portVar}`).toBe(String(defaultPort));
        expect(subgraph.healthcheck?.test?.join(' ')).toContain(`http://127.0.0.1:${defaultPort}/ready`);
        expect(router.environment?.[subgraphUrlVar(name)]).toBe(`http://${name}:${defaultPort}/graphql`);
        expect(router.depends_on?.[name]?.condition, `router waits for ${name}`).toBe('service_healthy');
      }
      expect(service(model, 'knowledge').environment?.['CHROMA_URL']).toBe('http://chroma:8000');
    },
    60_000,
  );

  it.skipIf(!hasCompose)('refuses to resolve without JWT_SECRET', () => {
    const env = { ...process.env };
    delete env['JWT_SECRET'];
    const result = spawnSync('docker', ['compose', '--project-directory', root, '-f', composeFile, 'config', '-q'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set JWT_SECRET to a long random string');
  });
});

describe('docker-compose.yml (text)', () => {
  const text = readFileSync(composeFile, 'utf8');
  const servicesBlock = /^services:\n([\s\S]*?)(?=^\S|(?![\s\S]))/m.exec(text)?.[1] ?? '';
  const blocks = new Map<string, string>();
  for (const match of servicesBlock.matchAll(/^ {2}([\w.-]+):[^\n]*\n((?:(?: {3,}[^\n]*)?\n)*)/gm)) {
    if (match[1]) blocks.set(match[1], match[2] ?? '');
  }

  it('has a service, a router URL and a router dependency for every directory under subgraphs/', () => {
    expect(subgraphDirs.length).toBeGreaterThan(0);
    const router = blocks.get('router') ?? '';
    for (const name of subgraphDirs) {
      const block = blocks.get(name);
      expect(block, `subgraphs/${name} has no service in docker-compose.yml`).toBeDefined();
      expect(block, `service ${name} runs its entry point`).toMatch(
        new RegExp(`['"]subgraphs/${name}/src/index\\.ts['"]`),
      );
      expect(block, `service ${name} has a healthcheck`).toMatch(/^ {4}healthcheck:/m);
      expect(router, `router has ${subgraphUrlVar(name)}`).toMatch(
        new RegExp(`^ {6}${subgraphUrlVar(name)}: http://${name}:\\d+/graphql$`, 'm'),
      );
      expect(router, `router depends on ${name}`).toMatch(
        new RegExp(`^ {6}${name}:\\n {8}condition: service_healthy$`, 'm'),
      );
    }
  });

  it('lists the same subgraphs as stack/subgraphs.ts', () => {
    expect(subgraphDirs).toEqual(SUBGRAPHS.map((subgraph) => subgraph.name).sort());
  });
});
