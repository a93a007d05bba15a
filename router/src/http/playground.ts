import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/** Files the playground page loads, all served from our own node_modules: no CDN. */
const ASSETS: Record<string, string> = {
  'react.js': join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.js': join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.js': join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': join(packageDir('graphiql'), 'graphiql.min.css'),
  'graphql-ws.js': join(packageDir('graphql-ws'), 'umd/graphql-ws.min.js'),
};

export const PLAYGROUND_ASSETS_PATH = '/playground';

/** What a newcomer sees first: something that runs signed out, and how to sign in. */
const DEFAULT_QUERY = `# UX-Flow-Engine. Sign up (or logIn), then put the accessToken in Headers:
#   { "Authorization": "Bearer <accessToken>" }
# Subscriptions (flowEvents) send the same header in connection_init.

query Plans {
  plans { id name priceCents interval }
}

mutation SignUp {
  signUp(input: { email: "you@example.com", password: "at least ten chars", name: "You" }) {
    accessToken
    user { id name }
  }
}
`;

const page = /* HTML */ `<!doctype html>
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <title>UX-Flow-Engine · GraphQL playground</title>
      <link rel="stylesheet" href="${PLAYGROUND_ASSETS_PATH}/graphiql.css" />
      <style>
        body {
          margin: 0;
          height: 100vh;
        }
        #playground {
          height: 100vh;
        }
      </style>
    </head>
    <body>
      <div id="playground">Loading the playground…</div>
      <script src="${PLAYGROUND_ASSETS_PATH}/react.js"></script>
      <script src="${PLAYGROUND_ASSETS_PATH}/react-dom.js"></script>
      <script src="${PLAYGROUND_ASSETS_PATH}/graphql-ws.js"></script>
      <script src="${PLAYGROUND_ASSETS_PATH}/graphiql.js"></script>
      <script>
        const url = new URL('/graphql', location.href).toString();
        const defaultQuery = ${JSON.stringify(DEFAULT_QUERY)};
        const headers = () => {
          try {
            return JSON.parse(localStorage.getItem('graphiql:headers') || '{}');
          } catch {
            return {};
          }
        };
        const fetcher = GraphiQL.createFetcher({
          url,
          wsClient: graphqlWs.createClient({
            url: url.replace(/^http/, 'ws'),
            lazy: true,
            connectionParams: () => ({ authorization: headers().Authorization || headers().authorization }),
          }),
        });
        ReactDOM.createRoot(document.getElementById('playground')).render(
          React.createElement(GraphiQL, {
            fetcher,
            defaultQuery,
            defaultEditorToolsVisibility: true,
            isHeadersEditorEnabled: true,
          }),
        );
      </script>
    </body>
  </html>`;

export function playgroundAssets(): Router {
  const router = express.Router();
  for (const [name, file] of Object.entries(ASSETS)) {
    router.get(`/${name}`, (_req, res) => {
      res.sendFile(file, { maxAge: '1d' });
    });
  }
  return router;
}

export const playgroundPage = (): string => page;
