import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { DB, ExtensionSessionsTable, LocksTable } from '../src/db/types.js';
import { UNTOUCHED_LOCK } from '../src/services/lockCreation.js';
import { DEFAULT_LOCK_SETTINGS } from '../src/storage/rows.js';

/**
 * Raw rows for the load and crash tests, which seed thousands of locks straight into the
 * database (through the API it would take minutes): every column, the ones a test does not care
 * about at their defaults.
 */

export const hexId = () => randomBytes(12).toString('hex');

/** A daily requirement of one `m` event, missed days punished with a minute. */
export const DAILY_REQUIREMENT = { enabled: true, metric: 'm', requiredCount: 1, cadence: { every: 1, unit: 'day', timezone: 'UTC' }, punishment: { type: 'add_time', seconds: 60 } };

/** A user and an app of theirs with the daily requirement, both created at `createdAt`. */
export async function seedRequirementApp(db: Kysely<DB>, prefix: string, createdAt: number): Promise<{ userId: string; appId: string }> {
  const userId = hexId();
  const appId = hexId();
  const username = `${prefix}_${userId.slice(0, 8)}`;
  await db.insertInto('users').values({ id: userId, username, username_key: username, password_hash: '!', profile: '{}', show_online_status: 0, last_seen_at: null, created_at: createdAt, updated_at: createdAt }).execute();
  await db
    .insertInto('extension_apps')
    .values({
      id: appId,
      owner_id: userId,
      slug: `${prefix}-${appId}`,
      name: 'Daily requirement',
      description: '',
      iframe_url: null,
      setup_url: null,
      allowed_origins: '[]',
      scopes: '[]',
      default_config: '{}',
      initial_metadata: '{}',
      regular_actions: null,
      extension_requirements: JSON.stringify(DAILY_REQUIREMENT),
      attempt_limit: null,
      created_at: createdAt,
      updated_at: createdAt,
    })
    .execute();
  return { userId, appId };
}

/** A running self-lock of `wearer_id` with no timer state beyond its end. */
export function lockRow(r: Pick<Insertable<LocksTable>, 'id' | 'wearer_id' | 'title' | 'ends_at' | 'created_at'> & Partial<Insertable<LocksTable>>): Insertable<LocksTable> {
  return {
    keyholder_id: null,
    keyholder_status: null,
    status: 'locked',
    started_at: r.created_at,
    max_ends_at: null,
    hidden_timer: 0,
    settings: JSON.stringify(DEFAULT_LOCK_SETTINGS),
    updated_at: r.created_at,
    ...UNTOUCHED_LOCK,
    ...r,
  };
}

/** The app installed on the lock, with empty config, metadata and state. */
export function sessionRow(r: Pick<Insertable<ExtensionSessionsTable>, 'id' | 'lock_id' | 'app_id' | 'created_at'>): Insertable<ExtensionSessionsTable> {
  return {
    config: '{}',
    metadata: '{}',
    state: '{}',
    version: 1,
    state_version: 1,
    regular_actions_config: null,
    regular_actions_state: null,
    updated_at: r.created_at,
    removed_at: null,
    background_granted_at: null,
    background_granted_by: null,
    background_role: null,
    ...r,
  };
}
