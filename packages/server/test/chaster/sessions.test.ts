import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LockForPublic } from '@chasterapp/chaster-js';
import { call, login, register } from '../helpers.js';
import { chasterHarness, failure, type ChasterHarness } from './harness.js';

/**
 * The Chaster session routes (issue 13, DECISIONS §14) driven through chaster-js's
 * `PartnerExtensionsApi` with the developer token alone: PATCH and its deprecated PUTs, lock
 * actions, regular actions, custom logs and log search, session search. SQLite, or PostgreSQL
 * with LATCH_TEST_DB=postgres.
 */

const HOUR = 3600_000;

/** One harness per suite: `body` gets a stand-in that reads the harness `before` built. */
function withHarness(fixture: Parameters<typeof chasterHarness>[0], body: (h: ChasterHarness) => void) {
  let h: ChasterHarness;
  before(async () => {
    h = await chasterHarness(fixture);
  });
  after(() => h.close());
  body(new Proxy({} as ChasterHarness, { get: (_t, k) => h[k as keyof ChasterHarness] }));
}

/** How many `extension_session.updated` events the outbox holds for the app's webhook endpoint. */
async function updatedEvents(h: ChasterHarness): Promise<number> {
  const row = await h.t.db.database.db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_type', '=', 'extension_session.updated')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('Chaster PATCH …/sessions/:id and the deprecated PUTs', () => {
  withHarness({ lock: { durationSeconds: 60 } }, (h) => {
    const session = async () => (await h.api.getExtensionSession(h.world.session.id)).data.session;

    it('each field given is replaced whole, not merged; absent ones stay; config is stored as sent', async () => {
      await h.api.patchExtensionSession(h.world.session.id, { data: { cardsPicked: 5, lastPickedAt: '2023-01-01T00:00:00.000Z' } });
      await h.api.patchExtensionSession(h.world.session.id, { config: { deck: 'spades' } });
      assert.deepEqual((await session()).data, { cardsPicked: 5, lastPickedAt: '2023-01-01T00:00:00.000Z' });
      await h.api.patchExtensionSession(h.world.session.id, { data: { cardsPicked: 6 } });
      const s = await session();
      assert.deepEqual(s.data, { cardsPicked: 6 }, 'replaced, not merged');
      assert.deepEqual(s.config, { deck: 'spades' }, 'verbatim, no platform keys');
      assert.deepEqual(s.metadata, { reasonsPreventingUnlocking: [], homeActions: [] });
    });

    it('one PATCH of several fields is one write with one extension_session.updated', async () => {
      const dev = await login(h.t.app, h.world.developer.username, h.world.developer.password);
      const hook = await call(h.t.app, dev, 'POST', `/api/developer/apps/${h.world.app.id}/webhooks`, { url: 'http://127.0.0.1:9/hook', events: ['extension_session.updated'] });
      assert.equal(hook.statusCode, 201, hook.body);
      const before = await updatedEvents(h);
      await h.api.patchExtensionSession(h.world.session.id, { data: { n: 1 }, config: { deck: 'hearts' }, metadata: { reasonsPreventingUnlocking: [], homeActions: [] } });
      assert.equal(await updatedEvents(h), before + 1);
    });

    it('reasonsPreventingUnlocking block unlocking until they are removed; homeActions are kept', async () => {
      h.t.clock.advance(120_000);
      assert.equal((await session()).lock.canBeUnlocked, true, 'the timer ran out');
      const homeActions = [{ slug: 'pick', title: 'Pick cards', description: 'Find your card', icon: 'fa-spade', badge: '2' }];
      await h.api.patchExtensionSession(h.world.session.id, { metadata: { reasonsPreventingUnlocking: ['All cards not found yet'], homeActions } });
      const blocked = await session();
      assert.equal(blocked.lock.canBeUnlocked, false);
      assert.deepEqual(blocked.metadata, { reasonsPreventingUnlocking: ['All cards not found yet'], homeActions });
      await h.api.patchExtensionSession(h.world.session.id, { metadata: { reasonsPreventingUnlocking: [], homeActions } });
      assert.equal((await session()).lock.canBeUnlocked, true);
    });

    it('more than 25 reasons, or a data that is not an object, is a 400 that changes nothing', async () => {
      const before = await session();
      const reasons = Array.from({ length: 26 }, (_, i) => `reason ${i}`);
      const tooMany = await failure(h.api.patchExtensionSession(h.world.session.id, { metadata: { reasonsPreventingUnlocking: reasons, homeActions: [] } }));
      assert.deepEqual([tooMany.status, tooMany.body.code, tooMany.body.statusCode, tooMany.body.error], [400, 'invalid_request', 400, 'Bad Request']);
      const notObject = await failure(h.api.patchExtensionSession(h.world.session.id, { data: [1, 2] as unknown as object }));
      assert.equal(notObject.status, 400);
      const after = await session();
      assert.deepEqual([after.data, after.metadata], [before.data, before.metadata]);
    });

    it('deprecated PUT …/data and PUT …/metadata replace their field', async () => {
      await h.api.setData(h.world.session.id, { data: { only: true } });
      await h.api.setMetadata(h.world.session.id, { metadata: { reasonsPreventingUnlocking: ['Wait'], homeActions: [] } });
      const s = await session();
      assert.deepEqual(s.data, { only: true });
      assert.deepEqual(s.metadata, { reasonsPreventingUnlocking: ['Wait'], homeActions: [] });
      assert.equal(s.lock.canBeUnlocked, false);
    });
  });
});

