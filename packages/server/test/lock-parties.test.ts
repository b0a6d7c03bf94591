import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, expectError, fixtureWorld, login, suiteApp, TEST_DB } from './helpers.js';

/**
 * Who holds the key (issue 14): an invitation withdrawn by the wearer, the keyholder trusted with
 * the extensions, the keyholder resigning; each logged, told, audited, and reflected in the
 * `allowedActions` the lock page renders from.
 */
describe(`who holds the key (${TEST_DB})`, () => {
  const t = suiteApp();

  const json = (res: { statusCode: number; body: string; json(): unknown }, status = 200) => {
    assert.equal(res.statusCode, status, res.body);
    return res.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it('allowedActions: the keyholder may remove time and unlock; the wearer neither, only their task and trust', async () => {
    const w = await fixtureWorld(t.app, { lock: { trustKeyholder: false } });
    const we = await login(t.app, w.wearer.username, w.wearer.password);
    const kh = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    const mine = json(await call(t.app, we, 'GET', `/api/locks/${w.lock.id}`));
    const theirs = json(await call(t.app, kh, 'GET', `/api/locks/${w.lock.id}`));
    for (const a of ['remove_time', 'unfreeze', 'unlock', 'settings.patch', 'add_time', 'extension.install']) assert.ok(!mine.allowedActions.includes(a), `wearer: ${a}`);
    assert.ok(mine.allowedActions.includes('keyholder.trust'));
    for (const a of ['add_time', 'remove_time', 'freeze', 'unlock', 'settings.patch', 'keyholder.resign']) assert.ok(theirs.allowedActions.includes(a), `keyholder: ${a}`);
    assert.ok(!theirs.allowedActions.includes('extension.install'), 'not trusted yet');
    assert.equal(theirs.keyholderTrusted, false);
  });

  it('the wearer withdraws a pending invitation: the invitee loses the lock and is told; audited; twice is 409', async () => {
    const w = await fixtureWorld(t.app, { lock: { keyholderAccepts: false } });
    const we = await login(t.app, w.wearer.username, w.wearer.password);
    const kh = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    const invited = json(await call(t.app, kh, 'GET', `/api/locks/${w.lock.id}`));
    assert.deepEqual(invited.allowedActions, ['invitation.accept', 'invitation.decline']);
    expectError(await call(t.app, kh, 'POST', `/api/locks/${w.lock.id}/invitation/withdraw`), 403, 'forbidden');
    const lock = json(await call(t.app, we, 'POST', `/api/locks/${w.lock.id}/invitation/withdraw`));
    assert.equal(lock.keyholderStatus, 'withdrawn');
    assert.ok(lock.allowedActions.includes('desert'), 'a self-lock now');
    expectError(await call(t.app, we, 'POST', `/api/locks/${w.lock.id}/invitation/withdraw`), 409, 'conflict');
    expectError(await call(t.app, kh, 'GET', `/api/locks/${w.lock.id}`), 404, 'not_found');
    expectError(await call(t.app, kh, 'POST', `/api/locks/${w.lock.id}/invitation`, { accept: true }), 404, 'not_found');
    const inbox = json(await call(t.app, kh, 'GET', '/api/notifications'));
    assert.equal(inbox.results[0].type, 'keyholder_invitation_withdrawn');
    const history = json(await call(t.app, we, 'GET', `/api/locks/${w.lock.id}/history`));
    assert.equal(history.results[0].type, 'keyholder_invitation_withdrawn');
    const audit = json(await call(t.app, we, 'GET', `/api/locks/${w.lock.id}/audit`));
    const rows = (audit.results as Array<{ action: string; status: number }>).filter((r) => r.action === 'invitation.withdraw');
    assert.deepEqual(rows.map((r) => r.status).sort(), [200, 403, 409], 'every attempt, refused ones too');
  });

  it('trust is the wearer’s, asked of an accepted keyholder, irreversible; the trusted keyholder changes extensions', async () => {
    const w = await fixtureWorld(t.app, { lock: { trustKeyholder: false } });
    const we = await login(t.app, w.wearer.username, w.wearer.password);
    const kh = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    expectError(await call(t.app, kh, 'PUT', `/api/locks/${w.lock.id}/extensions/${w.app.slug}/config`, { config: { a: 1 } }), 403, 'forbidden');
    const trusted = json(await call(t.app, we, 'POST', `/api/locks/${w.lock.id}/keyholder/trust`));
    assert.equal(trusted.keyholderTrusted, true);
    assert.ok(!trusted.allowedActions.includes('keyholder.trust'));
    const again = json(await call(t.app, we, 'POST', `/api/locks/${w.lock.id}/keyholder/trust`));
    assert.equal(again.keyholderTrusted, true);
    json(await call(t.app, kh, 'PUT', `/api/locks/${w.lock.id}/extensions/${w.app.slug}/config`, { config: { a: 1 } }));
    const history = json(await call(t.app, we, 'GET', `/api/locks/${w.lock.id}/history`));
    assert.equal(history.results.filter((h: { type: string }) => h.type === 'keyholder_trusted').length, 1);
    const self = await fixtureWorld(t.app, { lock: { keyholder: false } });
    expectError(await call(t.app, await login(t.app, self.wearer.username, self.wearer.password), 'POST', `/api/locks/${self.lock.id}/keyholder/trust`), 409, 'conflict');
  });

  it('the keyholder resigns: a self-lock, their launch token stops working, the wearer is told; the wearer still gets nothing that favours them', async () => {
    const w = await fixtureWorld(t.app, {});
    const we = await login(t.app, w.wearer.username, w.wearer.password);
    const kh = await login(t.app, w.keyholder!.username, w.keyholder!.password);
    const read = (token: string) => t.app.inject({ method: 'GET', url: `/api/extensions/sessions/${w.session.id}`, headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': token } });
    assert.equal((await read(w.mainTokens.keyholder!)).statusCode, 200);
    expectError(await call(t.app, we, 'POST', `/api/locks/${w.lock.id}/keyholder/resign`), 403, 'forbidden');
    assert.deepEqual(json(await call(t.app, kh, 'POST', `/api/locks/${w.lock.id}/keyholder/resign`)), { lockId: w.lock.id, keyholderStatus: 'resigned' });
    assert.equal((await read(w.mainTokens.keyholder!)).statusCode, 401);
    assert.equal((await read(w.mainTokens.wearer)).statusCode, 200);
    expectError(await call(t.app, kh, 'GET', `/api/locks/${w.lock.id}`), 404, 'not_found');
    const lock = json(await call(t.app, we, 'GET', `/api/locks/${w.lock.id}`));
    assert.equal(lock.keyholderStatus, 'resigned');
    assert.ok(lock.allowedActions.includes('add_time') && !lock.allowedActions.includes('remove_time'));
    expectError(await call(t.app, we, 'POST', `/api/locks/${w.lock.id}/actions`, { name: 'remove_time', params: 60 }), 403, 'role_not_allowed');
    const inbox = json(await call(t.app, we, 'GET', '/api/notifications'));
    assert.equal(inbox.results[0].type, 'keyholder_resigned');
  });
});
