import type { Kysely, Migration } from 'kysely';

/**
 * "Trust my keyholder" (issue 14): when the wearer trusted the accepted keyholder with the lock's
 * extensions; null = not trusted. Irreversible, so a timestamp and never cleared. Invitations can
 * now also end `withdrawn` (by the wearer) and `resigned` (by the keyholder): `keyholder_status`
 * is free text already.
 */
export const keyholderTrust: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('locks').addColumn('keyholder_trusted_at', 'bigint').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('locks').dropColumn('keyholder_trusted_at').execute();
  },
};
