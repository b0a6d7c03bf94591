import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { withSchemaChangeLock, type Database } from './connect.js';
import { initial } from './migrations/0001_initial.js';
import { credentials } from './migrations/0002_credentials.js';
import { engine } from './migrations/0003_engine.js';
import { progress } from './migrations/0004_progress.js';
import { filesDevices } from './migrations/0005_files_devices.js';
import { webhooks } from './migrations/0006_webhooks.js';
import { backgroundGrants } from './migrations/0007_background_grants.js';
import { jobsClaimOrder } from './migrations/0008_jobs_claim_order.js';
import { settings } from './migrations/0009_settings.js';
import { authHardening } from './migrations/0010_auth_hardening.js';
import { retentionIndexes } from './migrations/0011_retention_indexes.js';
import { safeCombination } from './migrations/0012_safe_combination.js';
import { termsLimitsShared } from './migrations/0013_terms_limits_shared.js';
import { chasterDialect } from './migrations/0014_chaster_dialect.js';
import { keyholderTrust } from './migrations/0015_rules_keyholder_trust.js';
import { partnerConfigurations } from './migrations/0016_partner_configurations.js';
import { chasterWebhookAuth } from './migrations/0017_chaster_webhook_auth.js';
import { verificationPilloryVotes } from './migrations/0018_verification_pillory_votes.js';
import { taskVerificationPicture } from './migrations/0019_task_verification_picture.js';
import { penalties } from './migrations/0020_penalties.js';

/** Versioned migrations, applied in name order. Never edit one that has shipped: add the next. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_credentials': credentials,
  '0003_engine': engine,
  '0004_progress': progress,
  '0005_files_devices': filesDevices,
  '0006_webhooks': webhooks,
  '0007_background_grants': backgroundGrants,
  '0008_jobs_claim_order': jobsClaimOrder,
  '0009_settings': settings,
  '0010_auth_hardening': authHardening,
  '0011_retention_indexes': retentionIndexes,
  '0012_safe_combination': safeCombination,
  '0013_terms_limits_shared': termsLimitsShared,
  '0014_chaster_dialect': chasterDialect,
  '0015_rules_keyholder_trust': keyholderTrust,
  '0016_partner_configurations': partnerConfigurations,
  '0017_chaster_webhook_auth': chasterWebhookAuth,
  '0018_verification_pillory_votes': verificationPilloryVotes,
  '0019_task_verification_picture': taskVerificationPicture,
  '0020_penalties': penalties,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Brings the schema up to date. Safe to run on every start and from several processes at once:
 * Kysely's migrator holds a lock row (an advisory lock on PostgreSQL) while it works.
 */
export async function migrateToLatest(database: Database): Promise<MigrationResultSet> {
  // Pin the bookkeeping tables to our schema: Kysely otherwise finds another schema's copies.
  const migrator = new Migrator({ db: database.db, provider, ...(database.schema ? { migrationTableSchema: database.schema } : {}) });
  // Kysely looks for its bookkeeping tables by listing every table of the whole database, before
  // it takes its own (per-schema) lock. Another schema being migrated or dropped at that moment
  // (another tenant, or a parallel test process) can fail that listing, so on PostgreSQL every
  // schema change of ours runs under one database-wide lock.
  return withSchemaChangeLock(database, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await migrator.migrateToLatest();
        if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
        return result;
      } catch (err) {
        // Someone else's DDL (not under our lock) can still race the listing. Migrating is
        // idempotent and serialized, so trying again is safe.
        if (!isCatalogRace(err) || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  });
}

/** PostgreSQL: a schema, relation or column vanished (or appeared) while the catalog was being read. */
function isCatalogRace(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  // invalid_schema_name, undefined_table, undefined_column, undefined_object, internal error
  // ("cache lookup failed").
  return code === '3F000' || code === '42P01' || code === '42703' || code === '42704' || code === 'XX000';
}
