import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createExternalClient } from '@latch/client';
import { startPlatform, type TestPlatform, type World } from '../../test-support/platform.js';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/main.ts');

/** Runs the example as a user would: its own process, configured by the environment. */
function run(env: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('external-script example (real platform)', () => {
  let srv: TestPlatform;
  let w: World;
  before(async () => {
    srv = await startPlatform();
    w = await srv.world({ lock: { keyholder: true, durationSeconds: 3600 } });
  });
  after(() => srv?.close());

  it('reads the session, adds time, sets a blocker and writes a log; --clear removes the blocker', async () => {
    const me = createExternalClient({ baseUrl: srv.baseUrl, userKey: w.wearer.userKey });
    const before = (await me.session()).lockData.timeRemainingSeconds!;

    const r = await run({ LATCH_URL: srv.baseUrl, LATCH_USER_KEY: w.wearer.userKey, ADD_SECONDS: '900', BLOCKER: 'Report to the script' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Lock "Sandbox lock" \([0-9a-f]{24}\): 1h 00m 00s left/);
    assert.match(r.stdout, /Added 900 s: 1h 15m 00s left\./);
    assert.match(r.stdout, /Blocker set: "Report to the script"/);

    const after1 = await me.session();
    assert.equal(after1.lockData.timeRemainingSeconds! - before, 900);
    assert.deepEqual((await me.metadata.get()).unlockBlockers, ['Report to the script']);
    assert.ok(after1.lockData.unlockBlockedReasons.includes('extension_blocker'));
    assert.ok((await srv.history(w)).includes('External script ran'));

    const c = await run({ LATCH_URL: srv.baseUrl, LATCH_USER_KEY: w.wearer.userKey }, ['--clear']);
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual((await me.metadata.get()).unlockBlockers, []);
    assert.ok(!(await me.session()).lockData.unlockBlockedReasons.includes('extension_blocker'));
  });

  it('says what is wrong: no key, an app key, an unknown key, no active lock', async () => {
    const none = await run({ LATCH_URL: srv.baseUrl, LATCH_USER_KEY: '' });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /LATCH_USER_KEY is required/);

    const appKey = await run({ LATCH_URL: srv.baseUrl, LATCH_USER_KEY: w.app.appKey });
    assert.equal(appKey.code, 1);
    assert.match(appKey.stderr, /403 user_wide_dev_key_required/);

    const bogus = await run({ LATCH_URL: srv.baseUrl, LATCH_USER_KEY: 'lk_usr_not_a_key' });
    assert.equal(bogus.code, 1);
    assert.match(bogus.stderr, /401 invalid_credentials: .*\(the key is unknown or revoked\)/);

    // The developer persona wears no lock.
    const noLock = await run({ LATCH_URL: srv.baseUrl, LATCH_USER_KEY: w.developer.userKey });
    assert.equal(noLock.code, 1);
    assert.match(noLock.stderr, /409 no_active_lock_session/);
  });
});
