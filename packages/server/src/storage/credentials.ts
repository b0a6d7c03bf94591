import { fixedStatement, isPostgres, withArrayRows } from '../db/prepared.js';
import { cachedRead } from '../db/readCache.js';
import type { DeveloperKeyRow, ExtensionAppRow, ExtensionAppsTable, ExtensionSessionRow, LockRow, LocksTable, MainTokenRow } from '../db/types.js';
import type { Executor } from './executor.js';
import { appOf, lockOf } from './rows.js';
import { SESSION_COLUMNS } from './extensionSessions.js';
import { lockViewColumnsOfL, lockViewRowsOf, type LockViewRows } from './sessionView.js';
import type { Selectable } from 'kysely';


/** Every column of each table, so a row read under prefixed aliases comes back whole (compile-time complete). */
const KEY_COLUMNS = Object.keys({ id: 1, owner_id: 1, app_id: 1, name: 1, prefix: 1, last4: 1, key_hash: 1, created_at: 1, last_used_at: 1, revoked_at: 1 } satisfies Record<keyof DeveloperKeyRow, 1>);
const TOKEN_COLUMNS = Object.keys({ id: 1, token_hash: 1, session_id: 1, app_id: 1, user_id: 1, role: 1, created_at: 1, expires_at: 1, revoked_at: 1 } satisfies Record<keyof MainTokenRow, 1>);
const LOCK_COLUMNS = Object.keys({
  id: 1, wearer_id: 1, keyholder_id: 1, keyholder_status: 1, title: 1, status: 1, started_at: 1, ends_at: 1, max_ends_at: 1, frozen_at: 1, hidden_timer: 1,
  ended_at: 1, settings: 1, version: 1, created_at: 1, updated_at: 1, pillory_until: 1, pillory_reason: 1, hygienic_until: 1, task_points: 1, frozen_until: 1,
  hygienic_started_at: 1, archived_at: 1, keyholder_trusted_at: 1,
  min_date: 1, max_date: 1, min_limit_date: 1, hide_time_logs: 1, is_test_lock: 1, shared_lock_id: 1, visitor_votes_required: 1, visitor_votes: 1,
} satisfies Record<keyof LockRow, 1>);
const APP_COLUMNS = Object.keys({
  id: 1, owner_id: 1, slug: 1, name: 1, description: 1, iframe_url: 1, setup_url: 1, allowed_origins: 1, scopes: 1, default_config: 1, initial_metadata: 1,
  regular_actions: 1, extension_requirements: 1, attempt_limit: 1, created_at: 1, updated_at: 1, dialect: 1, client_id: 1, habits: 1,
} satisfies Record<keyof ExtensionAppRow, 1>);

const TOKEN_LOCK_COLUMNS = ['id', 'wearer_id', 'keyholder_id', 'keyholder_status'];

/** The select list in order, as [expression, alias]: rows come back as arrays in this order (`withArrayRows`). */
const SELECTED: Array<[string, string]> = [
  ...prefixed('k', KEY_COLUMNS),
  ['ku.persona', 'k_owner_persona'],
  ['ka.dialect', 'k_app_dialect'],
  ['ka.client_id', 'k_app_client_id'],
  ...prefixed('t', TOKEN_COLUMNS),
  ...prefixed('tl', TOKEN_LOCK_COLUMNS),
  ...prefixed('s', SESSION_COLUMNS),
  ...prefixed('l', LOCK_COLUMNS),
  ...prefixed('a', APP_COLUMNS),
];
function prefixed(alias: string, columns: string[]): Array<[string, string]> {
  return columns.map((c) => [`${alias}.${c}`, `${alias}_${c}`]);
}
/** Where each alias is in a row; the view's columns (`lockViewColumnsOfL`) follow the credential ones. */
const at = (alias: string): number => {
  const i = SELECTED.findIndex(([, a]) => a === alias);
  if (i < 0) throw new Error(`no column ${alias}`);
  return i;
};
const VIEW_AT = SELECTED.length;

