import type { Kysely, Migration } from 'kysely';

/**
 * Basic auth of a webhook endpoint (DECISIONS §14, Chaster's webhooks page): JSON
 * `{username, keyId, wrappedKey, password}` with the password sealed by the combination vault's
 * envelope encryption (services/webhookBasicAuth.ts); null without Basic auth.
 */
export const chasterWebhookAuth: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('webhook_endpoints').addColumn('basic_auth', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('webhook_endpoints').dropColumn('basic_auth').execute();
  },
};
