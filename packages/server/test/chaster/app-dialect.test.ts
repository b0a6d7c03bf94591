import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { call, expectError, fixtureWorld, login, register, snapshot, suiteApp, type Session } from '../helpers.js';

describe('per-app dialect (DECISIONS §14)', () => {
  const t = suiteApp();
  let dev: Session;
  before(async () => {
    dev = await register(t.app);
  });

  it('an app is chastify by default, without a client id', async () => {
    const res = await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'plain-one', name: 'Plain one' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().dialect, 'chastify');
    assert.equal(res.json().clientId, null);
  });

  it('a chaster app gets a public client id, returned by list and get', async () => {
    const res = await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'chaster-one', name: 'Chaster one', dialect: 'chaster' });
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json();
    assert.equal(created.dialect, 'chaster');
    assert.match(created.clientId, /^cid_[A-Za-z0-9_-]{20,}$/);
    const got = (await call(t.app, dev, 'GET', `/api/developer/apps/${created.id}`)).json();
    assert.equal(got.clientId, created.clientId);
    const listed = (await call(t.app, dev, 'GET', '/api/developer/apps')).json().results.find((a: { id: string }) => a.id === created.id);
    assert.equal(listed.dialect, 'chaster');
    assert.equal(listed.clientId, created.clientId);
  });

  it('an unknown dialect is a 400 that creates nothing', async () => {
    const before = await snapshot(t.db.database);
    expectError(await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'bad-dialect', name: 'Bad', dialect: 'chastity' }), 400, 'invalid_request');
    expectError(await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'bad-dialect', name: 'Bad', dialect: null }), 400, 'invalid_request');
    assert.deepEqual(await snapshot(t.db.database), before);
  });

  it('the dialect changes freely until the app is installed; the client id is kept', async () => {
    const app = (await call(t.app, dev, 'POST', '/api/developer/apps', { slug: 'switcher', name: 'Switcher' })).json();
    const toChaster = await call(t.app, dev, 'PATCH', `/api/developer/apps/${app.id}`, { dialect: 'chaster' });
    assert.equal(toChaster.statusCode, 200, toChaster.body);
    assert.equal(toChaster.json().dialect, 'chaster');
    const clientId = toChaster.json().clientId;
    assert.match(clientId, /^cid_/);
    const back = (await call(t.app, dev, 'PATCH', `/api/developer/apps/${app.id}`, { dialect: 'chastify' })).json();
    assert.equal(back.dialect, 'chastify');
    const again = (await call(t.app, dev, 'PATCH', `/api/developer/apps/${app.id}`, { dialect: 'chaster' })).json();
    assert.equal(again.clientId, clientId, 'one client id per app');
  });

  it('once installed on a lock, the dialect is fixed (409) and nothing changes', async () => {
    const world = await fixtureWorld(t.app, { extension: { dialect: 'chaster' } });
    const owner = await login(t.app, world.developer.username, world.developer.password);
    const res = await call(t.app, owner, 'PATCH', `/api/developer/apps/${world.app.id}`, { dialect: 'chastify', name: 'Renamed' });
    expectError(res, 409, 'conflict');
    const got = (await call(t.app, owner, 'GET', `/api/developer/apps/${world.app.id}`)).json();
    assert.equal(got.dialect, 'chaster');
    assert.equal(got.name, 'Sandbox Extension');
    // Other fields still change; naming the current dialect is no change.
    const same = await call(t.app, owner, 'PATCH', `/api/developer/apps/${world.app.id}`, { dialect: 'chaster', name: 'Renamed' });
    assert.equal(same.statusCode, 200, same.body);
    assert.equal(same.json().name, 'Renamed');
  });

  it('fixtures: extension.dialect chaster returns app.clientId; the default world is chastify', async () => {
    const chaster = await fixtureWorld(t.app, { extension: { dialect: 'chaster' } });
    assert.equal(chaster.app.dialect, 'chaster');
    assert.match(chaster.app.clientId!, /^cid_/);
    const owner = await login(t.app, chaster.developer.username, chaster.developer.password);
    assert.equal((await call(t.app, owner, 'GET', `/api/developer/apps/${chaster.app.id}`)).json().clientId, chaster.app.clientId);
    const plain = await fixtureWorld(t.app);
    assert.equal(plain.app.dialect, 'chastify');
    assert.equal(plain.app.clientId, null);
  });
});
