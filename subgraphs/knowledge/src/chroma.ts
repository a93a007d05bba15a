import { ChromaClient } from 'chromadb';

/** A client for the Chroma server at `url` (API v2). */
export function createChroma(url: string): ChromaClient {
  const parsed = new URL(url);
  return new ChromaClient({
    host: parsed.hostname,
    port: Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)),
    ssl: parsed.protocol === 'https:',
  });
}

export async function pingChroma(chroma: ChromaClient): Promise<boolean> {
  try {
    await chroma.heartbeat();
    return true;
  } catch {
    return false;
  }
}
