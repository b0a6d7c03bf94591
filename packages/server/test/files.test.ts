/**
 * Extension files (spec 000 `files.*`, DECISIONS §11) on both blob stores: the local directory
 * and an S3-compatible bucket (s3rver, started here). Rows and bytes never disagree.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import S3rver from 's3rver';
import { FILE_LIMITS } from '@latch/protocol';
import { createBlobStore, type BlobStore } from '../src/blobs/index.js';
import type { Config, FilesConfig } from '../src/config.js';
import { expectError, fixtureWorld, testApp, type TestApp } from './helpers.js';

// ---------------------------------------------------------------------------------------------
// Bytes

const IMAGES = {
  png: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'),
  jpeg: Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64'),
  webp: Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'),
  gif: Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'),
};
const HTML = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), randomBytes(120)]);
const MiB = 1024 * 1024;

/** A PNG-headed body of exactly `size` bytes (the server only sniffs the start). */
const pngOfSize = (size: number) => Buffer.concat([IMAGES.png.subarray(0, 16), Buffer.alloc(size - 16, 7)]);

interface FormOptions {
  field?: string;
  filename?: string;
  type?: string;
  fields?: Record<string, string>;
}

function formParts(opts: FormOptions) {
  const boundary = `----latch${randomBytes(8).toString('hex')}`;
  const fields = Object.entries(opts.fields ?? {})
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const head = Buffer.from(
    `${fields}--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"; filename="${opts.filename ?? 'upload.png'}"\r\nContent-Type: ${opts.type ?? 'image/png'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { head, tail, contentType: `multipart/form-data; boundary=${boundary}` };
}

function form(file: Buffer, opts: FormOptions = {}) {
  const { head, tail, contentType } = formParts(opts);
  return { payload: Buffer.concat([head, file, tail]), contentType };
}

/** A multipart upload of `size` bytes produced lazily, counting how much the server pulled. */
function streamingForm(size: number) {
  const { head, tail, contentType } = formParts({});
  const counter = { produced: 0 };
  const chunk = Buffer.alloc(64 * 1024, 7);
  async function* body() {
    yield head;
    const start = IMAGES.png.subarray(0, 16);
    counter.produced += start.length;
    yield start;
    while (counter.produced < size) {
      const n = Math.min(chunk.length, size - counter.produced);
      counter.produced += n;
      yield chunk.subarray(0, n);
    }
    yield tail;
  }
  return { stream: Readable.from(body()), contentType, counter };
}

// ---------------------------------------------------------------------------------------------
// Worlds and calls

interface World {
  wearer: { id: string; username: string; password: string };
  app: { id: string; slug: string; appKey: string };
  lock: { id: string };
  session: { id: string };
  mainTokens: { wearer: string; keyholder: string | null };
}

async function fixture(t: TestApp, extension: Record<string, unknown> = {}): Promise<World> {
  return fixtureWorld(t.app, { extension });
}

const backend = (w: World) => ({ authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': w.mainTokens.wearer });
const tokenAlone = (w: World) => ({ 'x-chastify-main-token': w.mainTokens.wearer });
const filesUrl = (w: World) => `/api/extensions/sessions/${w.session.id}/files`;

function upload(t: TestApp, w: World, file: Buffer, opts: FormOptions = {}, headers: Record<string, string> = backend(w)) {
  const f = form(file, opts);
  return t.app.inject({ method: 'POST', url: filesUrl(w), headers: { ...headers, 'content-type': f.contentType }, payload: f.payload });
}

interface FileView {
  id: string;
  fileId: string;
  sessionId: string;
  lockId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  url: string;
  urlExpiresAt: string;
  createdAt: string;
}

/** The path + query of a signed URL (its host is PUBLIC_URL). */
const local = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

async function rows(t: TestApp, sessionId?: string) {
  let q = t.db.database.db.selectFrom('files').selectAll();
  if (sessionId) q = q.where('session_id', '=', sessionId);
  return q.execute();
}

async function reapJobs(t: TestApp) {
  return t.db.database.db.selectFrom('jobs').selectAll().where('kind', '=', 'files.reap').execute();
}

async function until(what: string, check: () => Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

// ---------------------------------------------------------------------------------------------
// The two stores

interface StoreUnderTest {
  name: 'local' | 's3';
  setUp(): Promise<Partial<FilesConfig>>;
  tearDown(): Promise<void>;
}

function localStore(): StoreUnderTest {
  let dir = '';
  return {
    name: 'local',
    async setUp() {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-files-'));
      return { dir, s3: null };
    },
    async tearDown() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function s3Store(): StoreUnderTest {
  let dir = '';
  let server: S3rver | null = null;
  return {
    name: 's3',
    async setUp() {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-s3rver-'));
      const bucket = 'latch-files';
      server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
      const { port } = await server.run();
      return { s3: { endpoint: `http://127.0.0.1:${port}`, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true } };
    },
    async tearDown() {
      await server?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

for (const sut of [localStore(), s3Store()]) {
  describe(`extension files on the ${sut.name} store`, () => {
    let t: TestApp;
    let store: BlobStore;
    let w: World;

    before(async () => {
      const filesCfg = await sut.setUp();
      // Uploads are limited to 10 a minute per credential; these tests upload hundreds.
      const base = (await import('../src/config.js')).testConfig();
      const config: Partial<Config> = { rateLimitMultiplier: 50, files: { ...base.files, ...filesCfg } };
      t = await testApp({ config });
      store = createBlobStore(t.config.files);
      assert.equal(store.kind, sut.name);
      w = await fixture(t);
    });
    after(async () => {
      await store.close();
      await t.close();
      await sut.tearDown();
    });

    it('capabilities: the limits and accepted types; canUpload only for backend credentials', async () => {
      const asBackend = await t.app.inject({ method: 'GET', url: `${filesUrl(w)}/capabilities`, headers: backend(w) });
      assert.equal(asBackend.statusCode, 200, asBackend.body);
      assert.deepEqual(asBackend.json(), {
        enabled: true,
        acceptedContentTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'],
        uploadField: 'file',
        maxFileBytes: 10 * MiB,
        maxFilesPerSession: 100,
        maxSessionBytes: 100 * MiB,
        urlTtlSeconds: 600,
        usage: { files: 0, bytes: 0 },
        canUpload: true,
      });
      const asBrowser = await t.app.inject({ method: 'GET', url: `${filesUrl(w)}/capabilities`, headers: tokenAlone(w) });
      assert.equal(asBrowser.statusCode, 200, asBrowser.body);
      assert.equal(asBrowser.json().canUpload, false);
    });

    const uploaded: Record<string, FileView> = {};
    for (const [kind, bytes] of Object.entries(IMAGES)) {
      it(`uploads a ${kind}: 201, type sniffed from the bytes, bytes served back through the signed URL`, async () => {
        const res = await upload(t, w, bytes, { filename: `my ${kind} picture.${kind}`, type: 'application/octet-stream' });
        assert.equal(res.statusCode, 201, res.body);
        const f = res.json() as FileView;
        const type = `image/${kind}`;
        assert.equal(f.contentType, type);
        assert.equal(f.id, f.fileId);
        assert.match(f.id, /^[0-9a-f]{24}$/);
        assert.equal(f.sessionId, w.session.id);
        assert.equal(f.lockId, w.lock.id);
        assert.equal(f.size, bytes.length);
        assert.equal(f.filename, `my_${kind}_picture.${kind === 'jpeg' ? 'jpg' : kind}`);
        assert.equal(Date.parse(f.urlExpiresAt), t.clock.now() - (t.clock.now() % 1000) + 600_000);
        assert.ok(f.url.startsWith('http://latch.test/api/files/'));
        const got = await t.app.inject({ method: 'GET', url: local(f.url) });
        assert.equal(got.statusCode, 200);
        assert.deepEqual(got.rawPayload, bytes);
        assert.equal(got.headers['content-type'], type);
        assert.equal(got.headers['x-content-type-options'], 'nosniff');
        assert.equal(got.headers['content-disposition'], `inline; filename="${f.filename}"`);
        assert.equal(got.headers['cache-control'], 'private, max-age=600, immutable');
        assert.equal(got.headers['content-length'], String(bytes.length));
        assert.equal(got.headers.etag, `"${f.sha256}"`);
        assert.equal(got.headers['access-control-allow-origin'], '*');
        const cached = await t.app.inject({ method: 'GET', url: local(f.url), headers: { 'if-none-match': `"${f.sha256}"` } });
        assert.equal(cached.statusCode, 304);
        uploaded[kind] = f;
      });
    }

    it('a GIF named .png and declared image/png is a GIF', async () => {
      const res = await upload(t, w, IMAGES.gif, { filename: '../../etc/pass wd!.png', type: 'image/png' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().contentType, 'image/gif');
      assert.equal(res.json().filename, 'pass_wd.gif');
      uploaded.renamed = res.json();
    });

    for (const [label, bytes] of [
      ['HTML', HTML],
      ['an ELF executable', ELF],
      ['an empty file', Buffer.alloc(0)],
    ] as const) {
      it(`a ".png" that is really ${label} → 415 unsupported_media_type, nothing stored`, async () => {
        const keysBefore = await store.list('');
        const rowsBefore = await rows(t);
        const res = await upload(t, w, bytes, { filename: 'innocent.png', type: 'image/png' });
        expectError(res, 415, 'unsupported_media_type');
        assert.deepEqual(await store.list(''), keysBefore);
        assert.deepEqual(await rows(t), rowsBefore);
        assert.deepEqual(await reapJobs(t), []);
      });
    }

    it('lists the files oldest first with fresh signed URLs, for the main token alone (bridge files.list)', async () => {
      const res = await t.app.inject({ method: 'GET', url: filesUrl(w), headers: tokenAlone(w) });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { files: FileView[]; count: number; totalBytes: number };
      const expected = [uploaded.png!, uploaded.jpeg!, uploaded.webp!, uploaded.gif!, uploaded.renamed!];
      assert.deepEqual(body.files.map((f) => f.id), expected.map((f) => f.id));
      assert.equal(body.count, 5);
      assert.equal(body.totalBytes, expected.reduce((n, f) => n + f.size, 0));
      for (const f of body.files) assert.equal((await t.app.inject({ method: 'GET', url: local(f.url) })).statusCode, 200);
      const caps = await t.app.inject({ method: 'GET', url: `${filesUrl(w)}/capabilities`, headers: tokenAlone(w) });
      assert.deepEqual(caps.json().usage, { files: 5, bytes: body.totalBytes });
    });

    it('gets one file for the main token alone (bridge files.get), 404 for another session’s id', async () => {
      const res = await t.app.inject({ method: 'GET', url: `${filesUrl(w)}/${uploaded.png!.id}`, headers: tokenAlone(w) });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().sha256, uploaded.png!.sha256);
      const other = await fixture(t);
      expectError(await t.app.inject({ method: 'GET', url: `${filesUrl(other)}/${uploaded.png!.id}`, headers: tokenAlone(other) }), 404, 'not_found');
    });

    it('upload and delete need backend credentials and files:write', async () => {
      expectError(await upload(t, w, IMAGES.png, {}, tokenAlone(w)), 403, 'server_credentials_required');
      expectError(await t.app.inject({ method: 'DELETE', url: `${filesUrl(w)}/${uploaded.png!.id}`, headers: tokenAlone(w) }), 403, 'server_credentials_required');
      const noScope = await fixture(t, { scopes: ['state:write', 'locks:write'] });
      expectError(await upload(t, noScope, IMAGES.png), 403, 'insufficient_scope');
      const caps = await t.app.inject({ method: 'GET', url: `${filesUrl(noScope)}/capabilities`, headers: backend(noScope) });
      assert.equal(caps.json().canUpload, false);
    });

    it('refuses bodies that are not one multipart file', async () => {
      const json = await t.app.inject({ method: 'POST', url: filesUrl(w), headers: backend(w), payload: { file: 'x' } });
      expectError(json, 415, 'unsupported_media_type');
      const wrongField = await upload(t, w, IMAGES.png, { field: 'image' });
      expectError(wrongField, 400, 'invalid_request');
      const boundary = 'nofile';
      const onlyFields = await t.app.inject({
        method: 'POST',
        url: filesUrl(w),
        headers: { ...backend(w), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
      });
      expectError(onlyFields, 400, 'invalid_request');
      // Multipart is parsed on the upload route only.
      const f = form(IMAGES.png);
      const elsewhere = await t.app.inject({ method: 'PUT', url: `/api/extensions/sessions/${w.session.id}/state`, headers: { ...backend(w), 'content-type': f.contentType }, payload: f.payload });
      expectError(elsewhere, 415, 'unsupported_media_type');
    });

    it('accepts exactly 10 MiB', async () => {
      const res = await upload(t, w, pngOfSize(FILE_LIMITS.maxFileBytes));
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().size, 10 * MiB);
      const del = await t.app.inject({ method: 'DELETE', url: `${filesUrl(w)}/${res.json().id}`, headers: backend(w) });
      assert.equal(del.statusCode, 200, del.body);
    });

    it('an upload past 10 MiB is refused as the stream passes the cap: 413, never read or written whole, no row, no blob', async () => {
      const keysBefore = await store.list('');
      const rowsBefore = await rows(t);
      const body = streamingForm(40 * MiB);
      const res = await t.app.inject({ method: 'POST', url: filesUrl(w), headers: { ...backend(w), 'content-type': body.contentType }, payload: body.stream });
      expectError(res, 413, 'payload_too_large');
      assert.equal(res.headers.connection, 'close');
      assert.ok(body.counter.produced < 12 * MiB, `the server pulled ${body.counter.produced} of 40 MiB`);
      assert.deepEqual(await store.list(''), keysBefore);
      assert.deepEqual(await rows(t), rowsBefore);
      assert.deepEqual(await reapJobs(t), []);
    });

    it('signed URLs: tampered → 403 invalid_signature; expired after 10 minutes → 403', async () => {
      const f = (await t.app.inject({ method: 'GET', url: `${filesUrl(w)}/${uploaded.jpeg!.id}`, headers: tokenAlone(w) })).json() as FileView;
      const u = new URL(f.url);
      const sig = u.searchParams.get('signature')!;
      const exp = u.searchParams.get('expires')!;
      const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.at(-1);
      for (const bad of [
        `/api/files/${f.id}?expires=${exp}&signature=${flipped}`,
        `/api/files/${f.id}?expires=${Number(exp) + 3600}&signature=${sig}`,
        `/api/files/${uploaded.png!.id}?expires=${exp}&signature=${sig}`,
        `/api/files/${f.id}?expires=${exp}`,
        `/api/files/${f.id}`,
        `/api/files/${f.id}?expires=abc&signature=${sig}`,
      ]) {
        const res = await t.app.inject({ method: 'GET', url: bad });
        const body = expectError(res, 403, 'invalid_signature');
        assert.equal(body.details.reason, 'invalid', bad);
      }
      assert.equal((await t.app.inject({ method: 'GET', url: local(f.url) })).statusCode, 200);
      const adv = await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds: 601 } });
      assert.equal(adv.statusCode, 200, adv.body);
      const expired = expectError(await t.app.inject({ method: 'GET', url: local(f.url) }), 403, 'invalid_signature');
      assert.equal(expired.details.reason, 'expired');
      // files.get hands out a fresh one.
      const fresh = (await t.app.inject({ method: 'GET', url: `${filesUrl(w)}/${f.id}`, headers: tokenAlone(w) })).json() as FileView;
      assert.notEqual(fresh.url, f.url);
      assert.equal((await t.app.inject({ method: 'GET', url: local(fresh.url) })).statusCode, 200);
    });

    it('delete removes the row and the bytes; the old URL and the id are then 404', async () => {
      const f = uploaded.webp!;
      const key = `sessions/${w.session.id}/${f.id}`;
      assert.equal(await store.exists(key), true);
      const url = ((await t.app.inject({ method: 'GET', url: `${filesUrl(w)}/${f.id}`, headers: tokenAlone(w) })).json() as FileView).url;
      const res = await t.app.inject({ method: 'DELETE', url: `${filesUrl(w)}/${f.id}`, headers: backend(w) });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { ok: true, fileId: f.id, deleted: true });
      assert.equal(await store.exists(key), false);
      assert.equal((await rows(t)).some((r) => r.id === f.id), false);
      assert.deepEqual(await reapJobs(t), []);
      expectError(await t.app.inject({ method: 'GET', url: local(url) }), 404, 'not_found');
      expectError(await t.app.inject({ method: 'GET', url: `${filesUrl(w)}/${f.id}`, headers: tokenAlone(w) }), 404, 'not_found');
      expectError(await t.app.inject({ method: 'DELETE', url: `${filesUrl(w)}/${f.id}`, headers: backend(w) }), 404, 'not_found');
    });

    it('every row has its bytes and every blob has its row', async () => {
      const keys = await store.list('');
      const all = await rows(t);
      assert.deepEqual(keys, all.map((r) => r.storage_key).sort());
    });

    it('an upload interrupted mid-stream leaves no row, no blob and no job', async () => {
      const v = await fixture(t);
      const address = t.app.server.listening ? t.app.server.address() : (await t.app.listen({ host: '127.0.0.1', port: 0 }), t.app.server.address());
      const port = typeof address === 'object' && address ? address.port : 0;
      const { head, contentType } = formParts({});
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: filesUrl(v), headers: { ...backend(v), 'content-type': contentType, 'content-length': String(head.length + 8 * MiB + 100) } });
      req.on('error', () => undefined);
      req.write(head);
      req.write(IMAGES.png.subarray(0, 16));
      req.write(Buffer.alloc(2 * MiB, 1));
      // The upload is under way once its reap job (written before any byte is stored) exists.
      await until('the upload to start', async () => (await reapJobs(t)).length === 1);
      req.write(Buffer.alloc(MiB, 1));
      await new Promise((r) => setTimeout(r, 100));
      req.destroy();
      await until('the interrupted upload to be cleaned up', async () => (await reapJobs(t)).length === 0);
      assert.deepEqual(await rows(t, v.session.id), []);
      assert.deepEqual((await store.list('')).filter((k) => k.startsWith('tmp/') || k.includes(v.session.id)), []);
    });

    it('bytes a crash left behind are reaped by the scheduler', async () => {
      const id = 'ab'.repeat(12);
      await store.write(`tmp/${id}`, Readable.from([IMAGES.png]));
      const now = t.clock.now();
      await t.db.database.db
        .insertInto('jobs')
        .values({ id, kind: 'files.reap', key: `files.reap:${id}`, run_at: now + 3600_000, payload: JSON.stringify({ fileId: id, keys: [`tmp/${id}`, `sessions/x/${id}`] }), attempts: 0, max_attempts: 10, locked_by: null, locked_until: null, last_error: null, failed_at: null, created_at: now })
        .execute();
      const adv = await t.app.inject({ method: 'POST', url: '/api/dev/clock/advance', payload: { seconds: 3600 } });
      assert.equal(adv.statusCode, 200, adv.body);
      assert.equal(await store.exists(`tmp/${id}`), false);
      assert.deepEqual(await reapJobs(t), []);
    });

    if (sut.name === 'local') {
      it('quota: the 101st file of a session → 409 quota_exceeded, nothing stored', async () => {
        const q = await fixture(t);
        for (let i = 0; i < FILE_LIMITS.maxFilesPerSession; i++) {
          const res = await upload(t, q, IMAGES.gif);
          assert.equal(res.statusCode, 201, `upload ${i + 1}: ${res.body}`);
        }
        const keysBefore = await store.list('');
        const res = await upload(t, q, IMAGES.gif);
        const body = expectError(res, 409, 'quota_exceeded');
        assert.equal(body.details.limit, 'files');
        assert.deepEqual(await store.list(''), keysBefore);
        assert.equal((await rows(t, q.session.id)).length, 100);
        // Deleting one makes room again.
        const first = (await rows(t, q.session.id))[0]!;
        assert.equal((await t.app.inject({ method: 'DELETE', url: `${filesUrl(q)}/${first.id}`, headers: backend(q) })).statusCode, 200);
        assert.equal((await upload(t, q, IMAGES.gif)).statusCode, 201);
      });

      it('quota: 100 MiB per session, refused mid-stream when an upload would pass it', async () => {
        const q = await fixture(t);
        for (let i = 0; i < 9; i++) assert.equal((await upload(t, q, pngOfSize(10 * MiB))).statusCode, 201);
        assert.equal((await upload(t, q, pngOfSize(5 * MiB))).statusCode, 201);
        const keysBefore = await store.list('');
        // 95 MiB used: a 10 MiB file fits the per-file cap but not the session.
        const body = streamingForm(10 * MiB);
        const res = await t.app.inject({ method: 'POST', url: filesUrl(q), headers: { ...backend(q), 'content-type': body.contentType }, payload: body.stream });
        const err = expectError(res, 409, 'quota_exceeded');
        assert.equal(err.details.limit, 'bytes');
        assert.deepEqual(await store.list(''), keysBefore);
        // Exactly up to the quota is fine; past it nothing more fits.
        assert.equal((await upload(t, q, pngOfSize(5 * MiB))).statusCode, 201);
        expectError(await upload(t, q, IMAGES.gif), 409, 'quota_exceeded');
        const caps = await t.app.inject({ method: 'GET', url: `${filesUrl(q)}/capabilities`, headers: backend(q) });
        assert.deepEqual(caps.json().usage, { files: 11, bytes: 100 * MiB });
      });
    }
  });
}
