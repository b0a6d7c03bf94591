import fs from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkKey, type BlobStore } from './store.js';

async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException)?.code === 'ENOENT';

/** Blobs as files under one directory (created on first write). */
export function createLocalBlobStore(root: string): BlobStore {
  const abs = (key: string) => path.join(root, ...checkKey(key).split('/'));

  return {
    kind: 'local',

    async write(key, source) {
      const file = abs(key);
      await mkdir(path.dirname(file), { recursive: true });
      try {
        // 'wx': a key is written once; the stream applies back-pressure, nothing is buffered whole.
        await pipeline(source, fs.createWriteStream(file, { flags: 'wx' }));
        await fsyncPath(file);
        return (await stat(file)).size;
      } catch (err) {
        await rm(file, { force: true });
        throw err;
      }
    },

    async move(from, to) {
      const target = abs(to);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(abs(from), target);
      // The rename itself survives power loss only once its directory is synced.
      await fsyncPath(path.dirname(target)).catch(() => undefined);
    },

    async read(key) {
      const file = abs(key);
      try {
        const st = await stat(file);
        return { stream: fs.createReadStream(file), size: st.size };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },

    async delete(key) {
      await rm(abs(key), { force: true });
    },

    async exists(key) {
      try {
        await stat(abs(key));
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },

    async list(prefix) {
      const base = path.join(root, ...prefix.split('/').filter(Boolean));
      try {
        const entries = await readdir(base, { recursive: true, withFileTypes: true });
        return entries
          .filter((e) => e.isFile())
          .map((e) => path.relative(root, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(path.sep).join('/'))
          .sort();
      } catch (err) {
        if (isMissing(err)) return [];
        throw err;
      }
    },

    async close() {},
  };
}
