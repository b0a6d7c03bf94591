import type { Kysely, Migration } from 'kysely';

/**
 * Webhooks per extension app (DECISIONS §10): endpoints, one delivery row per event and
 * endpoint (the outbox, written in the effect's transaction), and every attempt made for it.
 */
export const webhooks: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('app_id', 'varchar(24)', (c) => c.notNull().references('extension_apps.id'))
      .addColumn('url', 'varchar(2048)', (c) => c.notNull())
      // The `whsec_…` signing secret, as is: signing needs the secret itself, so it cannot be
      // stored as a hash like keys and tokens are (docs/decisions.md, Webhooks).
      .addColumn('secret', 'varchar(128)', (c) => c.notNull())
      // The secret before the last rotation: deliveries carry both signatures until then.
      .addColumn('previous_secret', 'varchar(128)')
      .addColumn('previous_secret_until', 'bigint')
      // JSON list of the subscribed event types.
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('description', 'varchar(500)', (c) => c.notNull().defaultTo(''))
      // When the first delivery that ended `failed` since the last success ended; null while healthy.
      .addColumn('failing_since', 'bigint')
      // Why latch turned the endpoint off by itself (null when it is on, or a person turned it off).
      .addColumn('disabled_reason', 'varchar(300)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_endpoints_app_idx').on('webhook_endpoints').columns(['app_id', 'id']).execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('endpoint_id', 'varchar(24)', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
      // The `webhook-id` header: the same across retries and redeliveries of this message.
      .addColumn('message_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('event_type', 'varchar(64)', (c) => c.notNull())
      // The exact bytes sent (and signed) on every attempt.
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint')
      .addColumn('last_attempt_at', 'bigint')
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'varchar(500)')
      .addColumn('last_duration_ms', 'integer')
      .addColumn('last_response', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    // The console lists an endpoint's deliveries newest first (ids are time-ordered).
    await db.schema.createIndex('webhook_deliveries_endpoint_idx').on('webhook_deliveries').columns(['endpoint_id', 'id']).execute();

    await db.schema
      .createTable('webhook_attempts')
      .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
      .addColumn('delivery_id', 'varchar(24)', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('attempted_at', 'bigint', (c) => c.notNull())
      .addColumn('succeeded', 'integer', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error', 'varchar(500)')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('response', 'text')
      .execute();
    await db.schema.createIndex('webhook_attempts_delivery_idx').on('webhook_attempts').columns(['delivery_id', 'id']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('webhook_attempts').execute();
    await db.schema.dropTable('webhook_deliveries').execute();
    await db.schema.dropTable('webhook_endpoints').execute();
  },
};
