import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_CATALOG } from '@latch/protocol';
import { ACTION_NAMES, type ActionName } from '../src/services/lockActions.js';
import { decide, FIRST_PARTY_ROLES, LOCK_ACTIONS, POLICY, POLICY_ROLES, type LockAction, type PolicyRole } from '../src/services/lockPolicy.js';
import { findLockById } from '../src/storage/locks.js';
import { findOpenTask } from '../src/storage/tasks.js';
import { markSessionRemoved } from '../src/storage/extensionSessions.js';
import type { FixtureWorld as World } from '../src/services/fixtures.js';
import { markedPng, uploadPicture } from './combinationHelpers.js';
import { call, fixtureWorld, login, register, suiteApp, TEST_DB, type Session, type TestApp } from './helpers.js';

/**
 * The policy table (issue 14) walked against the routes: for every row (who is asking) and every
 * action with a route there, a fresh lock in a state where the action could work, the request,
 * and the status and error code the table's cell says. A new dialect adds a `Channel`.
 */

type Res = Awaited<ReturnType<typeof call>>;

/** How a lock is set up for a row: who holds the key and whether they accepted or are trusted. */
interface Setup {
  lock: { keyholder: boolean; keyholderAccepts?: boolean; trustKeyholder?: boolean };
  /** The installed app's fixture options (its dialect). */
  extension?: { dialect: 'chaster' };
}

interface Channel {
  name: string;
  /** The table's rows this channel reaches, each with the lock it needs. */
  rows: Partial<Record<PolicyRole, Setup>>;
  /** The actions it has a route for. */
  actions: readonly LockAction[];
  call(t: TestApp, w: World, role: PolicyRole, action: LockAction, params: unknown): Promise<Res>;
}

/** Parameters that make each action work when allowed. */
const PARAMS: Partial<Record<LockAction, unknown>> = {
  add_time: 60,
  remove_time: 60,
  freeze: { durationSeconds: 600 },
  pillory: { durationSeconds: 600 },
  'settings.patch': { pillory: { enabled: true } },
  'task.assign': { taskText: 'Walk', points: 1 },
  'task.complete': { successful: false },
  'hygienic_unlock.start': {},
  'max_limit.extend': { extendBySeconds: 3600 },
  'shared_link.configure': { addSeconds: 600 },
  'shared_link.lower_votes': { requiredVotes: 1 },
};

/** What the world's lock needs for an action to have something to act on (a ceiling to move). */
const LOCK_OPTIONS: Partial<Record<LockAction, Record<string, unknown>>> = {
  'max_limit.extend': { maxDurationSeconds: 30 * 86400 },
  'max_limit.remove': { maxDurationSeconds: 30 * 86400 },
  'verification_picture.request': { verificationPicture: true },
  'verification_picture.submit': { verificationPicture: true },
  'verification_picture.view': { verificationPicture: true },
  'penalties.configure': { penalties: true },
};

/** What must be true before the action can do anything (so the lock's state never hides the role's answer). */
const BEFORE: Partial<Record<LockAction, { name: ActionName; params?: unknown }>> = {
  unfreeze: { name: 'freeze', params: { durationSeconds: 600 } },
  'pillory.end': { name: 'pillory', params: { durationSeconds: 600 } },
  'task.start_timer': { name: 'task.assign', params: { taskText: 'Timed', points: 1, durationSeconds: 60 } },
  'task.complete': { name: 'task.assign', params: { taskText: 'Open', points: 1 } },
  'hygienic.relock': { name: 'hygienic_unlock.start' },
  'task.verify': { name: 'task.assign', params: { taskText: 'Photo', points: 1, verificationRequired: true } },
};

const WEARER_LOCKS = {
  self_wearer: { lock: { keyholder: false } },
  wearer: { lock: { keyholder: true, trustKeyholder: false } },
} as const;
const KEYHOLDER_LOCKS = {
  invitee: { lock: { keyholder: true, keyholderAccepts: false } },
  keyholder: { lock: { keyholder: true, trustKeyholder: false } },
  trusted_keyholder: { lock: { keyholder: true, trustKeyholder: true } },
} as const;

