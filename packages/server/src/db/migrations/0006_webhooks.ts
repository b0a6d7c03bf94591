import type { Kysely, Migration } from 'kysely';
import { ID, createIndex, createdAt, entityTable, refTo, required, timestamps } from './columns.js';

/**
 * Webhooks per extension app (DECISIONS §10): endpoints, one delivery row per event and
 * endpoint (the outbox, written in the effect's transaction), and every attempt made for it.
 */
export const webhooks: Migration = {
  async up(db: Kysely<any>) {
    await entityTable(db, 'webhook_endpoints')
      .addColumn('app_id', ID, refTo('extension_apps'))
      .addColumn('url', 'varchar(2048)', required)
      // The `whsec_…` signing secret, as is: signing needs the secret itself, so it cannot be
      // stored as a hash like keys and tokens are (docs/decisions.md, Webhooks).
      .addColumn('secret', 'varchar(128)', required)
      // The secret before the last rotation: deliveries carry both signatures until then.
      .addColumn('previous_secret', 'varchar(128)')
      .addColumn('previous_secret_until', 'bigint')
      // JSON list of the subscribed event types.
      .addColumn('events', 'text', required)
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('description', 'varchar(500)', (c) => c.notNull().defaultTo(''))
      // When the first delivery that ended `failed` since the last success ended; null while healthy.
      .addColumn('failing_since', 'bigint')
      // Why latch turned the endpoint off by itself (null when it is on, or a person turned it off).
      .addColumn('disabled_reason', 'varchar(300)')
      .$call(timestamps)
      .execute();
    await createIndex(db, 'webhook_endpoints_app_idx', 'webhook_endpoints', ['app_id', 'id']);

    await entityTable(db, 'webhook_deliveries')
      .addColumn('endpoint_id', ID, (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
      // The `webhook-id` header: the same across retries and redeliveries of this message.
      .addColumn('message_id', 'varchar(40)', required)
      .addColumn('event_type', 'varchar(64)', required)
      // The exact bytes sent (and signed) on every attempt.
      .addColumn('payload', 'text', required)
      .addColumn('status', 'varchar(16)', required)
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint')
      .addColumn('last_attempt_at', 'bigint')
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'varchar(500)')
      .addColumn('last_duration_ms', 'integer')
      .addColumn('last_response', 'text')
      .$call(createdAt)
      .execute();
    // The console lists an endpoint's deliveries newest first (ids are time-ordered).
    await createIndex(db, 'webhook_deliveries_endpoint_idx', 'webhook_deliveries', ['endpoint_id', 'id']);

    await entityTable(db, 'webhook_attempts')
      .addColumn('delivery_id', ID, (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
      .addColumn('attempt', 'integer', required)
      .addColumn('attempted_at', 'bigint', required)
      .addColumn('succeeded', 'integer', required)
      .addColumn('status_code', 'integer')
      .addColumn('error', 'varchar(500)')
      .addColumn('duration_ms', 'integer', required)
      .addColumn('response', 'text')
      .execute();
    await createIndex(db, 'webhook_attempts_delivery_idx', 'webhook_attempts', ['delivery_id', 'id']);
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('webhook_attempts').execute();
    await db.schema.dropTable('webhook_deliveries').execute();
    await db.schema.dropTable('webhook_endpoints').execute();
  },
};