/** A table's columns and where they are in a row. */
interface Placed {
  columns: string[];
  indices: number[];
  idAt: number;
}
const placed = (alias: string, columns: string[]): Placed => ({ columns, indices: columns.map((c) => at(`${alias}_${c}`)), idAt: at(`${alias}_id`) });

/** The row of one table out of the result, or null when the left join found none. */
function pick<T>(row: unknown[], table: Placed): T | null {
  const id = row[table.idAt];
  if (id === null || id === undefined) return null;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < table.columns.length; i++) out[table.columns[i]!] = row[table.indices[i]!];
  return out as T;
}

const KEY = placed('k', KEY_COLUMNS);
const TOKEN = placed('t', TOKEN_COLUMNS);
const TOKEN_LOCK = placed('tl', TOKEN_LOCK_COLUMNS);
const SESSION = placed('s', SESSION_COLUMNS);
const LOCK = placed('l', LOCK_COLUMNS);
const APP = placed('a', APP_COLUMNS);
const OWNER_PERSONA = at('k_owner_persona');
const APP_DIALECT = at('k_app_dialect');
const APP_CLIENT_ID = at('k_app_client_id');

/** Who holds which role on the lock of a main token's session (re-checked on every use: issue 16). */
export interface TokenLockRoles {
  id: string;
  wearer_id: string;
  keyholder_id: string | null;
  keyholder_status: LockRow['keyholder_status'];
}

export interface RequestCredentials {
  /** The key the hash stands for (revoked ones too); null when unknown or none was presented. */
  key: DeveloperKeyRow | null;
  /** The key belongs to a sandbox account (persona or fixture world): usable in dev mode only. */
  keyOfSandboxAccount: boolean;
  /** The dialect and client id of the key's app (DECISIONS §14); null for a user-wide or unknown key. */
  keyApp: Pick<ExtensionAppRow, 'dialect' | 'client_id'> | null;
  /** The main token (revoked and expired ones too); null when unknown or none was presented. */
  token: MainTokenRow | null;
  /** Who holds which role on the lock of the token's session, as it is now. */
  tokenLock: TokenLockRoles | null;
  /** The addressed session with its lock and app; null when none was asked for or it does not exist. */
  session: ExtensionSessionRow | null;
  lock: LockRow | null;
  app: ExtensionAppRow | null;
}

/**
 * Everything the credential checks of a request need, read in one statement of unique-index
 * look-ups (key hash, token hash, session id): always exactly one row, with nulls for what is
 * not there. On SQLite a result is answered again while the database is exactly as it was when
 * it was read (db/readCache.ts: any write of any process moves it on), so a revocation committed
 * by any process is refused at the next request everywhere (docs/decisions.md).
 */
export async function findRequestCredentials(
  db: Executor,
  q: { keyHash: string | null; tokenHash: string | null; sessionId: string | null; withLockView?: boolean },
): Promise<RequestCredentials> {
  const withView = q.withLockView === true && q.sessionId !== null;
  const { credentials, lockView } = await cachedRead(db, withView ? REQUEST_CREDENTIALS_WITH_VIEW : REQUEST_CREDENTIALS, [q.keyHash, q.tokenHash, q.sessionId], (rows) =>
    credentialsOf(rowOf(db, rows[0] as unknown[]), withView),
  );
  if (lockView) viewsReadWith.set(credentials.session!, lockView);
  return credentials;
}