describe('Chaster lock actions (POST …/action)', () => {
  withHarness({ lock: { durationSeconds: 86400 } }, (h) => {
    const lock = async (): Promise<LockForPublic> => (await h.api.getExtensionSession(h.world.session.id)).data.session.lock;
    const act = (name: string, params?: unknown) => h.api.doAction(h.world.session.id, { action: { name, params } as never });
    const logs = async () => (await h.api.getLogs(h.world.session.id, { role: 'keyholder' as never, showOnlyExtensionActions: true })).data.results;

    it('add_time and remove_time move the end date by the seconds given, answer 201 without a body, and log "<extension> added time"', async () => {
      const start = Date.parse((await lock()).endDate!);
      const added = await act('add_time', 300);
      assert.deepEqual([added.status, added.data], [201, '']);
      assert.equal(Date.parse((await lock()).endDate!), start + 300_000);
      await act('remove_time', 120);
      assert.equal(Date.parse((await lock()).endDate!), start + 180_000);
      const [removed, addedLog] = await logs();
      assert.equal(addedLog!.title, 'Sandbox Extension added time');
      assert.equal(addedLog!.role, 'extension');
      assert.equal(addedLog!.extension, h.world.app.slug);
      assert.equal(removed!.title, 'Sandbox Extension removed time');
    });

    it('freeze has no end: still frozen hours later, until unfreeze', async () => {
      await act('freeze');
      assert.equal((await lock()).isFrozen, true);
      h.t.clock.advance(5 * HOUR);
      await h.t.app.ctx.scheduler.runDue();
      const frozen = await lock();
      assert.equal(frozen.isFrozen, true, 'an open-ended freeze');
      assert.equal(typeof frozen.frozenAt, 'string');
      await act('unfreeze');
      assert.equal((await lock()).isFrozen, false);
    });

    it('toggle_freeze freezes an unfrozen lock and unfreezes a frozen one', async () => {
      await act('toggle_freeze');
      assert.equal((await lock()).isFrozen, true);
      h.t.clock.advance(3 * HOUR);
      await h.t.app.ctx.scheduler.runDue();
      assert.equal((await lock()).isFrozen, true);
      await act('toggle_freeze');
      assert.equal((await lock()).isFrozen, false);
    });

    it('set_display_remaining_time hides and shows the timer', async () => {
      await act('set_display_remaining_time', false);
      assert.equal((await lock()).displayRemainingTime, false);
      await act('set_display_remaining_time', true);
      assert.equal((await lock()).displayRemainingTime, true);
    });

    it('pillory {duration, reason} puts the wearer in the pillory with the reason', async () => {
      await act('pillory', { duration: 300, reason: 'Lost the game' });
      const [entry] = (await h.api.getLogs(h.world.session.id, { role: 'keyholder' as never, limit: 1 })).data.results;
      assert.equal(entry!.type, 'pillory_in');
      assert.equal(entry!.description, 'Lost the game');
      const again = await failure(act('pillory', { duration: 300 }));
      assert.deepEqual([again.status, again.body.code], [409, 'pillory_active']);
    });

    it('an unknown action or bad params are 4xx in the NestJS shape and change nothing', async () => {
      const before = (await lock()).endDate;
      const unknown = await failure(act('explode', 1));
      assert.equal(unknown.body.code, 'unknown_action');
      assert.equal(unknown.body.statusCode, unknown.status);
      for (const [name, params] of [['add_time', -5], ['add_time', '300'], ['pillory', { reason: 'x' }], ['set_display_remaining_time', 'yes']] as const) {
        const bad = await failure(act(name, params));
        assert.deepEqual([bad.status, bad.body.code], [400, 'invalid_params'], `${name} ${JSON.stringify(params)}`);
      }
      const noAction = await failure(h.api.doAction(h.world.session.id, {} as never));
      assert.deepEqual([noAction.status, noAction.body.code], [400, 'invalid_request']);
      assert.equal((await lock()).endDate, before);
    });
  });
});

