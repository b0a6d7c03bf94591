import type { RetentionService } from '../services/retention.js';
import type { SandboxClockService } from '../services/sandboxClock.js';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import type { AccountService } from '../services/accounts.js';
import type { ExtensionAppService } from '../services/extensionApps.js';
import type { FixtureService } from '../services/fixtures.js';
import type { LockService } from '../services/locks.js';
import type { LockTermsService } from '../services/lockTerms.js';
import type { SharedLinkService } from '../services/sharedLinks.js';
import type { PilloryVoteService } from '../services/pilloryVotes.js';
import type { VerificationPictureService } from '../services/verificationPictures.js';
import type { PenaltyService } from '../services/penalties.js';
import type { SharedLockService } from '../services/sharedLocks.js';
import type { NotificationService } from '../services/notifications.js';
import type { registerFirstPartyAuth } from './auth.js';
import type { RateLimiter } from '../ratelimit.js';
import type { AuditService } from '../services/audit.js';
import type { DeveloperKeyService } from '../services/developerKeys.js';
import type { AppConsoleService } from '../services/extensionApps.js';
import type { ExtensionSessionService } from '../services/extensionSessions.js';
import type { MainTokenService } from '../services/mainTokens.js';
import type { LockEngine } from '../services/lockEngine.js';
import type { Scheduler } from '../services/scheduler.js';
import type { RegularActionService } from '../services/regularActions.js';
import type { ChasterService } from '../dialects/chaster/service.js';
import type { PartnerConfigurationService } from '../services/partnerConfigurations.js';
import type { AttemptService } from '../services/attempts.js';
import type { RequirementService } from '../services/requirements.js';
import type { FileService } from '../services/files.js';
import type { DeviceService } from '../services/devices.js';
import type { WebhookService } from '../services/webhooks.js';
import type { CombinationService } from '../services/combinations.js';
import type { TaskVerificationService } from '../services/taskVerification.js';
import type { NotificationFeed } from '../services/notificationFeed.js';
import type { LockChanges } from '../services/lockChanges.js';
import type { LiveStreams } from './liveStreams.js';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/**
 * Everything route plugins may be given: services and a few helpers, never the database itself.
 * Each plugin declares the members it uses (`Pick<RouteContext, …>`), so a route's reach is
 * visible in its signature.
 */
export interface RouteContext {
  config: Config;
  clock: Clock;
  database: Pick<Database, 'dialect'> & { ping(): Promise<void> };
  accounts: AccountService;
  locks: LockService;
  lockTerms: LockTermsService;
  sharedLocks: SharedLockService;
  sharedLinks: SharedLinkService;
  pilloryVotes: PilloryVoteService;
  verificationPictures: VerificationPictureService;
  penalties: PenaltyService;
  notifications: NotificationService;
  notificationFeed: NotificationFeed;
  lockChanges: LockChanges;
  apps: ExtensionAppService;
  fixtures: FixtureService;
  keys: DeveloperKeyService;
  mainTokens: MainTokenService;
  sessions: ExtensionSessionService;
  appConsole: AppConsoleService;
  audit: AuditService;
  rateLimiter: RateLimiter;
  engine: LockEngine;
  scheduler: Scheduler;
  regularActions: RegularActionService;
  /** The Chaster dialect's reads (dialects/chaster). */
  chaster: ChasterService;
  /** Chaster configuration pages' tokens. */
  partnerConfigurations: PartnerConfigurationService;
  attempts: AttemptService;
  requirements: RequirementService;
  files: FileService;
  devices: DeviceService;
  webhooks: WebhookService;
  combinations: CombinationService;
  taskVerification: TaskVerificationService;
  retention: RetentionService;
  sandboxClock: SandboxClockService;
  cookies: ReturnType<typeof registerFirstPartyAuth>;
  /** Open event streams per login session: they end at logout and on expiry. */
  liveStreams: LiveStreams;
}
