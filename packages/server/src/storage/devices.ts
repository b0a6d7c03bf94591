import type { DeviceRow, DeviceStateRow } from '../db/types.js';
import type { Executor } from './executor.js';

export async function insertDevice(db: Executor, row: DeviceRow): Promise<void> {
  await db.insertInto('devices').values(row).execute();
}

export async function findDevicesOfLocks(db: Executor, lockIds: string[]): Promise<DeviceRow[]> {
  if (lockIds.length === 0) return [];
  return db.selectFrom('devices').selectAll().where('lock_id', 'in', lockIds).orderBy('id').execute();
}

export async function findDevice(db: Executor, lockId: string, id: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('id', '=', id).where('lock_id', '=', lockId).executeTakeFirst();
}

export async function findDeviceById(db: Executor, id: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteDevice(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('device_state').where('device_id', '=', id).execute();
  await db.deleteFrom('devices').where('id', '=', id).execute();
}

export async function findDeviceStates(db: Executor, deviceIds: string[]): Promise<DeviceStateRow[]> {
  if (deviceIds.length === 0) return [];
  return db.selectFrom('device_state').selectAll().where('device_id', 'in', deviceIds).execute();
}

export async function findChannelState(db: Executor, deviceId: string, channel: DeviceStateRow['channel']): Promise<DeviceStateRow | undefined> {
  return db.selectFrom('device_state').selectAll().where('device_id', '=', deviceId).where('channel', '=', channel).executeTakeFirst();
}

/** Writes one channel of a device (insert or replace). */
export async function upsertChannelState(db: Executor, row: DeviceStateRow): Promise<void> {
  const { device_id, channel, ...rest } = row;
  await db
    .insertInto('device_state')
    .values(row)
    .onConflict((oc) => oc.columns(['device_id', 'channel']).doUpdateSet(rest))
    .execute();
}
