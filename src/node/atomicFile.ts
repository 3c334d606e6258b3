// One file replaced atomically: written to a temporary file beside it, flushed, then renamed over it. A crash
// or a full disk leaves the old file or the new one, never half of either.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';

export const TEMP_SUFFIX = '.tmp';

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
