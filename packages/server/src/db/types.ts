import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Habit, LockSettings } from '@latch/protocol';

/**
 * Table shapes, identical on SQLite and PostgreSQL (portability rules, DECISIONS §2):
 * times are epoch-ms integers, JSON is text, booleans are 0/1 integers, ids come from the app.
 */
export interface UsersTable {
  id: string;
  username: string;
  /** Lower-cased username: uniqueness and look-ups are case-insensitive. */
  username_key: string;
  password_hash: string;
  profile: string;
  show_online_status: number;
  last_seen_at: number | null;
  created_at: number;
  updated_at: number;
  /** 1: a sandbox account (persona or fixture world); it signs in only in dev mode. */
  persona: Generated<number>;
}

export interface UserSessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_used_at: number;
}

export interface LocksTable {
  id: string;
  wearer_id: string;
  keyholder_id: string | null;
  keyholder_status: 'pending' | 'accepted' | 'declined' | 'withdrawn' | 'resigned' | null;
  /** When the wearer trusted the keyholder with the extensions (irreversible); null = not trusted. */
  keyholder_trusted_at: number | null;
  title: string;
  status: 'locked' | 'unlocked' | 'deserted';
  started_at: number;
  /** When the timer runs out; null for a lock without a timer. */
  ends_at: number | null;
  /** The latest `ends_at` may ever be (max limit); null = no limit. */
  max_ends_at: number | null;
  frozen_at: number | null;
  hidden_timer: number;
  ended_at: number | null;
  settings: string;
  version: number;
  created_at: number;
  updated_at: number;
  pillory_until: number | null;
  pillory_reason: string | null;
  hygienic_until: number | null;
  task_points: number;
  /** When the current freeze ends by itself; null = frozen until unfrozen. */
  frozen_until: number | null;
  /** A hygienic opening is running since then (until relocked). */
  hygienic_started_at: number | null;
  /** The initial range the end was drawn from (Chaster `minDate`/`maxDate`); null on older locks. */
  min_date: number | null;
  max_date: number | null;
  /** The floor: no unlock before it (minimum lock time); null = none. */
  min_limit_date: number | null;
  /** Time changes are left out of the history the wearer reads (Chaster `hideTimeLogs`). */
  hide_time_logs: Generated<number>;
  is_test_lock: Generated<number>;
  /** No unlock before `visitor_votes` reaches it (shared link, Chaster's "number of visits required"). */
  visitor_votes_required: Generated<number>;
  visitor_votes: Generated<number>;
  shared_lock_id: string | null;
  /** Archived by the wearer (a running lock archived is deserted). */
  archived_at: number | null;
}

