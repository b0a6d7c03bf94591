import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';
import type { App } from '../src/http/types.js';
import { call, expectError, PG_URL, register, snapshot, suiteApp, TEST_DB, type Session } from './helpers.js';
import { assertAbsent, markedPng, uploadPicture } from './combinationHelpers.js';

describe('combination safe: sealed at creation, revealed to the wearer once unlocked (issue 14)', () => {
  const t = suiteApp();

  async function lockWith(wearer: Session, combination: unknown, extra: Record<string, unknown> = {}) {
    const res = await call(t.app, wearer, 'POST', '/api/locks', { title: 'Boxed', durationSeconds: 60, combination, ...extra });
    assert.equal(res.statusCode, 201, res.body);
    return res;
  }

  async function unlock(who: Session, lockId: string) {
    const res = await call(t.app, who, 'POST', `/api/locks/${lockId}/unlock`);
    assert.equal(res.statusCode, 200, res.body);
  }

  const reveal = (who: Session | null, lockId: string) => call(t.app, who, 'GET', `/api/locks/${lockId}/combination`);

  it('a typed code: never answered while locked (wearer 409, keyholder 403, stranger 404); after unlock the wearer only, audited', async () => {
    const w = await register(t.app);
    const k = await register(t.app);
    const stranger = await register(t.app);
    const code = 'Tw0-Dials-4711';
    const created = await lockWith(w, { type: 'code', code }, { keyholderUsername: k.username });
    assertAbsent(created.body, code, 'the creation answer');
    const lockId = created.json().id;
    assert.equal((await call(t.app, k, 'POST', `/api/locks/${lockId}/invitation`, { accept: true })).statusCode, 200);

    expectError(await reveal(w, lockId), 409, 'lock_not_unlocked');
    expectError(await reveal(k, lockId), 403, 'forbidden');
    expectError(await reveal(stranger, lockId), 404, 'not_found');
    expectError(await reveal(null, lockId), 401, 'login_required');
    expectError(await call(t.app, w, 'GET', `/api/locks/${lockId}/combination/picture`), 409, 'lock_not_unlocked');

    await unlock(k, lockId);
    const shown = await reveal(w, lockId);
    assert.equal(shown.statusCode, 200, shown.body);
    assert.deepEqual(shown.json(), { type: 'code', code });
    assert.equal(shown.headers['cache-control'], 'no-store');
    expectError(await reveal(k, lockId), 403, 'forbidden');
    expectError(await reveal(stranger, lockId), 404, 'not_found');

    const history = (await call(t.app, w, 'GET', `/api/locks/${lockId}/history`)).json();
    assert.equal(history.results.filter((h: { type: string }) => h.type === 'combination_revealed').length, 1);
    assertAbsent(JSON.stringify(history), code, 'the history');
    const audit = await t.db.database.db.selectFrom('audit_logs').selectAll().where('lock_id', '=', lockId).where('action', '=', 'combination.reveal').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.user_id, w.userId);
    assert.equal(audit[0]!.route, '/api/locks/:lockId/combination');
  });

  it('a generated code is answered once at creation, then only after unlock', async () => {
    const w = await register(t.app);
    const created = await lockWith(w, { type: 'generate', digits: 4 });
    const generated = created.json().generatedCombination;
    assert.match(generated, /^\d{4}$/);
    const lockId = created.json().id;
    assertAbsent((await call(t.app, w, 'GET', `/api/locks/${lockId}`)).body, generated, 'the lock read');
    assert.equal((await call(t.app, w, 'GET', `/api/locks/${lockId}`)).json().generatedCombination, undefined);
    expectError(await reveal(w, lockId), 409, 'lock_not_unlocked');
    t.clock.advance(61_000);
    await unlock(w, lockId);
    assert.deepEqual((await reveal(w, lockId)).json(), { type: 'code', code: generated });
    // Default length: 6 digits.
    assert.match((await lockWith(w, { type: 'generate' })).json().generatedCombination, /^\d{6}$/);
  });

  it('a picture: sniffed and sealed before storage, bound to one lock, served to the wearer after unlock', async () => {
    const w = await register(t.app);
    const other = await register(t.app);
    const png = markedPng('PICTURE-MARKER-1234');
    const up = await uploadPicture(t.app, w, png);
    assert.equal(up.statusCode, 201, up.body);
    const { pictureId, contentType, size } = up.json();
    assert.equal(contentType, 'image/png');
    assert.equal(size, png.length);
    const stored = fs.readFileSync(path.join(t.config.files.dir, 'combinations', `${pictureId}.sealed`));
    assert.equal(stored.includes(png), false, 'the blob store holds the picture sealed');
    assert.equal(stored.toString('latin1').includes('PICTURE-MARKER-1234'), false);

    // Someone else's picture is unknown to them; a used one cannot be used again.
    const before = await snapshot(t.db.database);
    expectError(await call(t.app, other, 'POST', '/api/locks', { title: 'x', durationSeconds: 60, combination: { type: 'picture', pictureId } }), 400, 'invalid_request');
    assert.deepEqual(await snapshot(t.db.database), before);
    const lockId = (await lockWith(w, { type: 'picture', pictureId })).json().id;
    expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'y', durationSeconds: 60, combination: { type: 'picture', pictureId } }), 400, 'invalid_request');

    expectError(await call(t.app, w, 'GET', `/api/locks/${lockId}/combination/picture`), 409, 'lock_not_unlocked');
    t.clock.advance(61_000);
    await unlock(w, lockId);
    const shown = (await reveal(w, lockId)).json();
    assert.deepEqual(shown, { type: 'picture', url: `/api/locks/${lockId}/combination/picture`, contentType: 'image/png' });
    const bytes = await call(t.app, w, 'GET', shown.url);
    assert.equal(bytes.statusCode, 200);
    assert.equal(bytes.headers['content-type'], 'image/png');
    assert.equal(bytes.headers['cache-control'], 'no-store');
    assert.ok(bytes.rawPayload.equals(png));
    expectError(await call(t.app, other, 'GET', shown.url), 404, 'not_found');
  });

  it('refuses what is not an image, the wrong field, and bad combinations, changing nothing', async () => {
    const w = await register(t.app);
    const before = await snapshot(t.db.database);
    expectError(await uploadPicture(t.app, w, Buffer.from('<html>not a picture</html>')), 415, 'unsupported_media_type');
    expectError(await uploadPicture(t.app, w, markedPng('x'), 'photo'), 400, 'invalid_request');
    expectError(await uploadPicture(t.app, w, Buffer.concat([markedPng('big'), Buffer.alloc(10 * 1024 * 1024)])), 413, 'payload_too_large');
    expectError(await call(t.app, w, 'POST', '/api/combinations/pictures', { a: 1 }), 415, 'unsupported_media_type');
    for (const combination of [{ type: 'code', code: '' }, { type: 'code', code: '   ' }, { type: 'generate', digits: 2 }, { type: 'generate', digits: 9 }, { type: 'picture', pictureId: 'nope' }, { type: 'dial' }, 'secret']) {
      expectError(await call(t.app, w, 'POST', '/api/locks', { title: 'bad', durationSeconds: 60, combination }), 400, 'invalid_request');
    }
    assert.deepEqual(await snapshot(t.db.database), before);
    const pending = await t.db.database.db.selectFrom('combinations').select('id').where('owner_id', '=', w.userId).execute();
    assert.equal(pending.length, 0);
  });

  it('desertion: archiving a running lock deserts it; the combination is withheld for 7 days, then recoverable on purpose, recorded', async () => {
    const w = await register(t.app);
    const k = await register(t.app);
    const code = 'desert-me-0042';
    const lockId = (await lockWith(w, { type: 'code', code }, { keyholderUsername: k.username, durationSeconds: 30 * 86400 })).json().id;
    await call(t.app, k, 'POST', `/api/locks/${lockId}/invitation`, { accept: true });
    expectError(await call(t.app, k, 'POST', `/api/locks/${lockId}/archive`), 403, 'forbidden');

    const archived = await call(t.app, w, 'POST', `/api/locks/${lockId}/archive`);
    assert.equal(archived.statusCode, 200, archived.body);
    const body = archived.json();
    assert.equal(body.status, 'deserted');
    assert.equal(body.deserted, true);
    assert.equal(Date.parse(body.combinationRecoverableAt) - Date.parse(body.archivedAt), 7 * 86400_000);
    const lock = (await call(t.app, w, 'GET', `/api/locks/${lockId}`)).json();
    assert.equal(lock.status, 'deserted');
    assert.equal(lock.archivedAt, body.archivedAt);
    assert.equal((await call(t.app, k, 'GET', `/api/locks/${lockId}`)).json().status, 'deserted', 'the keyholder sees the desertion');
    expectError(await call(t.app, w, 'POST', `/api/locks/${lockId}/archive`), 409, 'conflict');

    const withheld = expectError(await reveal(w, lockId), 409, 'combination_withheld');
    assert.equal(withheld.details.recoverableAt, body.combinationRecoverableAt);
    assertAbsent(JSON.stringify(withheld), code, 'the refusal');
    expectError(await call(t.app, w, 'POST', `/api/locks/${lockId}/combination/recover`), 409, 'combination_withheld');
    t.clock.advance(7 * 86400_000 - 1000);
    expectError(await call(t.app, w, 'POST', `/api/locks/${lockId}/combination/recover`), 409, 'combination_withheld');
    expectError(await reveal(w, lockId), 409, 'combination_withheld');
    t.clock.advance(1000);
    expectError(await reveal(w, lockId), 409, 'combination_withheld');
    expectError(await call(t.app, k, 'POST', `/api/locks/${lockId}/combination/recover`), 403, 'forbidden');
    const recovered = await call(t.app, w, 'POST', `/api/locks/${lockId}/combination/recover`);
    assert.equal(recovered.statusCode, 200, recovered.body);
    assert.deepEqual((await reveal(w, lockId)).json(), { type: 'code', code });
    expectError(await reveal(k, lockId), 403, 'forbidden');
    assert.equal((await call(t.app, w, 'GET', `/api/locks/${lockId}`)).json().status, 'deserted', 'recovering does not erase the desertion');
    const types = (await call(t.app, w, 'GET', `/api/locks/${lockId}/history?limit=50`)).json().results.map((h: { type: string }) => h.type);
    for (const type of ['lock_deserted', 'combination_recovered', 'combination_revealed']) assert.ok(types.includes(type), `history has ${type}: ${types}`);
    const audit = await t.db.database.db.selectFrom('audit_logs').select('action').where('lock_id', '=', lockId).execute();
    assert.deepEqual(audit.map((a) => a.action).filter((a) => a?.startsWith('combination.')).sort(), ['combination.recover', 'combination.reveal']);
  });

  it('archiving an unlocked lock keeps the reveal; the archived lock still answers it', async () => {
    const w = await register(t.app);
    const lockId = (await lockWith(w, { type: 'code', code: '1234' })).json().id;
    expectError(await call(t.app, w, 'POST', `/api/locks/${lockId}/combination/recover`), 409, 'conflict');
    t.clock.advance(61_000);
    await unlock(w, lockId);
    const archived = (await call(t.app, w, 'POST', `/api/locks/${lockId}/archive`)).json();
    assert.equal(archived.status, 'unlocked');
    assert.equal(archived.deserted, false);
    assert.equal(archived.combinationRecoverableAt, null);
    assert.ok((await call(t.app, w, 'GET', `/api/locks/${lockId}`)).json().archivedAt);
    assert.deepEqual((await reveal(w, lockId)).json(), { type: 'code', code: '1234' });
    expectError(await call(t.app, w, 'POST', `/api/locks/${lockId}/archive`), 409, 'conflict');
  });

  it('a lock created without a combination has none to reveal (404)', async () => {
    const w = await register(t.app);
    const lockId = (await call(t.app, w, 'POST', '/api/locks', { title: 'plain', durationSeconds: 0 })).json().id;
    await unlock(w, lockId);
    expectError(await reveal(w, lockId), 404, 'not_found');
  });

  it('the database holds no combination in clear (SQLite file bytes, or a pg_dump of the schema)', async () => {
    const w = await register(t.app);
    const code = 'CLEAR-TEXT-CANARY-80917';
    const marker = 'PNG-CANARY-55102';
    await lockWith(w, { type: 'code', code });
    const up = (await uploadPicture(t.app, w, markedPng(marker))).json();
    await lockWith(w, { type: 'picture', pictureId: up.pictureId });
    let dump: Buffer;
    if (TEST_DB === 'sqlite') {
      const file = t.db.url.slice('sqlite:'.length);
      dump = Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
      assert.ok(dump.toString('latin1').includes(w.username), 'the file read is the live database');
    } else {
      const r = spawnSync('pg_dump', ['--schema', t.db.pgSchema!, '--data-only', PG_URL], { maxBuffer: 256 * 1024 * 1024 });
      assert.equal(r.status, 0, r.stderr?.toString());
      dump = r.stdout;
      assert.ok(dump.toString('latin1').includes(w.username), 'the dump holds the data');
    }
    assertAbsent(dump, code, 'the database');
    assertAbsent(dump, marker, 'the database');
  });
});

