import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, expectError, fixtureWorld, login, register, suiteApp, TEST_DB, type Session } from './helpers.js';
import { markedPng, uploadPicture } from './combinationHelpers.js';

/**
 * The wearer's "Mark task done" with a verification picture (issue 14): a task that requires one
 * is done only with a picture (§11 image rules), kept with the task, shown to the keyholder and the
 * wearer through the history, refused cleanly without one.
 */
describe(`task verification pictures (${TEST_DB})`, () => {
  const t = suiteApp();

  const verify = (as: Session, lockId: string, bytes: Buffer, field = 'file') => uploadPicture(t.app, as, bytes, field, `/api/locks/${lockId}/task/verification`);
  const lockOf = async (as: Session, lockId: string) => (await call(t.app, as, 'GET', `/api/locks/${lockId}`)).json() as { taskPoints: number; currentTask: { id: string } | null };

  async function world() {
    const w = await fixtureWorld(t.app, { lock: { keyholder: true } });
    const we = await login(t.app, w.wearer.username, w.wearer.password);
    const kh = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    const res = await call(t.app, kh, 'POST', `/api/locks/${w.lock.id}/actions`, { name: 'task.assign', params: { taskText: 'Photo of the cage', points: 3, verificationRequired: true } });
    assert.equal(res.statusCode, 200, res.body);
    return { lockId: w.lock.id, we, kh, taskId: (res.json() as { detail: { taskId: string } }).detail.taskId };
  }

  it('without a picture the task stays open: 400 verification_picture_required (the action, and an upload with no file)', async () => {
    const { lockId, we, taskId } = await world();
    expectError(await call(t.app, we, 'POST', `/api/locks/${lockId}/actions`, { name: 'task.complete', params: { successful: true } }), 400, 'verification_picture_required');
    const boundary = '----latchnofile';
    const noFile = await t.app.inject({
      method: 'POST',
      url: `/api/locks/${lockId}/task/verification`,
      headers: { cookie: we.cookie, 'x-csrf-token': we.csrfToken, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhere\r\n--${boundary}--\r\n`,
    });
    expectError(noFile, 400, 'verification_picture_required');
    expectError(await verify(we, lockId, Buffer.from('not an image at all')), 415, 'unsupported_media_type');
    const lock = await lockOf(we, lockId);
    assert.equal(lock.currentTask?.id, taskId);
    assert.equal(lock.taskPoints, 0);
  });

  it('only the wearer sends it: the keyholder 403, anyone else 404, and nothing changes', async () => {
    const { lockId, kh, we, taskId } = await world();
    expectError(await verify(kh, lockId, markedPng('kh')), 403, 'forbidden');
    expectError(await verify(await register(t.app), lockId, markedPng('stranger')), 404, 'not_found');
    assert.equal((await lockOf(we, lockId)).currentTask?.id, taskId);
  });

  it('the wearer’s picture marks the task done; the keyholder and the wearer see it from the history, nobody else', async () => {
    const { lockId, we, kh, taskId } = await world();
    const png = markedPng('proof-of-task');
    const res = await verify(we, lockId, png);
    assert.equal(res.statusCode, 200, res.body);
    const done = res.json() as { taskId: string; successful: boolean; pointsAwarded: number; verificationPicture: string };
    assert.deepEqual({ ...done, verificationPicture: undefined }, { taskId, successful: true, pointsAwarded: 3, taskPoints: 3, verificationPicture: undefined });
    const lock = await lockOf(kh, lockId);
    assert.equal(lock.currentTask, null);
    assert.equal(lock.taskPoints, 3);

    const entries = (await call(t.app, kh, 'GET', `/api/locks/${lockId}/history?limit=50`)).json().results as Array<{ type: string; role: string; payload: { verificationPicture?: string } }>;
    const entry = entries.find((h) => h.type === 'task_completed');
    assert.equal(entry?.role, 'wearer');
    assert.equal(entry?.payload.verificationPicture, done.verificationPicture);

    for (const who of [kh, we]) {
      const pic = await call(t.app, who, 'GET', done.verificationPicture);
      assert.equal(pic.statusCode, 200);
      assert.equal(pic.headers['content-type'], 'image/png');
      assert.equal(pic.headers['cache-control'], 'no-store');
      assert.ok(pic.rawPayload.equals(png), 'the bytes sent');
    }
    expectError(await call(t.app, await register(t.app), 'GET', done.verificationPicture), 404, 'not_found');
    // The task is done: a second picture has no task to prove.
    expectError(await verify(we, lockId, markedPng('again')), 409, 'no_active_task');
  });
});
