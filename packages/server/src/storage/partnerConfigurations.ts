import type { PartnerConfigurationRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertPartnerConfiguration(db: Executor, row: PartnerConfigurationRow): Promise<void> {
  await db.insertInto('partner_configurations').values(row).execute();
}

export async function findPartnerConfigurationByHash(db: Executor, tokenHash: string): Promise<PartnerConfigurationRow | undefined> {
  return db.selectFrom('partner_configurations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findPartnerConfigurationById(db: Executor, id: string): Promise<PartnerConfigurationRow | undefined> {
  return db.selectFrom('partner_configurations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setPartnerConfigurationConfig(db: Executor, id: string, config: string): Promise<void> {
  await db.updateTable('partner_configurations').set({ config }).where('id', '=', id).execute();
}