function credentialsOf(row: unknown[], withView: boolean): { credentials: RequestCredentials; lockView: LockViewRows | null } {
  const session = pick<ExtensionSessionRow>(row, SESSION);
  let lockView: LockViewRows | null = null;
  if (withView && session) {
    const [sessions, progress, tasks, users, devices, device_states] = row.slice(VIEW_AT);
    lockView = lockViewRowsOf({ sessions, progress, tasks, users, devices, device_states });
  }
  const lock = session && pick<Selectable<LocksTable>>(row, LOCK);
  const app = session && pick<Selectable<ExtensionAppsTable>>(row, APP);
  const credentials: RequestCredentials = {
    key: pick<DeveloperKeyRow>(row, KEY),
    keyOfSandboxAccount: Number(row[OWNER_PERSONA]) === 1,
    keyApp: row[APP_DIALECT] == null ? null : { dialect: row[APP_DIALECT] as ExtensionAppRow['dialect'], client_id: (row[APP_CLIENT_ID] as string | null) ?? null },
    token: pick<MainTokenRow>(row, TOKEN),
    tokenLock: pick<TokenLockRoles>(row, TOKEN_LOCK),
    session,
    lock: lock ? lockOf(lock) : null,
    app: app ? appOf(app) : null,
  };
  return { credentials, lockView };
}

/**
 * The view of the session's lock (storage/sessionView.ts) read by the same statement as the
 * credentials (`withLockView`), for the session row object this request's credentials hold:
 * GET session is then one statement. Undefined when it was not asked for.
 */
export function lockViewReadWith(session: ExtensionSessionRow): LockViewRows | undefined {
  return viewsReadWith.get(session);
}
const viewsReadWith = new WeakMap<ExtensionSessionRow, LockViewRows>();

const CREDENTIAL_JOINS = `
    from (select 1 as one) x
    left join developer_keys k on k.key_hash = ?
    left join users ku on ku.id = k.owner_id
    left join extension_apps ka on ka.id = k.app_id
    left join main_tokens t on t.token_hash = ?
    left join extension_sessions ts on ts.id = t.session_id
    left join locks tl on tl.id = ts.lock_id
    left join extension_sessions s on s.id = ?
    left join locks l on l.id = s.lock_id
    left join extension_apps a on a.id = s.app_id`;

const columnsOf = (list: Array<[string, string]>): string => list.map(([expression, alias]) => `${expression} as ${alias}`).join(', ');

/**
 * PostgreSQL: the same values as JSON arrays of at most 90 (a function takes at most 100
 * arguments), flattened back into one row by `rowOf`. pg describes the result of every execution
 * of a prepared statement and builds a parser per column each time: ~130 columns cost more
 * (bytes from the server, pg's per-field work) than parsing a few JSON texts.
 */
const jsonArraysOf = (list: Array<[string, string]>): string => {
  const chunks: string[] = [];
  for (let i = 0; i < list.length; i += 90) chunks.push(`json_build_array(${list.slice(i, i + 90).map(([expression]) => expression).join(', ')}) as part${i / 90}`);
  return chunks.join(', ');
};

/** One result row as the values in select-list order (PostgreSQL's JSON array parts flattened). */
const rowOf = (db: Executor, row: unknown[]): unknown[] => (isPostgres(db) ? (row as unknown[][]).flat() : row);

const WITH_VIEW = (dialect: 'sqlite' | 'postgres') => [...SELECTED, ...lockViewColumnsOfL(dialect)];

// Hot: every extension request runs one of them (named prepared statements on PostgreSQL).
const REQUEST_CREDENTIALS = withArrayRows({
  sqlite: `select ${columnsOf(SELECTED)} ${CREDENTIAL_JOINS}`,
  postgres: fixedStatement('request_credentials', `select ${jsonArraysOf(SELECTED)} ${CREDENTIAL_JOINS}`).postgres,
});
// The view's subqueries name no parameter, so the two dialects' texts differ only in the JSON functions.
const REQUEST_CREDENTIALS_WITH_VIEW = withArrayRows({
  sqlite: `select ${columnsOf(WITH_VIEW('sqlite'))} ${CREDENTIAL_JOINS}`,
  postgres: fixedStatement('request_credentials_view', `select ${jsonArraysOf(WITH_VIEW('postgres'))} ${CREDENTIAL_JOINS}`).postgres,
});