describe('COMBINATION_KEY configuration', () => {
  it('reads the key and its id, refuses a bad one, reads previous keys for rotation', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const old = Buffer.alloc(32, 2).toString('base64');
    const cfg = loadConfig({ COMBINATION_KEY: key, COMBINATION_KEY_ID: 'k2', COMBINATION_PREVIOUS_KEYS: `k1:${old}` }).combination;
    assert.equal(cfg.source, 'env');
    assert.deepEqual(cfg.keys.map((k) => k.id), ['k2', 'k1']);
    assert.throws(() => loadConfig({ COMBINATION_KEY: 'short' }), ConfigError);
    assert.throws(() => loadConfig({ COMBINATION_KEY: key, COMBINATION_PREVIOUS_KEYS: 'nocolon' }), ConfigError);
    assert.throws(() => loadConfig({ COMBINATION_PREVIOUS_KEYS: `k1:${old}` }), ConfigError);
  });

  it('in production without a key: missing (start.ts refuses); the sandbox and a local start keep a generated one in data/', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production' }).combination.source, 'missing');
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-combo-key-'));
    try {
      const local = loadConfig({}, cwd).combination;
      assert.equal(local.source, 'local-file');
      const first = loadConfig({ LATCH_DEV: '1' }, cwd).combination;
      assert.equal(first.source, 'dev-file');
      const file = path.join(cwd, 'data', 'combination.key');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.ok(first.keys[0]!.key.equals(loadConfig({ LATCH_DEV: '1' }, cwd).combination.keys[0]!.key), 'the same key on the next start');
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});