describe('Chaster regular actions', () => {
  withHarness({ extension: { regularActions: { mode: 'non_cumulative', regularity: 3600 } } }, (h) => {
    it('GET reports the mode, regularity and remaining actions; POST {payload} answers 201 with the same object', async () => {
      const { data } = await h.api.getRegularActions(h.world.session.id);
      assert.deepEqual(data, { mode: 'non_cumulative', regularity: 3600, nbActionsRemaining: 1, nextActionDate: null, actions: [] });
      const submitted = await h.api.submitRegularAction(h.world.session.id, { payload: { diceRolled: 6 } });
      assert.equal(submitted.status, 201);
      assert.equal(submitted.data.nbActionsRemaining, 0);
      assert.equal(typeof submitted.data.nextActionDate, 'string');
      assert.deepEqual(submitted.data.actions.map((a) => a.payload), [{ diceRolled: 6 }]);
      assert.deepEqual((await h.api.getRegularActions(h.world.session.id)).data, submitted.data);
    });

    it('none left: 422 with the docs’ message and the rule’s fields; the next window allows one again', async () => {
      const refused = await failure(h.api.submitRegularAction(h.world.session.id, { payload: { diceRolled: 1 } }));
      assert.equal(refused.status, 422);
      assert.equal(refused.body.message, 'You cannot submit a regular action because you do not have any action remaining. Please wait for the next regular action date and try again.');
      assert.deepEqual([refused.body.nbActionsRemaining, refused.body.regularity, refused.body.mode, refused.body.statusCode], [0, 3600, 'non_cumulative', 422]);
      assert.equal(typeof refused.body.nextActionDate, 'string');
      h.t.clock.advance(HOUR);
      const again = await h.api.submitRegularAction(h.world.session.id, { payload: { diceRolled: 2 } });
      assert.deepEqual(again.data.actions.map((a) => a.payload), [{ diceRolled: 6 }, { diceRolled: 2 }], 'oldest first');
    });
  });
});