let strangers = 0;

const FIRST_PARTY: Channel = {
  name: 'first-party (/api/locks)',
  rows: { ...WEARER_LOCKS, ...KEYHOLDER_LOCKS, stranger: { lock: { keyholder: true, trustKeyholder: false } } },
  // Every column: the web UI's API has a route for each.
  actions: LOCK_ACTIONS,
  async call(t, w, role, action, params) {
    const who = role === 'self_wearer' || role === 'wearer' ? w.wearer : role === 'stranger' ? null : w.keyholder!;
    const as: Session = who ? await login(t.app, who.username, who.password) : await register(t.app, `stranger_${++strangers}_${Date.now() % 1e6}`);
    const base = `/api/locks/${w.lock.id}`;
    const slug = w.app.slug;
    switch (action) {
      case 'hygienic.relock':
        return call(t.app, as, 'POST', `${base}/hygienic/relock`);
      case 'unlock':
        return call(t.app, as, 'POST', `${base}/unlock`);
      // The same route: an unlocked lock is archived (see prepare), a running one deserted.
      case 'archive':
      case 'desert':
        return call(t.app, as, 'POST', `${base}/archive`);
      case 'max_limit.extend':
        return call(t.app, as, 'PUT', `${base}/max-limit`, params);
      case 'max_limit.remove':
        return call(t.app, as, 'DELETE', `${base}/max-limit`);
      case 'min_limit.change':
        return call(t.app, as, 'PUT', `${base}/min-limit`, { minLimitDate: new Date(t.clock.now() + 3600_000).toISOString() });
      case 'shared_link.configure':
      case 'shared_link.lower_votes':
        return call(t.app, as, 'PUT', `${base}/shared-link`, params);
      case 'task.verify':
        return uploadPicture(t.app, as, markedPng('walked'), 'file', `${base}/task/verification`);
      case 'verification_picture.request':
        return call(t.app, as, 'POST', `${base}/verification-pictures/request`);
      case 'verification_picture.submit': {
        // Something to answer: the wearer asks first (theirs on every lock), so only the role decides.
        const wearer = await login(t.app, w.wearer.username, w.wearer.password);
        const asked = await call(t.app, wearer, 'POST', `${base}/verification-pictures/request`);
        assert.ok(asked.statusCode < 300, asked.body);
        return uploadPicture(t.app, as, markedPng('walked'), 'file', `${base}/verification-pictures`);
      }
      case 'verification_picture.view':
        return call(t.app, as, 'GET', `${base}/verification-pictures`);
      case 'penalties.configure':
        return call(t.app, as, 'PUT', `${base}/penalties`, { habits: [] });
      case 'invitation.accept':
      case 'invitation.decline':
        return call(t.app, as, 'POST', `${base}/invitation`, { accept: action === 'invitation.accept' });
      case 'invitation.withdraw':
        return call(t.app, as, 'POST', `${base}/invitation/withdraw`);
      case 'keyholder.trust':
        return call(t.app, as, 'POST', `${base}/keyholder/trust`);
      case 'keyholder.resign':
        return call(t.app, as, 'POST', `${base}/keyholder/resign`);
      case 'extension.install':
        return call(t.app, as, 'POST', `${base}/extensions`, { slug });
      case 'extension.configure':
        return call(t.app, as, 'PUT', `${base}/extensions/${slug}/config`, { config: { walked: true } });
      case 'extension.remove':
        return call(t.app, as, 'DELETE', `${base}/extensions/${slug}`);
      default:
        return call(t.app, as, 'POST', `${base}/actions`, params === undefined ? { name: action } : { name: action, params });
    }
  },
};

