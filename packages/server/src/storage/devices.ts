import { fixedStatement, inList, isPostgres, listParams, runFixed, type FixedStatement } from '../db/prepared.js';
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

const DEVICE_COLUMNS = Object.keys({ id: 1, lock_id: 1, kind: 1, name: 1, settings: 1, created_by: 1, created_at: 1, updated_at: 1 } satisfies Record<keyof DeviceRow, 1>);
const STATE_COLUMNS = Object.keys({
  device_id: 1, channel: 1, active: 1, intensity: 1, frequency: 1, min_intensity: 1, max_intensity: 1, message: 1, started_at: 1, ends_at: 1, updated_at: 1,
} satisfies Record<keyof DeviceStateRow, 1>);

/** The devices of these locks (by id) and their channel states, in one statement (the session view). */
export async function findDevicesWithStatesOfLocks(db: Executor, lockIds: string[]): Promise<{ devices: DeviceRow[]; states: DeviceStateRow[] }> {
  if (lockIds.length === 0) return { devices: [], states: [] };
  const dialect = isPostgres(db) ? 'postgres' : 'sqlite';
  const { rows } = await runFixed<Record<string, unknown>>(db, devicesStatement(dialect, lockIds.length), listParams(dialect, lockIds));
  const devices = new Map<string, DeviceRow>();
  const states: DeviceStateRow[] = [];
  for (const r of rows) {
    const id = r.d_id as string;
    if (!devices.has(id)) devices.set(id, Object.fromEntries(DEVICE_COLUMNS.map((c) => [c, r[`d_${c}`]])) as unknown as DeviceRow);
    if (r.s_device_id !== null) states.push(Object.fromEntries(STATE_COLUMNS.map((c) => [c, r[`s_${c}`]])) as unknown as DeviceStateRow);
  }
  return { devices: [...devices.values()], states };
}

const DEVICES_SELECT = [...DEVICE_COLUMNS.map((c) => `d.${c} as d_${c}`), ...STATE_COLUMNS.map((c) => `s.${c} as s_${c}`)].join(', ');
const devicesText = (dialect: 'sqlite' | 'postgres', count: number) =>
  `select ${DEVICES_SELECT} from devices d left join device_state s on s.device_id = d.id where ${inList(dialect, 'd.lock_id', count)} order by d.id`;
// Hot (every session view): a named statement on PostgreSQL; one lock is the common case on SQLite.
const DEVICES_OF_LOCKS = fixedStatement('devices_of_locks', devicesText('postgres', 1));
const DEVICES_OF_ONE_LOCK = devicesText('sqlite', 1);

function devicesStatement(dialect: 'sqlite' | 'postgres', count: number): FixedStatement {
  if (dialect === 'postgres') return DEVICES_OF_LOCKS;
  const text = count === 1 ? DEVICES_OF_ONE_LOCK : devicesText('sqlite', count);
  return { sqlite: text, postgres: text };
}