describe('Chaster custom logs and log search', () => {
  withHarness({}, (h) => {
    const search = (role: 'wearer' | 'keyholder', extra: Record<string, unknown> = {}) => h.api.getLogs(h.world.session.id, { role: role as never, ...extra });

    it('POST …/logs/custom answers 201; %USER% renders as the role’s name, "You" for that user; `user` is the wearer', async () => {
      const res = await h.api.logCustomAction(h.world.session.id, { title: '%USER% picked a card', description: 'The ace of spades', role: 'user' as never, icon: 'spade' as never, color: '#ff0000' });
      assert.deepEqual([res.status, res.data], [201, '']);
      const [forWearer] = (await search('wearer', { limit: 1 })).data.results;
      assert.equal(forWearer!.title, 'You picked a card');
      assert.equal(forWearer!.description, 'The ace of spades');
      assert.deepEqual([forWearer!.type, forWearer!.prefix, forWearer!.role, forWearer!.icon, forWearer!.color], ['custom', h.world.app.slug, 'user', 'spade', '#ff0000']);
      const [forKeyholder] = (await search('keyholder', { limit: 1 })).data.results;
      assert.equal(forKeyholder!.title, `${h.world.wearer.username} picked a card`);
      await h.api.logCustomAction(h.world.session.id, { title: '%USER% rolled', description: '' });
      assert.equal((await search('wearer', { limit: 1 })).data.results[0]!.title, 'Sandbox Extension rolled', 'no role: the extension');
    });

    it('pages newest first with limit and lastId; count is the total; showOnlyExtensionActions keeps this extension’s entries', async () => {
      const all = (await search('keyholder', { limit: 100 })).data;
      assert.ok(all.count > 2);
      assert.equal(all.results.length, all.count);
      const first = (await search('keyholder', { limit: 2 })).data;
      assert.deepEqual([first.results.length, first.hasMore, first.count], [2, true, all.count]);
      const next = (await search('keyholder', { limit: 2, lastId: first.results[1]!._id })).data;
      assert.deepEqual([...first.results, ...next.results].map((r) => r._id), all.results.slice(0, 4).map((r) => r._id));
      const own = (await search('keyholder', { showOnlyExtensionActions: true })).data;
      const ownInAll = all.results.filter((r) => r.extension === h.world.app.slug);
      assert.ok(ownInAll.length >= 2 && ownInAll.length < all.count);
      assert.deepEqual(own.results.map((r) => r._id), ownInAll.map((r) => r._id));
      assert.equal(own.count, ownInAll.length);
    });

    it('a bad role or limit is a 400', async () => {
      assert.equal((await failure(search('owner' as never))).status, 400);
      assert.equal((await failure(search('wearer', { limit: 0 }))).status, 400);
    });
  });
});

describe('Chaster session search', () => {
  withHarness({}, (h) => {
    it('GetSessionsRepDto: count, hasMore, results with paginationId; paging by paginationLastId', async () => {
      for (const title of ['second', 'third']) {
        const wearer = await register(h.t.app);
        const res = await call(h.t.app, wearer, 'POST', '/api/locks', { title, durationSeconds: 3600, extensions: [{ slug: h.world.app.slug }] });
        assert.equal(res.statusCode, 201, res.body);
      }
      const first = (await h.api.getSessions({ extensionSlug: h.world.app.slug, status: 'locked' as never, limit: 2 })).data;
      assert.deepEqual([first.count, first.hasMore, first.results.length], [3, true, 2]);
      const [a, b] = first.results;
      assert.equal(a!.sessionId, h.world.session.id);
      assert.equal(a!.paginationId, a!._id);
      assert.equal(a!.lock._id, h.world.lock.id);
      assert.equal(typeof a!.lock.endDate, 'string');
      assert.deepEqual(b!.lock.extensions.map((e) => e.slug), [h.world.app.slug]);
      const next = (await h.api.getSessions({ extensionSlug: h.world.app.slug, status: 'locked' as never, limit: 2, paginationLastId: b!.paginationId })).data;
      assert.deepEqual([next.count, next.hasMore, next.results.length], [3, false, 1]);
      assert.equal(next.results[0]!.lock.title, 'third');
    });

    it('another extension’s slug is refused', async () => {
      const res = await failure(h.api.getSessions({ extensionSlug: 'someone-else', status: 'all' as never, limit: 15 }));
      assert.equal(res.status, 403);
      assert.equal(res.body.statusCode, 403);
    });
  });
});

describe('Chaster main page tokens', () => {
  withHarness({}, (h) => {
    it('live 12 hours', async () => {
      h.t.clock.advance(11 * HOUR);
      assert.equal((await h.api.getSessionAuth(h.world.mainTokens.wearer, h.world.app.clientId!)).data.role, 'wearer');
      h.t.clock.advance(HOUR + 1000);
      const expired = await failure(h.api.getSessionAuth(h.world.mainTokens.wearer, h.world.app.clientId!));
      assert.deepEqual([expired.status, expired.body.code], [401, 'main_token_expired']);
    });
  });
});