const APPS_V1: Channel = {
  name: '/api/apps/v1',
  rows: { apps_v1: { lock: { keyholder: true } } },
  actions: ACTION_NAMES,
  call: (t, w, _role, action, params) =>
    t.app.inject({ method: 'POST', url: '/api/apps/v1/action', headers: { authorization: `Bearer ${w.wearer.userKey}`, 'x-chastify-lock-id': w.lock.id }, payload: params === undefined ? { name: action } : { name: action, params } }),
};

const CHASTIFY_EXTENSION: Channel = {
  name: 'Chastify extension action',
  rows: { extension_wearer: { lock: { keyholder: true } }, extension_keyholder: { lock: { keyholder: true } } },
  actions: ACTION_NAMES,
  call: (t, w, role, action, params) =>
    t.app.inject({
      method: 'POST',
      url: `/api/extensions/sessions/${w.session.id}/action`,
      headers: { authorization: `Bearer ${w.app.appKey}`, 'x-chastify-main-token': role === 'extension_wearer' ? w.mainTokens.wearer : w.mainTokens.keyholder! },
      payload: params === undefined ? { name: action } : { name: action, params },
    }),
};

/** latch's actions as Chaster's `{action:{name, params}}` (its lock actions page). */
function chasterAction(action: LockAction, params: unknown): { name: string; params?: unknown } {
  switch (action) {
    case 'freeze':
    case 'toggle_freeze':
    case 'unfreeze':
      return { name: action };
    case 'pillory':
      return { name: 'pillory', params: { duration: (params as { durationSeconds: number }).durationSeconds } };
    case 'settings.patch':
      return { name: 'set_display_remaining_time', params: false };
    default:
      return { name: action, params };
  }
}

/** A Chaster app's developer token alone acts for the app itself: the extension row without a launch (DECISIONS §14). */
const CHASTER_EXTENSION: Channel = {
  name: 'Chaster extension action',
  rows: { extension_keyholder: { lock: { keyholder: true }, extension: { dialect: 'chaster' } } },
  actions: ['add_time', 'remove_time', 'freeze', 'unfreeze', 'toggle_freeze', 'pillory', 'settings.patch'],
  call: (t, w, _role, action, params) =>
    t.app.inject({
      method: 'POST',
      url: `/api/extensions/sessions/${w.session.id}/action`,
      headers: { authorization: `Bearer ${w.app.appKey}` },
      payload: { action: chasterAction(action, params) },
    }),
};

/** Every channel the walk covers: the web UI, scripts, and both extension dialects. */
const CHANNELS: Channel[] = [FIRST_PARTY, APPS_V1, CHASTIFY_EXTENSION, CHASTER_EXTENSION];

describe('the lock policy table as data', () => {
  it('names every action for every first-party row, and only catalog errors', () => {
    for (const role of FIRST_PARTY_ROLES) {
      for (const action of LOCK_ACTIONS) assert.ok(POLICY[role][action] !== undefined, `${role} × ${action} has no cell`);
    }
    for (const role of POLICY_ROLES) {
      for (const rule of Object.values(POLICY[role])) {
        if (rule === 'allow') continue;
        const code = 'deny' in rule ? rule.deny : rule.otherwise;
        assert.ok(code in ERROR_CATALOG, `${role}: ${code} is in the error catalog`);
      }
    }
  });

  it('a wearer gets nothing that favours them on any lock through the web UI (issue 14)', () => {
    for (const role of ['self_wearer', 'wearer'] as const) {
      for (const action of ['remove_time', 'unfreeze', 'pillory.end', 'settings.patch', 'shared_link.lower_votes'] as const) {
        const rule = POLICY[role][action];
        assert.ok(rule !== 'allow' && rule !== undefined && 'deny' in rule, `${role} × ${action} is denied outright`);
      }
      const unlock = POLICY[role].unlock;
      assert.ok(unlock !== undefined && unlock !== 'allow' && 'when' in unlock && unlock.when.includes('unlockable'), `${role} unlocks only when unlockable`);
    }
  });

  it('every channel’s row exists in the table and every walked action is one of its columns', () => {
    for (const ch of CHANNELS) {
      for (const role of Object.keys(ch.rows) as PolicyRole[]) assert.ok(POLICY_ROLES.includes(role), `${ch.name}: ${role}`);
      for (const a of ch.actions) assert.ok(LOCK_ACTIONS.includes(a), `${ch.name}: ${a}`);
    }
  });
});

