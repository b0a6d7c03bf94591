import type { FastifyBaseLogger } from 'fastify';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import type { IdGenerator } from '../ids.js';
import { createAccountService } from './accounts.js';
import { createAttemptService } from './attempts.js';
import { createAuditService } from './audit.js';
import { createDeveloperKeyService } from './developerKeys.js';
import { createAppConsoleService, createExtensionAppService } from './extensionApps.js';
import { createExtensionSessionService } from './extensionSessions.js';
import { createFixtureService } from './fixtures.js';
import { createLockEngine } from './lockEngine.js';
import { createLockService } from './locks.js';
import { createLockTermsService } from './lockTerms.js';
import { createTaskVerificationService } from './taskVerification.js';
import { createSharedLinkService } from './sharedLinks.js';
import { createPilloryVoteService } from './pilloryVotes.js';
import { createVerificationPictureService } from './verificationPictures.js';
import { createPenaltyService } from './penalties.js';
import { createSharedLockService } from './sharedLocks.js';
import { createMainTokenService } from './mainTokens.js';
import { createPartnerConfigurationService } from './partnerConfigurations.js';
import { createNotificationService } from './notifications.js';
import { createNotificationFeed } from './notificationFeed.js';
import { createLockChanges } from './lockChanges.js';
import { createRegularActionService } from './regularActions.js';
import { createChasterService } from '../dialects/chaster/service.js';
import { createRequirementService } from './requirements.js';
import { createRetentionService } from './retention.js';
import { createScheduler } from './scheduler.js';
import { createBlobStore } from '../blobs/index.js';
import { createDeviceService } from './devices.js';
import { createFileService, createUrlSigner } from './files.js';
import { createWebhookService } from './webhooks.js';
import { createCombinationService } from './combinations.js';
import { createCombinationVault } from './combinationVault.js';
import { webhookUrlPolicy } from './webhookTransport.js';
import { createSandboxClockService } from './sandboxClock.js';

export interface ServiceContainerDeps {
  config: Config;
  database: Database;
  clock: Clock;
  /**
   * Real time, for what leaves the platform and is judged by someone else's clock: a webhook's
   * `webhook-timestamp` (receivers refuse one 5 min off theirs, and the sandbox's clock runs ahead).
   */
  wallClock?: Clock;
  ids: IdGenerator;
  logger: FastifyBaseLogger;
  workerId?: string;
  leaseMs?: number;
}

/**
 * Every domain service, wired once: the HTTP app and the standalone worker (`npm run worker`)
 * build the same graph, so a job runs the same code wherever it is claimed.
 */
export function createServices({ config, database, clock, wallClock = systemClock, ids, logger, workerId, leaseMs }: ServiceContainerDeps) {
  const base = { db: database.db, clock, ids };
  // Read on the live streams' tick (createLiveStreams), one timer per process for both.
  const notificationFeed = createNotificationFeed(base, { ownTimer: false, onError: (err) => logger.warn({ err }, 'live notification feed: read failed; retried on the next tick') });
  const lockChanges = createLockChanges({ database, redisUrl: config.redisUrl, logger });
  const dialect = database.dialect;
  const engine = createLockEngine({ ...base, dialect });
  const regularActions = createRegularActionService({ ...base, dialect });
  const attempts = createAttemptService({ ...base, dialect, regularActions });
  const requirements = createRequirementService({ ...base, engine, dialect });
  const locks = createLockService({ ...base, dialect }, {
    async sessionCreated(tx, session, app) {
      await requirements.onSessionCreated(tx, session, app);
      await attempts.maybeAutoStart(tx, session.id);
    },
    blockersOf: (lockIds) => sessions.blockersOfLocks(lockIds),
  });
  const accounts = createAccountService({ ...base, sessionTtlMs: config.sessionTtlMs, dev: config.dev });
  const apps = createExtensionAppService(base);
  const keys = createDeveloperKeyService(base);
  const mainTokens = createMainTokenService(base);
  const partnerConfigurations = createPartnerConfigurationService(base, { locks });
  const devices = createDeviceService({ ...base, logger, buttplugAllowedHosts: config.buttplugAllowedHosts });
  const blobs = createBlobStore(config.files);
  const files = createFileService({ ...base, dialect, store: blobs, signer: createUrlSigner(config.files.urlSecret, config.publicUrl), logger });
  const vault = createCombinationVault(config.combination);
  const combinations = createCombinationService({ ...base, store: blobs, vault, engine });
  const taskVerification = createTaskVerificationService({ ...base, store: blobs, engine });
  const sessions = createExtensionSessionService({ ...base, dialect, requirements, attempts, regularActions, devices });
  const chaster = createChasterService({ ...base, dialect }, { sessions, regularActions });
  const lease = leaseMs ?? config.jobLeaseMs;
  // A delivery attempt must end well inside its job's lease, or another worker could send it again.
  const webhookTimeoutMs = Math.min(config.webhooks.timeoutMs, Math.floor(lease / 2));
  if (webhookTimeoutMs < config.webhooks.timeoutMs) logger.warn({ webhookTimeoutMs, leaseMs: lease }, 'webhook timeout shortened to half the job lease (JOB_LEASE_SECONDS)');
  const webhooks = createWebhookService({ ...base, dialect, wallClock, policy: webhookUrlPolicy(config), timeoutMs: webhookTimeoutMs, attemptLimitMs: Math.floor(lease / 2), vault, logger });
  const retention = createRetentionService({ ...base, logger });
  const penalties = createPenaltyService(base, engine);
  const scheduler = createScheduler({
    db: database.db,
    clock,
    dialect,
    logger,
    ...(workerId ? { workerId } : {}),
    leaseMs: lease,
    bulkBatchSize: config.jobBatchSize,
    handlers: { ...engine.jobHandlers, ...requirements.jobHandlers, ...attempts.jobHandlers, ...files.jobHandlers, ...devices.jobHandlers, ...webhooks.jobHandlers, ...retention.jobHandlers, ...penalties.jobHandlers },
  });
  const audit = createAuditService(base);
  return {
    accounts,
    lockTerms: createLockTermsService(base, engine),
    sharedLocks: createSharedLockService(base, locks),
    sharedLinks: createSharedLinkService(base, engine),
    pilloryVotes: createPilloryVoteService(base, engine),
    verificationPictures: createVerificationPictureService({ ...base, store: blobs }),
    penalties,
    apps,
    keys,
    mainTokens,
    locks,
    engine,
    sessions,
    regularActions,
    attempts,
    requirements,
    scheduler,
    retention,
    files,
    devices,
    blobs,
    webhooks,
    combinations,
    taskVerification,
    chaster,
    partnerConfigurations,
    /** Releases what the services hold open (device connections, the blob store's client, the live feed). */
    async close() {
      await audit.settled();
      await notificationFeed.close();
      await lockChanges.close();
      await devices.close();
      await blobs.close();
    },
    notificationFeed,
    lockChanges,
    audit,
    notifications: createNotificationService(base),
    appConsole: createAppConsoleService(base),
    sandboxClock: createSandboxClockService(base),
    fixtures: createFixtureService({ ...base, baseUrl: config.publicUrl }, { accounts, locks, apps, keys, mainTokens, partnerConfigurations, devices, combinations, webhooks, penalties }),
  };
}

export type Services = ReturnType<typeof createServices>;
