import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { TEST_DB } from './helpers.js';
import { BACKUP_ENTRY, adminQuery, freshWorld, killAll, pgUrlFor, spawnEntry, startServer, stopGracefully, transcript, type Proc, type World } from './processes.js';

/**
 * Issue 16 item 18: `npm run backup` copies a running server's data (SQLite + its files
 * directory) consistently while writes go on; the copy, restored as README "Backups" says,
 * starts and holds what was acknowledged before the backup began. PostgreSQL: a pg_dump of the
 * database restores with pg_restore and the server starts on it.
 */

const TIMEOUT = 90_000;
const FILE_URL_SECRET = 'backup-test-secret-0123456789';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const worlds: World[] = [];
after(async () => {
  killAll();
  for (const w of worlds) await w.destroy().catch(() => undefined);
});

type Json = Record<string, any>;

async function http(base: string, method: string, url: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; json: Json; raw: Buffer }> {
  const res = await fetch(base + url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
  });
  const raw = Buffer.from(await res.arrayBuffer());
  let json: Json = {};
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    // a file's bytes
  }
  return { status: res.status, json, raw };
}

function uploadBody(bytes: Buffer) {
  const boundary = `----latch${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`);
  return { body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A PNG-headed image whose bytes differ per `n` (the server sniffs the header only). */
const imageNo = (n: number) => Buffer.concat([PNG, Buffer.from(`#${n}`)]);

describe(`backups (${TEST_DB})`, { skip: TEST_DB !== 'sqlite' ? 'the SQLite online backup: runs with LATCH_TEST_DB=sqlite' : false }, () => {
  it('npm run backup copies the database and files while writes run; restored into a fresh data dir, the server starts with every write acknowledged before the backup', { timeout: TIMEOUT }, async () => {
    const world = await freshWorld('sqlite');
    worlds.push(world);
    const env = { LATCH_DEV: '1', FILE_URL_SECRET, RATE_LIMIT_MULTIPLIER: '1000' };
    const server = await startServer(world, env);
    const fx = await http(server.url, 'POST', '/api/dev/fixtures', {}, {});
    assert.equal(fx.status, 201, JSON.stringify(fx.json));
    const w = fx.json;
    const auth = { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer };
    const sessionUrl = `/api/extensions/sessions/${w.session.id}`;

    // Writes: state keys k0, k1, … one after another, and an upload every few.
    const acked = new Set<number>();
    const uploaded = new Map<string, string>(); // file id → sha256
    let stop = false;
    let n = 0;
    const writer = (async () => {
      while (!stop) {
        const i = n++;
        const r = await http(server.url, 'PATCH', `${sessionUrl}/state`, auth, { data: { [`k${i}`]: i } });
        assert.equal(r.status, 200, JSON.stringify(r.json));
        acked.add(i);
        if (i % 5 === 0) {
          const img = imageNo(i);
          const { body, contentType } = uploadBody(img);
          const up = await http(server.url, 'POST', `${sessionUrl}/files`, { ...auth, 'content-type': contentType }, body);
          assert.equal(up.status, 201, JSON.stringify(up.json));
          uploaded.set(up.json.id, createHash('sha256').update(img).digest('hex'));
        }
      }
    })();
    while (acked.size < 20) await new Promise((r) => setTimeout(r, 10));

    // The backup, while the writer keeps going.
    const ackedBefore = new Set(acked);
    const filesBefore = new Map(uploaded);
    const target = path.join(world.dir, 'backup-1');
    const b: Proc = spawnEntry(BACKUP_ENTRY, world, { LATCH_DEV: '1' }, [target]);
    const exit = await b.exited;
    const ackedDuring = acked.size - ackedBefore.size;
    stop = true;
    await writer;
    assert.deepEqual(exit, { code: 0, signal: null }, transcript(b));
    const manifest = JSON.parse(fs.readFileSync(path.join(target, 'manifest.json'), 'utf8'));
    assert.equal(manifest.integrity, 'ok');
    assert.equal(manifest.files.missingBlobs, 0);
    assert.ok(ackedDuring > 0 || acked.size > ackedBefore.size, 'writes went on while the backup ran');
    await stopGracefully(server);

    // Restore into a fresh data dir (README "Backups"): the database file and the files directory.
    const fresh = await freshWorld('sqlite');
    worlds.push(fresh);
    fs.copyFileSync(path.join(target, 'latch.db'), path.join(fresh.dir, 'latch.db'));
    fs.cpSync(path.join(target, 'files'), path.join(fresh.dir, 'data', 'files'), { recursive: true });
    const restored = await startServer(fresh, env);

    // Consistent: the state holds a gap-free run of keys k0…kK-1 (one writer, one at a time),
    // including every key acknowledged before the backup began.
    const state = await http(restored.url, 'GET', `${sessionUrl}/state`, auth);
    assert.equal(state.status, 200, JSON.stringify(state.json));
    const keys = Object.keys(state.json.data).map((k) => Number(k.slice(1)));
    const k = keys.length;
    assert.deepEqual(keys.sort((a, b) => a - b), Array.from({ length: k }, (_, i) => i), 'no gap: one committed state');
    for (const i of ackedBefore) assert.ok(keys.includes(i), `write k${i} acknowledged before the backup is there`);
    // Every file the copy lists has its bytes; every file uploaded before the backup is there.
    const list = await http(restored.url, 'GET', `${sessionUrl}/files`, auth);
    assert.equal(list.status, 200, JSON.stringify(list.json));
    const listed = list.json.files as Json[];
    for (const id of filesBefore.keys()) assert.ok(listed.some((f) => f.id === id), `file ${id} uploaded before the backup is there`);
    for (const f of listed) {
      const signed = new URL(f.url);
      const bytes = await http(restored.url, 'GET', signed.pathname + signed.search);
      assert.equal(bytes.status, 200, `file ${f.id}: ${bytes.raw.toString()}`);
      assert.equal(createHash('sha256').update(bytes.raw).digest('hex'), uploaded.get(f.id) ?? f.sha256);
    }
    // And it takes new writes.
    assert.equal((await http(restored.url, 'PATCH', `${sessionUrl}/state`, auth, { data: { after: true } })).status, 200);
    await stopGracefully(restored);
  });

  it('refuses a target that is not empty (exit 2), leaving it alone', { timeout: TIMEOUT }, async () => {
    const world = await freshWorld('sqlite');
    worlds.push(world);
    const s = await startServer(world, { LATCH_DEV: '1' });
    await stopGracefully(s);
    const target = path.join(world.dir, 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep.txt'), 'x');
    const b = spawnEntry(BACKUP_ENTRY, world, {}, [target]);
    assert.deepEqual(await b.exited, { code: 2, signal: null }, transcript(b));
    assert.match(b.stderr(), /not empty/);
    assert.deepEqual(fs.readdirSync(target), ['keep.txt']);
    // The copy is a database SQLite can open.
    const ok = path.join(world.dir, 'ok');
    const b2 = spawnEntry(BACKUP_ENTRY, world, {}, [ok]);
    assert.deepEqual(await b2.exited, { code: 0, signal: null }, transcript(b2));
    const db = new SQLite(path.join(ok, 'latch.db'), { readonly: true });
    assert.ok((db.prepare("SELECT count(*) AS n FROM kysely_migration").get() as { n: number }).n > 0);
    db.close();
  });
});

const hasPgDump = spawnSync('pg_dump', ['--version']).status === 0 && spawnSync('pg_restore', ['--version']).status === 0;

describe(`PostgreSQL backups with pg_dump (${TEST_DB})`, { skip: TEST_DB !== 'postgres' ? 'runs with LATCH_TEST_DB=postgres' : !hasPgDump ? 'pg_dump/pg_restore not on PATH' : false }, () => {
  it('npm run backup on PostgreSQL writes a pg_dump; pg_restore into a fresh database and the server starts on it with the data', { timeout: TIMEOUT }, async () => {
    const world = await freshWorld('postgres');
    worlds.push(world);
    const env = { LATCH_DEV: '1', FILE_URL_SECRET, RATE_LIMIT_MULTIPLIER: '1000' };
    const server = await startServer(world, env);
    const fx = await http(server.url, 'POST', '/api/dev/fixtures', {}, {});
    assert.equal(fx.status, 201);
    const w = fx.json;
    const auth = { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer };
    assert.equal((await http(server.url, 'PUT', `/api/extensions/sessions/${w.session.id}/state`, auth, { data: { kept: 42 } })).status, 200);

    const target = path.join(world.dir, 'pg-backup');
    const b = spawnEntry(BACKUP_ENTRY, world, {}, [target]);
    assert.deepEqual(await b.exited, { code: 0, signal: null }, transcript(b));
    await stopGracefully(server);
    const dump = path.join(target, 'latch.pgdump');
    assert.ok(fs.statSync(dump).size > 0);

    // Restore as README "Backups" says: a fresh database, pg_restore --no-owner.
    const name = `latch_rest_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const fresh: World = { dir: fs.mkdtempSync(path.join(world.dir, 'r-')), databaseUrl: pgUrlFor(name), destroy: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined) };
    worlds.push(fresh);
    const r = spawnSync('pg_restore', ['--no-owner', '--no-privileges', `--dbname=${fresh.databaseUrl}`, dump], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const restored = await startServer(fresh, env);
    const state = await http(restored.url, 'GET', `/api/extensions/sessions/${w.session.id}/state`, auth);
    assert.equal(state.status, 200, JSON.stringify(state.json));
    assert.equal(state.json.data.kept, 42);
    await stopGracefully(restored);
  });
});
