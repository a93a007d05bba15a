// `npm run compose`: writes each subgraph's SDL and the composed supergraph under schema/.
import { writeFile } from 'node:fs/promises';
import { composeFromCode, subgraphSdlPath, SUPERGRAPH_PATH } from './supergraph.js';

try {
  const { subgraphs, supergraph } = await composeFromCode();
  await Promise.all(Object.entries(subgraphs).map(([name, sdl]) => writeFile(subgraphSdlPath(name), sdl)));
  await writeFile(SUPERGRAPH_PATH, supergraph);
  process.stdout.write(`Composed ${Object.keys(subgraphs).length} subgraphs into ${SUPERGRAPH_PATH}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