describe(`the lock policy walked over the routes (${TEST_DB})`, () => {
  const t = suiteApp();

  /** Brings the lock into the state `action` needs, as whoever may (the keyholder, else the wearer's script). */
  async function prepare(w: World, action: LockAction, accepted: boolean) {
    const db = t.db.database.db;
    if (action === 'extension.install') {
      // The app is installed by the fixture: take it off so installing it again can work.
      assert.ok(await markSessionRemoved(db, w.session.id, t.clock.now()));
      return;
    }
    const keyholder = () => login(t.app, w.keyholder!.username, w.keyholder!.password);
    const wearer = () => login(t.app, w.wearer.username, w.wearer.password);
    if (action === 'archive') {
      // Archiving (not deserting) needs an unlocked lock: its keyholder unlocks it, else its wearer once the timer ran out.
      if (!accepted) t.clock.advance(2 * 86400_000);
      const res = await call(t.app, accepted ? await keyholder() : await wearer(), 'POST', `/api/locks/${w.lock.id}/unlock`);
      assert.equal(res.statusCode, 200, `preparing archive: ${res.body}`);
      return;
    }
    if (action === 'shared_link.lower_votes') {
      // Something to lower: the lock's controller raises the votes required first.
      const res = await call(t.app, accepted ? await keyholder() : await wearer(), 'PUT', `/api/locks/${w.lock.id}/shared-link`, { requiredVotes: 2 });
      assert.equal(res.statusCode, 200, `preparing shared_link.lower_votes: ${res.body}`);
      return;
    }
    const step = BEFORE[action];
    if (!step) return;
    const res = accepted
      ? await call(t.app, await keyholder(), 'POST', `/api/locks/${w.lock.id}/actions`, { name: step.name, params: step.params })
      : await APPS_V1.call(t, w, 'apps_v1', step.name, step.params);
    assert.equal(res.statusCode, 200, `preparing ${action}: ${res.body}`);
  }

  for (const ch of CHANNELS) {
    for (const [role, setup] of Object.entries(ch.rows) as Array<[PolicyRole, Setup]>) {
      it(`${ch.name}: ${role} × every action answers as the table says`, async () => {
        const failures: string[] = [];
        for (const action of ch.actions) {
          const w = await fixtureWorld(t.app, { lock: { ...setup.lock, ...LOCK_OPTIONS[action] }, ...(setup.extension ? { extension: setup.extension } : {}) });
          const accepted = setup.lock.keyholder && setup.lock.keyholderAccepts !== false;
          await prepare(w, action, accepted);
          const db = t.db.database.db;
          const lock = (await findLockById(db, w.lock.id))!;
          const holds = (await t.app.ctx.sessions.unlockInfo(lock)).reasons;
          const params = PARAMS[action];
          const expected = decide(role, action, { lock, settings: lock.settings, now: t.clock.now(), params, openTask: !!(await findOpenTask(db, lock.id)), holds });
          const res = await ch.call(t, w, role, action, params);
          const body = res.body ? (JSON.parse(res.body) as { code?: string }) : {};
          const got = `${res.statusCode} ${body.code ?? ''}`.trim();
          const want = expected.allowed ? '2xx' : `${ERROR_CATALOG[expected.code].status} ${expected.code}`;
          const ok = expected.allowed ? res.statusCode >= 200 && res.statusCode < 300 : got === want;
          if (!ok) failures.push(`${action}: want ${want}, got ${got} ${res.body.slice(0, 160)}`);
        }
        assert.deepEqual(failures, []);
      });
    }
  }
});
