import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { isUniqueViolation } from '../src/db/errors.js';
import { migrateToLatest, MIGRATIONS } from '../src/db/migrate.js';
import { ManualClock } from '../src/clock.js';
import { createIdGenerator } from '../src/ids.js';
import { createAccountService } from '../src/services/accounts.js';
import { TEST_DB, testDatabase, type TestDatabase } from './helpers.js';

describe(`storage on ${TEST_DB}`, () => {
  let t: TestDatabase;
  before(async () => (t = await testDatabase()));
  after(async () => {
    await t.database.close();
    await t.destroy();
  });

  it('applies every migration once; running again is a no-op', async () => {
    const first = await migrateToLatest(t.database);
    assert.deepEqual(first.results?.map((r) => [r.migrationName, r.status]), Object.keys(MIGRATIONS).map((n) => [n, 'Success']));
    const second = await migrateToLatest(t.database);
    assert.deepEqual(second.results, []);
  });

  it('keeps all data across a restart', async () => {
    const clock = new ManualClock();
    const accounts = createAccountService({ db: t.database.db, clock, ids: createIdGenerator(clock), sessionTtlMs: 3600_000 });
    const { sessionToken } = await accounts.register({ username: 'persist_me', password: 'persisted password' });
    const reopened = await t.reopen();
    try {
      await migrateToLatest(reopened);
      const again = createAccountService({ db: reopened.db, clock, ids: createIdGenerator(clock), sessionTtlMs: 3600_000 });
      assert.equal((await again.authenticate(sessionToken))?.user.username, 'persist_me');
      assert.equal((await again.login({ username: 'persist_me', password: 'persisted password' })).user.username, 'persist_me');
    } finally {
      await reopened.close();
    }
  });

  it('stores epoch-ms times as exact integers', async () => {
    const row = await t.database.db.selectFrom('users').select(['created_at', 'last_seen_at']).where('username', '=', 'persist_me').executeTakeFirstOrThrow();
    assert.equal(typeof row.created_at, 'number');
    assert.equal(row.created_at, new ManualClock().now());
  });

  it('enforces foreign keys and one active session per extension per lock', async () => {
    const now = Date.now();
    await assert.rejects(
      t.database.db.insertInto('locks').values({ id: 'a'.repeat(24), wearer_id: 'f'.repeat(24), keyholder_id: null, keyholder_status: null, title: 't', status: 'locked', started_at: now, ends_at: now, max_ends_at: null, frozen_at: null, hidden_timer: 0, ended_at: null, settings: '{}', version: 1, created_at: now, updated_at: now, pillory_until: null, pillory_reason: null, hygienic_until: null, task_points: 0, frozen_until: null, hygienic_started_at: null }).execute(),
    );
    const user = await t.database.db.selectFrom('users').select('id').where('username', '=', 'persist_me').executeTakeFirstOrThrow();
    const lockId = 'b'.repeat(24);
    const appId = 'c'.repeat(24);
    await t.database.db.insertInto('locks').values({ id: lockId, wearer_id: user.id, keyholder_id: null, keyholder_status: null, title: 't', status: 'locked', started_at: now, ends_at: now, max_ends_at: null, frozen_at: null, hidden_timer: 0, ended_at: null, settings: '{}', version: 1, created_at: now, updated_at: now, pillory_until: null, pillory_reason: null, hygienic_until: null, task_points: 0, frozen_until: null, hygienic_started_at: null }).execute();
    await t.database.db.insertInto('extension_apps').values({ id: appId, owner_id: user.id, slug: 'uq', name: 'uq', description: '', iframe_url: null, setup_url: null, allowed_origins: '[]', scopes: '[]', default_config: '{}', initial_metadata: '{}', regular_actions: null, extension_requirements: null, attempt_limit: null, created_at: now, updated_at: now }).execute();
    const session = (id: string, removed: number | null) => ({ id, lock_id: lockId, app_id: appId, config: '{}', metadata: '{}', state: '{}', version: 1, state_version: 1, regular_actions_config: null, regular_actions_state: null, created_at: now, updated_at: now, removed_at: removed });
    await t.database.db.insertInto('extension_sessions').values(session('d'.repeat(24), now)).execute();
    await t.database.db.insertInto('extension_sessions').values(session('e'.repeat(24), null)).execute();
    await assert.rejects(t.database.db.insertInto('extension_sessions').values(session('0'.repeat(24), null)).execute(), (err: unknown) => isUniqueViolation(err));
    if (TEST_DB === 'sqlite') {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(t.database.db);
      assert.equal(mode.rows[0]?.journal_mode, 'wal');
    }
  });
});
