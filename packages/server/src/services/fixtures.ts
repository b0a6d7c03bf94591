import { randomBytes } from 'node:crypto';
import { ALL_SCOPES, type Habit, type LockHabitInput, type Scope, type WebhookEventType } from '@latch/protocol';
import type { UserRow } from '../db/types.js';
import { findUserByUsername } from '../storage/users.js';
import type { AccountService } from './accounts.js';
import type { ServiceDeps } from './deps.js';
import type { DeveloperKeyService } from './developerKeys.js';
import type { ExtensionAppService } from './extensionApps.js';
import type { MainTokenService } from './mainTokens.js';
import type { PartnerConfigurationService } from './partnerConfigurations.js';
import type { LockService } from './locks.js';
import type { DeviceService } from './devices.js';
import type { CombinationService } from './combinations.js';
import { configUnlockRequirements } from './requirementRules.js';
import { ApiError } from '../errors.js';
import { checkedJson } from './freeFormJson.js';
import { BACKGROUND_SCOPE, checkAppUrls, type AppDialect } from './extensionApps.js';
import type { BasicAuth } from './webhookBasicAuth.js';
import type { WebhookService } from './webhooks.js';
import type { PenaltyService } from './penalties.js';

/** Body of `POST /api/dev/fixtures` (DECISIONS §13); every field optional. */
export interface FixtureInput {
  extension?: {
    /** `chaster`: the app speaks Chaster's wire (DECISIONS §14); the world then carries `app.clientId`. */
    dialect?: AppDialect;
    slug?: string;
    name?: string;
    iframeUrl?: string;
    setupUrl?: string;
    allowedOrigins?: string[];
    scopes?: Scope[];
    config?: Record<string, unknown>;
    initialMetadata?: Record<string, unknown>;
    regularActions?: Record<string, unknown>;
    extensionRequirements?: unknown;
    attemptLimit?: Record<string, unknown>;
    /** Penalties: habits the app declares. */
    habits?: Habit[];
    /** Chaster apps: endpoints created before the lock, so they receive its `extension_session.created`. */
    webhooks?: Array<{ url: string; events?: WebhookEventType[]; basicAuth?: BasicAuth }>;
  };
  lock?: {
    keyholder?: boolean;
    title?: string;
    durationSeconds?: number;
    /** Limit lock time: start + this (none by default). */
    maxDurationSeconds?: number;
    hiddenTimer?: boolean;
    tasks?: boolean;
    hygienicOpening?: boolean;
    pillory?: boolean;
    /** Verification pictures (default false, DECISIONS §14). */
    verificationPicture?: boolean;
    /** Penalties (default: true when `habits` are given). */
    penalties?: boolean;
    /** Habits of the fixture app enabled by the lock's controller. */
    habits?: Array<Omit<LockHabitInput, 'extensionSlug'>>;
    virtualDevice?: boolean;
    /** The lock's controller grants the app background access. */
    background?: boolean;
    /** The wearer trusts the keyholder with the extensions (default true; false to try an untrusted keyholder). */
    trustKeyholder?: boolean;
    /** false: the invitation stays pending (the keyholder has not answered). */
    keyholderAccepts?: boolean;
    /** The lock's combination code (default: 6 random digits); never in the answer. */
    combination?: string;
  };
}

export interface FixtureAccount {
  id: string;
  username: string;
  password: string;
  /** A user-wide developer key (`lk_usr_…`) for /api/apps/v1 on this user's own locks. */
  userKey: string;
}

export interface FixtureWorld {
  baseUrl: string;
  wearer: FixtureAccount;
  keyholder: FixtureAccount | null;
  developer: FixtureAccount;
  app: { id: string; slug: string; appKey: string; dialect: AppDialect; clientId: string | null };
  lock: { id: string };
  session: { id: string };
  mainTokens: { wearer: string; keyholder: string | null };
  /** Chaster apps: a configuration page token for the running session, as its controller opens it. */
  configurationToken?: string;
  webhooks?: Array<{ id: string; url: string; events: string[]; secret: string }>;
}

export const PERSONA_PASSWORD = 'latch-sandbox';
export const PERSONAS = { wearer: 'wearer', keyholder: 'keyholder', developer: 'developer' } as const;