export interface SharedLocksTable {
  id: string;
  keyholder_id: string;
  name: string;
  description: string;
  password_hash: string | null;
  /** JSON: services/sharedLocks.ts `SharedLockTemplate`. */
  template: string;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SharedLinksTable {
  id: string;
  lock_id: string;
  enabled: number;
  add_seconds: number;
  remove_seconds: number;
  allow_random: number;
  period_seconds: number;
  signed_in_only: number;
  votes: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface SharedLinkVotesTable {
  id: string;
  link_id: string;
  visitor_key: string;
  period: number;
  choice: 'add' | 'remove';
  seconds: number;
  created_at: number;
}

export interface VerificationPicturesTable {
  id: string;
  lock_id: string;
  code: string;
  requested_role: 'wearer' | 'keyholder' | 'extension';
  requested_user_id: string | null;
  requested_extension: string | null;
  requested_at: number;
  blob_key: string | null;
  content_type: string | null;
  submitted_at: number | null;
}
export type VerificationPictureRow = Selectable<VerificationPicturesTable>;

export interface PilloryVotesTable {
  id: string;
  lock_id: string;
  pillory_id: string;
  voter_id: string;
  seconds: number;
  created_at: number;
}

export interface ExtensionAppsTable {
  id: string;
  owner_id: string;
  slug: string;
  name: string;
  description: string;
  iframe_url: string | null;
  setup_url: string | null;
  allowed_origins: string;
  scopes: string;
  default_config: string;
  initial_metadata: string;
  regular_actions: string | null;
  extension_requirements: string | null;
  attempt_limit: string | null;
  created_at: number;
  updated_at: number;
  /** Which wire shapes `/api/extensions/*` speaks to this app (DECISIONS §14). */
  dialect: Generated<'chastify' | 'chaster'>;
  /** Public client id of a Chaster-dialect app (`X-Chaster-Client-Id`); null for Chastify apps. */
  client_id: string | null;
  /** JSON `Habit[]` (penalties): what locks may enable. */
  habits: Generated<string>;
}

/** A habit enabled on a lock (penalties): params by type, punishments as Chaster lock actions (JSON). */
export interface LockHabitsTable {
  id: string;
  lock_id: string;
  app_id: string;
  habit_name: string;
  type: 'recurring' | 'time_limit';
  nb_actions: number | null;
  frequency_seconds: number | null;
  time_limit_seconds: number | null;
  punishments: string;
  enabled_at: number;
}
export type LockHabitRow = Selectable<LockHabitsTable>;

/** One period of an enabled habit; `status` moves once from `ongoing` (the settling guard). */
export interface PenaltyPeriodsTable {
  id: string;
  lock_id: string;
  habit_id: string;
  app_id: string;
  habit_name: string;
  status: 'ongoing' | 'validated' | 'punished' | 'cancelled';
  nb_required: number;
  nb_done: number;
  punishments: string;
  starts_at: number;
  ends_at: number;
  settled_at: number | null;
}
export type PenaltyPeriodRow = Selectable<PenaltyPeriodsTable>;

export interface ExtensionSessionsTable {
  id: string;
  lock_id: string;
  app_id: string;
  config: string;
  metadata: string;
  state: string;
  version: number;
  /** Revision of `state` alone: the state ETag. */
  state_version: number;
  regular_actions_config: string | null;
  regular_actions_state: string | null;
  created_at: number;
  updated_at: number;
  /** Set when the extension is removed from the lock; the row stays so old tokens get `extension_not_enabled`. */
  removed_at: number | null;
  /** A background grant (`sessions:background`): when, by whom, and the role it acts with; null when there is none. */
  background_granted_at: number | null;
  background_granted_by: string | null;
  background_role: 'wearer' | 'keyholder' | null;
  /** JSON list of the scopes the lock's controller approved for this installation; null: the app's own (built-ins). */
  granted_scopes: string | null;
}

export interface HistoryLogsTable {
  id: string;
  lock_id: string;
  type: string;
  role: 'wearer' | 'keyholder' | 'extension' | 'external' | 'system';
  actor_user_id: string | null;
  extension_slug: string | null;
  title: string;
  description: string;
  icon: string | null;
  color: string | null;
  payload: string;
  created_at: number;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  lock_id: string | null;
  type: string;
  title: string;
  message: string;
  show_page_overlay: number;
  payload: string;
  created_at: number;
  read_at: number | null;
}

export interface DeveloperKeysTable {
  id: string;
  owner_id: string;
  /** null: a user-wide key for the External API. */
  app_id: string | null;
  name: string;
  prefix: string;
  last4: string;
  key_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface MainTokensTable {
  id: string;
  token_hash: string;
  session_id: string;
  app_id: string;
  user_id: string;
  role: 'wearer' | 'keyholder';
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** A Chaster configuration page's token (DECISIONS §14); no session/lock yet at self-lock creation. */
export interface PartnerConfigurationsTable {
  id: string;
  token_hash: string;
  app_id: string;
  session_id: string | null;
  lock_id: string | null;
  role: 'wearer' | 'keyholder';
  user_id: string;
  /** JSON: the pending config (self-lock creation); for a running session, the session's config is the truth. */
  config: string;
  created_at: number;
  expires_at: number;
}

export interface AuditLogsTable {
  id: string;
  app_id: string | null;
  lock_id: string | null;
  session_id: string | null;
  user_id: string | null;
  credential: string;
  credential_id: string | null;
  method: string;
  route: string;
  action: string | null;
  status: number;
  outcome: 'success' | 'refused' | 'error';
  error_code: string | null;
  request_id: string;
  created_at: number;
}

export interface IdempotencyRecordsTable {
  id: string;
  scope: string;
  idem_key: string;
  fingerprint: string;
  /** null while the first request is still running. */
  status: number | null;
  response: string | null;
  created_at: number;
  expires_at: number;
}

export interface RequirementProgressTable {
  id: string;
  session_id: string;
  metric: string;
  amount: number;
  occurred_at: number;
  created_at: number;
}

export interface JobsTable {
  id: string;
  kind: string;
  key: string;
  run_at: number;
  payload: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  failed_at: number | null;
  created_at: number;
}

/** Settings that outlive the process (key → text value). */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface TasksTable {
  id: string;
  lock_id: string;
  text: string;
  points: number;
  verification_required: number;
  duration_seconds: number;
  status: 'open' | 'completed' | 'failed' | 'replaced';
  assigned_by: string;
  extension_slug: string | null;
  timer_started_at: number | null;
  timer_ends_at: number | null;
  reason: string | null;
  created_at: number;
  finished_at: number | null;
  /** The wearer's verification picture (blob store key and sniffed type); null until sent. */
  verification_blob_key: string | null;
  verification_content_type: string | null;
}

export interface RegularActionsTable {
  id: string;
  session_id: string;
  payload: string;
  created_at: number;
}

export interface RequirementWindowsTable {
  id: string;
  session_id: string;
  metric: string;
  window_start: number;
  window_end: number;
  required_count: number;
  count: number;
  partial: number;
  punished: number;
  punishment: string | null;
  evaluated_at: number;
}

export interface FilesTable {
  id: string;
  session_id: string;
  lock_id: string;
  storage_key: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: number;
}

export interface DevicesTable {
  id: string;
  lock_id: string;
  kind: 'virtual' | 'buttplug';
  name: string;
  /** JSON: virtual `{model}`, buttplug `{url, deviceIndex?}`. */
  settings: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface DeviceStateTable {
  device_id: string;
  channel: 'shock' | 'vibration' | 'random' | 'berserk';
  active: number;
  intensity: number | null;
  frequency: number | null;
  min_intensity: number | null;
  max_intensity: number | null;
  message: string | null;
  started_at: number | null;
  /** Timed channels (shock, vibration) end here; null for modes (random, berserk). */
  ends_at: number | null;
  updated_at: number;
}

export interface WebhookEndpointsTable {
  id: string;
  app_id: string;
  url: string;
  /** The `whsec_…` signing secret, stored as is: signing needs it (never returned after create/rotate). */
  secret: string;
  /** The secret before the last rotation; deliveries are signed with both until `previous_secret_until`. */
  previous_secret: string | null;
  previous_secret_until: number | null;
  /** JSON list of the subscribed event types. */
  events: string;
  enabled: number;
  description: string;
  /** When the first delivery that ended `failed` since the last success ended; null while healthy. */
  failing_since: number | null;
  /** Why latch turned the endpoint off by itself; null when on or turned off by a person. */
  disabled_reason: string | null;
  /** JSON `{username, keyId, wrappedKey, password}`, the password sealed (services/webhookBasicAuth.ts); null: none. */
  basic_auth: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  /** The `webhook-id`: the same on every retry and redelivery. */
  message_id: string;
  event_type: string;
  /** The exact JSON text sent and signed. */
  payload: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  /** The first ≤ 1 KiB of the last response body. */
  last_response: string | null;
  created_at: number;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  attempted_at: number;
  succeeded: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  response: string | null;
}

/** A lock's combination, sealed (services/combinationVault.ts). */
export interface CombinationsTable {
  id: string;
  owner_id: string;
  lock_id: string | null;
  kind: 'code' | 'picture';
  key_id: string;
  wrapped_key: string;
  /** The code, sealed (base64); null for a picture. */
  sealed_code: string | null;
  /** Where the picture's sealed bytes are in the blob store. */
  blob_key: string | null;
  content_type: string | null;
  created_at: number;
  /** A deserted lock's combination was recovered (after the waiting period). */
  recovered_at: number | null;
}

export interface DB {
  combinations: CombinationsTable;
  shared_locks: SharedLocksTable;
  shared_links: SharedLinksTable;
  shared_link_votes: SharedLinkVotesTable;
  verification_pictures: VerificationPicturesTable;
  pillory_votes: PilloryVotesTable;
  lock_habits: LockHabitsTable;
  penalty_periods: PenaltyPeriodsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  files: FilesTable;
  devices: DevicesTable;
  device_state: DeviceStateTable;
  regular_actions: RegularActionsTable;
  requirement_windows: RequirementWindowsTable;
  jobs: JobsTable;
  settings: SettingsTable;
  tasks: TasksTable;
  developer_keys: DeveloperKeysTable;
  main_tokens: MainTokensTable;
  partner_configurations: PartnerConfigurationsTable;
  audit_logs: AuditLogsTable;
  idempotency_records: IdempotencyRecordsTable;
  requirement_progress: RequirementProgressTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  locks: LocksTable;
  extension_apps: ExtensionAppsTable;
  extension_sessions: ExtensionSessionsTable;
  history_logs: HistoryLogsTable;
  notifications: NotificationsTable;
}

export type UserRow = Selectable<UsersTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
export type FileRow = Selectable<FilesTable>;
export type DeviceRow = Selectable<DevicesTable>;
export type DeviceStateRow = Selectable<DeviceStateTable>;
export type RegularActionRow = Selectable<RegularActionsTable>;
export type RequirementWindowRow = Selectable<RequirementWindowsTable>;
export type JobRow = Selectable<JobsTable>;
export type TaskRow = Selectable<TasksTable>;
export type DeveloperKeyRow = Selectable<DeveloperKeysTable>;
export type MainTokenRow = Selectable<MainTokensTable>;
export type PartnerConfigurationRow = Selectable<PartnerConfigurationsTable>;
export type AuditLogRow = Selectable<AuditLogsTable>;
export type IdempotencyRecordRow = Selectable<IdempotencyRecordsTable>;
export type CombinationRow = Selectable<CombinationsTable>;
export type SharedLockRow = Selectable<SharedLocksTable>;
export type SharedLinkRow = Selectable<SharedLinksTable>;
export type ExtensionSessionRow = Selectable<ExtensionSessionsTable>;
export type HistoryLogRow = Selectable<HistoryLogsTable>;
export type NewHistoryLog = Insertable<HistoryLogsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type NewNotification = Insertable<NotificationsTable>;

// Rows with JSON columns, as storage hands them out: decoded once by the mappers in `storage/rows.ts`.
/** A lock as storage hands it out (`storage/rows.ts`): `settings` decoded, defaults filled in. */
export type LockRow = Omit<Selectable<LocksTable>, 'settings'> & { settings: LockSettings };
/** A change to a lock, `settings` decoded (storage encodes it). */
export type LockUpdate = Omit<Updateable<LocksTable>, 'settings'> & { settings?: LockSettings };
/** An extension app as storage hands it out (`storage/rows.ts`): its JSON columns decoded. */
export type ExtensionAppRow = Omit<Selectable<ExtensionAppsTable>, 'allowed_origins' | 'scopes' | 'default_config' | 'initial_metadata' | 'regular_actions' | 'extension_requirements' | 'attempt_limit' | 'habits'> & {
  allowed_origins: string[];
  scopes: string[];
  default_config: Record<string, unknown>;
  initial_metadata: { unlockRequirements?: unknown[]; homeActions?: unknown[] };
  regular_actions: unknown;
  extension_requirements: unknown;
  attempt_limit: unknown;
  habits: Habit[];
};

// Kept for later tables with database-generated columns (none today: ids come from the app).
export type { Generated };
