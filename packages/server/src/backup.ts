import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { ConfigError, loadConfig, type Config } from './config.js';

/**
 * `npm run backup [-- <target dir>]`: a consistent copy of a running server's data, without
 * stopping it (README "Backups").
 *
 * SQLite: `VACUUM INTO` copies the database inside one read transaction (WAL: writers go on),
 * so the copy is one committed state. The local blob store is copied around it, once before and
 * once after: a file's bytes are written (and synced) before its row commits, so every file row
 * in the copy has its bytes in the copy unless the file was deleted in between (then the
 * manifest counts it in `missingBlobs`; the restored server answers 404 for that file only).
 * Blobs are written once and never changed, so copying a file that exists is always safe.
 *
 * PostgreSQL: `pg_dump --format=custom` (when on PATH), plus the same blob copy.
 */

export interface BackupManifest {
  createdAt: string;
  database: 'sqlite' | 'postgres';
  /** The database copy inside the backup directory. */
  databaseFile: string;
  integrity: string;
  files: { dir: string | null; count: number; bytes: number; missingBlobs: number; note?: string };
}

export async function backup(config: Config, target: string, now = new Date()): Promise<BackupManifest> {
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new ConfigError(`backup target ${target} exists and is not empty`);
  fs.mkdirSync(target, { recursive: true });
  const filesTarget = path.join(target, 'files');
  const copyBlobs = !config.files.s3;
  const copied = new Set<string>();
  let bytes = 0;
  const copyPass = () => {
    if (!copyBlobs || !fs.existsSync(config.files.dir)) return;
    for (const rel of listFiles(config.files.dir)) {
      if (copied.has(rel)) continue;
      const to = path.join(filesTarget, rel);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      try {
        fs.copyFileSync(path.join(config.files.dir, rel), to, fs.constants.COPYFILE_FICLONE);
      } catch (err) {
        // Deleted (or moved from its upload key) since it was listed.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      copied.add(rel);
      bytes += fs.statSync(to).size;
    }
  };

  const pg = /^postgres(ql)?:\/\//.test(config.databaseUrl);
  copyPass();
  let databaseFile: string;
  let integrity: string;
  let storageKeys: string[];
  if (pg) {
    databaseFile = 'latch.pgdump';
    const r = spawnSync('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${path.join(target, databaseFile)}`, `--dbname=${config.databaseUrl}`], { encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`pg_dump failed: ${r.error?.message ?? r.stderr}`);
    integrity = 'pg_dump ok';
    storageKeys = [];
  } else {
    const source = sqliteFile(config.databaseUrl);
    if (!fs.existsSync(source)) throw new ConfigError(`no SQLite database at ${source}`);
    databaseFile = 'latch.db';
    const dest = path.join(target, databaseFile);
    const src = new SQLite(source, { fileMustExist: true });
    try {
      src.pragma('busy_timeout = 10000');
      src.prepare('VACUUM INTO ?').run(dest);
    } finally {
      src.close();
    }
    const copy = new SQLite(dest, { readonly: true });
    try {
      integrity = String(copy.pragma('integrity_check', { simple: true }));
      storageKeys = (copy.prepare('SELECT storage_key FROM files').all() as Array<{ storage_key: string }>).map((r) => r.storage_key);
    } finally {
      copy.close();
    }
  }
  copyPass();
  const missingBlobs = copyBlobs ? storageKeys.filter((k) => !copied.has(k.split('/').join(path.sep))).length : 0;
  const manifest: BackupManifest = {
    createdAt: now.toISOString(),
    database: pg ? 'postgres' : 'sqlite',
    databaseFile,
    integrity,
    files: copyBlobs
      ? { dir: 'files', count: copied.size, bytes, missingBlobs }
      : { dir: null, count: 0, bytes: 0, missingBlobs: 0, note: 'files are in the S3 bucket: back it up with the bucket’s own versioning/replication' },
  };
  fs.writeFileSync(path.join(target, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

function sqliteFile(url: string): string {
  if (url === ':memory:' || url === 'sqlite::memory:') throw new ConfigError('an in-memory database cannot be backed up');
  return path.resolve(url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, ''));
}

function listFiles(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)))
    .sort();
}

async function main() {
  try {
    const config = loadConfig();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const target = path.resolve(process.argv[2] ?? path.join('backups', `latch-${stamp}`));
    const manifest = await backup(config, target);
    process.stdout.write(`latch backup written to ${target}\n${JSON.stringify(manifest, null, 2)}\n`);
    if (manifest.integrity !== 'ok' && manifest.integrity !== 'pg_dump ok') process.exit(1);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`latch backup: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
