/** Wire shapes the pages read (mirrors packages/protocol/src/schemas.ts + extension.ts). */

export interface PublicUser {
  id: string;
  username: string;
  profile: { displayName?: string; bio?: string; avatarUrl?: string };
}

export interface LockSettings {
  tasks: { enabled: boolean };
  hygienicOpening: { enabled: boolean; durationSeconds: number };
  pillory: { enabled: boolean; maxDurationSeconds: number };
  requiredTaskPoints: number;
  trustExternalPrograms: boolean;
}

export interface InstalledExtension {
  sessionId: string;
  slug: string;
  name: string;
  appId: string;
  config: unknown;
  createdAt: string;
  /** The app asks for `sessions:background`. */
  requestsBackground: boolean;
  /** The background grant: the app acts with the role of whoever granted it. */
  background: { grantedAt: string; role: 'wearer' | 'keyholder' } | null;
  /** What it may do on this lock (approved). */
  scopes: string[];
  /** What it added since, unused until the lock's controller approves it. */
  pendingScopes: string[];
}

export interface UnlockBlockerView {
  extensionSlug: string;
  extensionName: string;
  kind: string;
  blocker: string;
  count?: number;
  requiredCount?: number;
}

export interface CurrentTask {
  id: string;
  text: string;
  points: number;
  durationSeconds: number;
  verificationRequired: boolean;
  timerEndsAt: string | null;
  assignedBy: string;
  createdAt: string;
}

export interface Lock {
  id: string;
  title: string;
  status: 'locked' | 'unlocked' | 'deserted';
  wearer: PublicUser;
  keyholder: PublicUser | null;
  keyholderStatus: 'pending' | 'accepted' | 'declined' | 'withdrawn' | 'resigned' | null;
  /** The wearer trusts the keyholder with the extensions (irreversible). */
  keyholderTrusted: boolean;
  role: 'wearer' | 'keyholder';
  /** What the caller may do now, by the server's lock policy (action names). */
  allowedActions: string[];
  startDate: string;
  endsAt: string | null;
  endDate: string | null;
  frozenAt: string | null;
  timeRemainingSeconds: number | null;
  hiddenTimer: boolean;
  maxEndsAt: string | null;
  settings: LockSettings;
  frozenUntil: string | null;
  pillory: { until: string; reason: string | null } | null;
  hygienicOpening: { startedAt: string; relockBy: string; overdue: boolean } | null;
  taskPoints: number;
  currentTask: CurrentTask | null;
  unlock?: { unlockable: boolean; reasons: string[]; blockers: UnlockBlockerView[] };
  extensions: InstalledExtension[];
  createdAt: string;
  updatedAt: string;
}

export interface HistoryEntry {
  id: string;
  lockId: string;
  type: string;
  role: 'wearer' | 'keyholder' | 'extension' | 'external' | 'system';
  actor: { userId: string | null; username: string | null; extensionSlug: string | null } | null;
  title: string;
  description: string;
  icon: string | null;
  color: string | null;
  payload: unknown;
  createdAt: string;
}

export interface Notification {
  id: string;
  type: string;
  lockId: string | null;
  title: string;
  message: string;
  showPageOverlay: boolean;
  payload: unknown;
  readAt: string | null;
  createdAt: string;
}

export interface ExtensionSummary {
  id: string;
  slug: string;
  name: string;
  description: string;
  iframeUrl: string | null;
  setupUrl: string | null;
  defaultConfig: unknown;
  /** Catalog lists leave a default config over 4 KiB out: `withWholeDefaultConfig` reads it. */
  defaultConfigOmitted?: boolean;
  requestsBackground: boolean;
  /** What the app asks to do; installing approves them. */
  scopes: string[];
}

export interface HomeAction {
  slug: string;
  title: string;
  description?: string;
  icon?: string;
  badge?: string;
  intent?: { type: string; title?: string; message?: string; payload?: unknown };
}

export interface Metadata {
  unlockBlockers: string[];
  homeActions: HomeAction[];
  unlockRequirements: Array<{ metric: string; requiredCount: number; blocker: string; count: number; satisfied: boolean }>;
  aggregatedUnlockBlockers: Array<UnlockBlockerView & { sessionId: string; metric?: string }>;
  unlockBlocked: boolean;
}

export interface AppView {
  id: string;
  ownerId: string;
  slug: string;
  name: string;
  description: string;
  iframeUrl: string | null;
  setupUrl: string | null;
  allowedOrigins: string[];
  scopes: string[];
  defaultConfig: unknown;
  initialMetadata: unknown;
  regularActions: unknown;
  extensionRequirements: unknown;
  attemptLimit: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface KeyView {
  id: string;
  name: string;
  kind: 'app' | 'user';
  appId: string | null;
  prefix: string;
  last4: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: string;
  appId: string | null;
  lockId: string | null;
  sessionId: string | null;
  userId: string | null;
  credential: string;
  credentialId: string | null;
  method: string;
  route: string;
  action: string | null;
  status: number;
  outcome: 'success' | 'refused' | 'error';
  errorCode: string | null;
  requestId: string;
  createdAt: string;
}

export interface ClockView {
  now: string;
  nowMs: number;
  advanceable: boolean;
  jobsRun?: Array<{ id: string; kind: string; key: string; runAt: string; outcome: string }>;
}