interface FixtureServices {
  accounts: AccountService;
  locks: LockService;
  apps: ExtensionAppService;
  keys: DeveloperKeyService;
  mainTokens: MainTokenService;
  partnerConfigurations: PartnerConfigurationService;
  devices: DeviceService;
  combinations: CombinationService;
  webhooks: WebhookService;
  penalties: PenaltyService;
}

/**
 * Builds a complete world in one call: wearer, keyholder (who has accepted), the app's
 * developer, an extension app, a lock with the extension installed. Usernames get a random
 * suffix so any number of worlds live side by side; `personas` uses the fixed persona names.
 */
export function createFixtureService(deps: ServiceDeps & { baseUrl: string }, svc: FixtureServices) {
  async function user(username: string, password: string): Promise<UserRow> {
    const existing = await findUserByUsername(deps.db, username);
    if (existing) return existing;
    return (await svc.accounts.register({ username, password, profile: { displayName: username } }, { sandbox: true })).user;
  }

  async function build(input: FixtureInput, names: { wearer: string; keyholder: string; developer: string; slug: string }, password: string): Promise<FixtureWorld> {
    const ext = input.extension ?? {};
    const lk = input.lock ?? {};
    // The config is the app's default and the lock's install config: checked before any account exists.
    checkAppUrls(ext, '/extension');
    for (const field of ['config', 'initialMetadata', 'regularActions', 'extensionRequirements', 'attemptLimit'] as const) {
      if (ext[field] !== undefined && ext[field] !== null) checkedJson(ext[field], `/extension/${field}`, `extension.${field}`);
    }
    if (ext.config) configUnlockRequirements(ext.config, '/extension/config', 'extension.config');
    if (ext.webhooks?.length && ext.dialect !== 'chaster') {
      throw new ApiError('invalid_request', 'extension.webhooks is for Chaster-dialect fixture apps (extension.dialect: "chaster")', [{ in: 'body', path: '/extension/webhooks', message: 'needs extension.dialect "chaster"' }]);
    }
    for (const w of ext.webhooks ?? []) svc.webhooks.checkNew('chaster', w);
    lk.habits?.forEach((h, i) => {
      if (!ext.habits?.some((d) => d.name === h.habitName)) {
        throw new ApiError('invalid_request', `lock.habits/${i}: the fixture app declares no habit "${h.habitName}" (extension.habits)`, [{ in: 'body', path: `/lock/habits/${i}/habitName`, message: 'not in extension.habits' }]);
      }
    });
    if (lk.habits?.length && lk.penalties === false) {
      throw new ApiError('invalid_request', 'lock.habits needs lock.penalties (leave it out, or true)', [{ in: 'body', path: '/lock/penalties', message: 'false with habits' }]);
    }
    if (lk.background && ext.scopes && !ext.scopes.includes(BACKGROUND_SCOPE)) {
      throw new ApiError('invalid_request', 'lock.background needs the app to request sessions:background', [{ in: 'body', path: '/lock/background', message: 'extension.scopes lacks sessions:background' }]);
    }
    const withKeyholder = lk.keyholder ?? true;
    const wearer = await user(names.wearer, password);
    const keyholder = withKeyholder ? await user(names.keyholder, password) : null;
    const developer = await user(names.developer, password);
    const app = await svc.apps.create(developer.id, {
      slug: ext.slug ?? names.slug,
      ...(ext.dialect ? { dialect: ext.dialect } : {}),
      name: ext.name ?? 'Sandbox Extension',
      description: 'Created by the sandbox fixtures',
      iframeUrl: ext.iframeUrl ?? null,
      setupUrl: ext.setupUrl ?? null,
      allowedOrigins: ext.allowedOrigins ?? [],
      scopes: ext.scopes ?? ALL_SCOPES,
      defaultConfig: ext.config ?? {},
      initialMetadata: ext.initialMetadata ?? {},
      regularActions: ext.regularActions ?? null,
      extensionRequirements: ext.extensionRequirements ?? null,
      attemptLimit: ext.attemptLimit ?? null,
      habits: ext.habits ?? [],
    });
    const webhooks = [];
    for (const w of ext.webhooks ?? []) webhooks.push(await svc.webhooks.create(developer.id, app.id, w));
    const on = (v: boolean | undefined) => v ?? true;
    const combination = await svc.combinations.prepare(wearer, lk.combination !== undefined ? { type: 'code', code: lk.combination } : { type: 'generate' });
    const lock = await svc.locks.create(wearer, {
      title: lk.title ?? 'Sandbox lock',
      durationSeconds: lk.durationSeconds ?? 86400,
      ...(lk.maxDurationSeconds !== undefined ? { maxDurationSeconds: lk.maxDurationSeconds } : {}),
      hiddenTimer: lk.hiddenTimer ?? false,
      ...(keyholder ? { keyholderUsername: keyholder.username } : {}),
      settings: {
        tasks: { enabled: on(lk.tasks) },
        hygienicOpening: { enabled: on(lk.hygienicOpening) },
        pillory: { enabled: on(lk.pillory) },
        verificationPicture: { enabled: lk.verificationPicture ?? false },
        penalties: { enabled: lk.penalties ?? !!lk.habits?.length },
      },
      extensions: [{ slug: app.slug, ...(ext.config ? { config: ext.config } : {}) }],
    }, (tx, lockId) => svc.combinations.bind(tx, combination, lockId));
    const accepts = lk.keyholderAccepts ?? true;
    if (keyholder && accepts) await svc.locks.answerInvitation(keyholder, lock.id, true);
    // Trusted unless asked otherwise: a fixture world is for building an extension, which its keyholder installs and configures.
    if (keyholder && accepts && (lk.trustKeyholder ?? true)) await svc.locks.trustKeyholder(wearer, lock.id);
    // Granted by whoever controls the lock (the keyholder once accepted), so it acts with their role.
    if (lk.background) await svc.locks.setBackground(keyholder ?? wearer, lock.id, app.slug, true);
    if (lk.virtualDevice ?? true) {
      const row = (await svc.locks.row(lock.id))!;
      await svc.devices.attach(row, { kind: 'virtual' }, { role: 'wearer', userId: wearer.id });
    }
    // The lock's controller: the keyholder once accepted, else the wearer.
    const controller = keyholder && accepts ? keyholder : wearer;
    if (lk.habits?.length) await svc.penalties.configure(controller.id, lock.id, lk.habits.map((h) => ({ ...h, extensionSlug: app.slug })));
    const sessionId = lock.extensions[0]!.sessionId;
    const account = async (u: UserRow): Promise<FixtureAccount> => ({
      id: u.id,
      username: u.username,
      password,
      userKey: (await svc.keys.create(u.id, { name: 'sandbox user-wide key' })).key,
    });
    const configurationToken = app.dialect === 'chaster' ? (await svc.partnerConfigurations.issue(controller, { slug: app.slug, lockId: lock.id })).partnerConfigurationToken : undefined;
    return {
      baseUrl: deps.baseUrl,
      wearer: await account(wearer),
      keyholder: keyholder ? await account(keyholder) : null,
      developer: await account(developer),
      app: { id: app.id, slug: app.slug, appKey: (await svc.keys.create(developer.id, { name: 'sandbox app key', appId: app.id })).key, dialect: app.dialect, clientId: app.client_id },
      lock: { id: lock.id },
      session: { id: sessionId },
      mainTokens: {
        wearer: (await svc.mainTokens.issue(wearer.id, sessionId)).mainToken,
        keyholder: keyholder ? (await svc.mainTokens.issue(keyholder.id, sessionId)).mainToken : null,
      },
      ...(configurationToken ? { configurationToken } : {}),
      ...(webhooks.length ? { webhooks: webhooks.map(({ id, url, events, secret }) => ({ id, url, events, secret })) } : {}),
    };
  }

  return {
    async create(input: FixtureInput = {}): Promise<FixtureWorld> {
      const suffix = randomBytes(4).toString('hex');
      const password = `pw-${randomBytes(9).toString('base64url')}`;
      return build(
        input,
        { wearer: `wearer_${suffix}`, keyholder: `keyholder_${suffix}`, developer: `dev_${suffix}`, slug: `sandbox-${suffix}` },
        password,
      );
    },

    /** The fixed personas of `npm run dev`; built once, found again on later starts. */
    async personas(): Promise<FixtureWorld | null> {
      if (await findUserByUsername(deps.db, PERSONAS.wearer)) return null;
      return build({}, { ...PERSONAS, slug: 'sandbox-extension' }, PERSONA_PASSWORD);
    },
  };
}

export type FixtureService = ReturnType<typeof createFixtureService>;
