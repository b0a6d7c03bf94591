import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 16 hardening:
 * - `users.persona`: sandbox accounts (personas, fixture worlds) sign in only in dev mode.
 * - `extension_sessions.granted_scopes`: the scopes the lock's controller approved for this
 *   installation (JSON list). Scopes an app adds later apply only once approved. Existing
 *   installations keep what their app asks for today (they already had it).
 */
export const authHardening: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('users').addColumn('persona', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('extension_sessions').addColumn('granted_scopes', 'text').execute();
    await sql`update extension_sessions set granted_scopes = (select scopes from extension_apps where extension_apps.id = extension_sessions.app_id)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('extension_sessions').dropColumn('granted_scopes').execute();
    await db.schema.alterTable('users').dropColumn('persona').execute();
  },
};
