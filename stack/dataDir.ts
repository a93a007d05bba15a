import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StackError } from './log.js';

/** Creates DATA_DIR if needed and proves it is writable. */
export async function prepareDataDir(dir: string): Promise<string> {
  const path = resolve(dir);
  try {
    await mkdir(path, { recursive: true });
    await access(path, constants.W_OK);
  } catch {
    throw new StackError(
      `DATA_DIR ${path} cannot be created or written; fix its permissions or set DATA_DIR to a writable folder`,
    );
  }
  return path;
}

/** The JWT signing secret: generated once, then kept under DATA_DIR (mode 600). */
export async function jwtSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, 'jwt-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}
