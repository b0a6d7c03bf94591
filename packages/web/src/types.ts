/**
 * Wire shapes the pages read: the types of the protocol's TypeBox schemas (`Static<>`). Type-only
 * imports, so the web bundle takes none of the schema library's code.
 */
export type {
  AppView,
  AuditEntry,
  ClockView,
  ExtensionSummary,
  HistoryEntry,
  HomeAction,
  InstalledExtension,
  KeyView,
  Lock,
  LockSettings,
  Metadata,
  Notification,
  PublicSharedLink,
  PublicUser,
  SandboxWorld,
  SharedLink,
  SharedLock,
  SharedLockTemplate,
  WebhookDeliveryDetail,
  WebhookDeliveryView,
  WebhookEndpointView,
  PilloryVotes,
  VerificationPicture,
  LockPenalties,
  Habit,
  LockHabitInput,
  PenaltyPunishment,
} from '@latch/protocol';
