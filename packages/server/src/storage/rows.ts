import type { LockSettings, LockSettingsInput } from '@latch/protocol';
import type { Selectable } from 'kysely';
import { fromJson, toJson } from '../db/json.js';
import type { ExtensionAppRow, ExtensionAppsTable, LockRow, LocksTable } from '../db/types.js';

/**
 * Row mappers: the JSON columns of `locks` and `extension_apps` are decoded here, once, where
 * storage hands a row out, and encoded here where it writes one; services see typed values only.
 */

export const DEFAULT_LOCK_SETTINGS: LockSettings = {
  tasks: { enabled: false },
  hygienicOpening: { enabled: false, durationSeconds: 900 },
  pillory: { enabled: false, maxDurationSeconds: 86400 },
  requiredTaskPoints: 0,
  trustExternalPrograms: false,
  verificationPicture: { enabled: false },
  penalties: { enabled: false },
};

export function mergeSettings(base: LockSettings, patch: LockSettingsInput = {}): LockSettings {
  return {
    tasks: { ...base.tasks, ...patch.tasks },
    hygienicOpening: { ...base.hygienicOpening, ...patch.hygienicOpening },
    pillory: { ...base.pillory, ...patch.pillory },
    requiredTaskPoints: patch.requiredTaskPoints ?? base.requiredTaskPoints,
    trustExternalPrograms: patch.trustExternalPrograms ?? base.trustExternalPrograms,
    verificationPicture: { ...base.verificationPicture, ...patch.verificationPicture },
    penalties: { ...base.penalties, ...patch.penalties },
  };
}

/** A stored lock; settings stored before a key existed read that key's default. */
export function lockOf(row: Selectable<LocksTable>): LockRow {
  return { ...row, settings: mergeSettings(DEFAULT_LOCK_SETTINGS, fromJson<LockSettingsInput>(row.settings, {})) };
}

/** The columns to write for (part of) a lock: `settings` encoded. */
export function lockColumns<T extends { settings?: LockSettings }>(lock: T): Omit<T, 'settings'> & { settings?: string } {
  const { settings, ...rest } = lock;
  return settings === undefined ? rest : { ...rest, settings: toJson(settings) };
}

/** The JSON columns of `extension_apps`, with what an absent value reads as. */
const APP_JSON = {
  allowed_origins: [],
  scopes: [],
  default_config: {},
  initial_metadata: {},
  regular_actions: null,
  extension_requirements: null,
  attempt_limit: null,
  habits: [],
} as const satisfies Partial<Record<keyof ExtensionAppsTable, unknown>>;
export type AppJsonColumn = keyof typeof APP_JSON;
const APP_JSON_COLUMNS = Object.keys(APP_JSON) as AppJsonColumn[];

/** A stored app, or the columns of one a query selected, with its JSON columns decoded. */
export function appOf<K extends keyof ExtensionAppRow>(row: Pick<Selectable<ExtensionAppsTable>, K>): Pick<ExtensionAppRow, K> {
  const out: Record<string, unknown> = { ...row };
  for (const c of APP_JSON_COLUMNS) if (c in row) out[c] = fromJson((row as Partial<Selectable<ExtensionAppsTable>>)[c], APP_JSON[c]);
  return out as Pick<ExtensionAppRow, K>;
}

/** The columns to write for (part of) a decoded app: its JSON columns encoded, a null kept null. */
type Encoded<T> = { [K in keyof T]: K extends AppJsonColumn ? (null extends T[K] ? string | null : string) : T[K] };
export function appColumns<T extends Partial<ExtensionAppRow>>(app: T): Encoded<T> {
  const out: Record<string, unknown> = { ...app };
  for (const c of APP_JSON_COLUMNS) if (c in app) out[c] = app[c] === null ? null : toJson(app[c]);
  return out as Encoded<T>;
}
