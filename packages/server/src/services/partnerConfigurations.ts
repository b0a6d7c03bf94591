import { notFound } from '../errors.js';
import { fromJson } from '../db/json.js';
import type { ExtensionAppRow, PartnerConfigurationRow, UserRow } from '../db/types.js';
import { hashSecret } from '../ids.js';
import { chasterConfiguration, type ChasterConfiguration } from '../dialects/chaster/configurations.js';
import { findAppById, findAppBySlug } from '../storage/extensionApps.js';
import { findExtensionSession } from '../storage/extensionSessions.js';
import { findPartnerConfigurationByHash, findPartnerConfigurationById, insertPartnerConfiguration, setPartnerConfigurationConfig } from '../storage/partnerConfigurations.js';
import { findUserById } from '../storage/users.js';
import { EXTERNAL_APP_ID } from './builtinApps.js';
import { iso, type ServiceDeps } from './deps.js';
import type { LockService } from './locks.js';
import { prepareInstall } from './lockServiceCore.js';

/** A configuration page is filled in within minutes; an hour leaves room and little to steal. */
export const PARTNER_CONFIGURATION_TTL_MS = 3600_000;
export const PARTNER_CONFIGURATION_PREFIX = 'pct_';

type Config = Record<string, unknown>;

/** What the web host needs to open the configuration page (the raw token is only ever here). */
export interface IssuedConfiguration {
  id: string;
  partnerConfigurationToken: string;
  extensionSlug: string;
  role: 'wearer' | 'keyholder';
  sessionId: string | null;
  lockId: string | null;
  expiresAt: string;
  configurationUrl: string | null;
  allowedOrigins: string[];
}

/**
 * Chaster configuration pages (DECISIONS §14). The web host asks for a token when it opens the
 * modal: at self-lock creation (the creator as wearer, no session yet; the page's config waits in
 * the token's row until the creator reads it back into the new lock), or for an installed
 * extension (its controller; the page's config replaces the session's config at once).
 */
export function createPartnerConfigurationService({ db, clock, ids }: ServiceDeps, svc: { locks: LockService }) {
  async function chasterApp(slug: string): Promise<ExtensionAppRow> {
    const app = await findAppBySlug(db, slug);
    if (!app || app.id === EXTERNAL_APP_ID || app.dialect !== 'chaster') throw notFound(`Chaster extension ${slug}`);
    return app;
  }

  /** The token's row while it lives, for its own app only (another app's token is not found either). */
  async function live(app: ExtensionAppRow, token: string): Promise<PartnerConfigurationRow> {
    const row = await findPartnerConfigurationByHash(db, hashSecret(token));
    if (!row || row.app_id !== app.id || row.expires_at <= clock.now()) throw notFound('Configuration (the token is unknown or expired)');
    return row;
  }

  /** The config the page edits: the running session's own, else the pending one. */
  async function currentConfig(row: PartnerConfigurationRow): Promise<Config> {
    const session = row.session_id ? await findExtensionSession(db, row.session_id) : undefined;
    if (row.session_id && (!session || session.removed_at !== null)) throw notFound('Extension session');
    return fromJson<Config>(session ? session.config : row.config, {});
  }

  return {
    async issue(user: UserRow, input: { slug: string; lockId?: string | undefined; config?: Config | undefined }): Promise<IssuedConfiguration> {
      const now = clock.now();
      const token = ids.secret(PARTNER_CONFIGURATION_PREFIX);
      let row: PartnerConfigurationRow;
      let app: ExtensionAppRow;
      if (input.lockId) {
        const target = await svc.locks.configurable(user, input.lockId, input.slug);
        if (target.app.dialect !== 'chaster') throw notFound(`Chaster extension ${input.slug} on this lock`);
        app = target.app;
        row = { id: ids.objectId(), token_hash: hashSecret(token), app_id: app.id, session_id: target.session.id, lock_id: target.lock.id, role: target.role, user_id: user.id, config: target.session.config, created_at: now, expires_at: now + PARTNER_CONFIGURATION_TTL_MS };
      } else {
        app = await chasterApp(input.slug);
        // The config the creation form holds (the page may be opened again), checked like an install's.
        const config = prepareInstall(app, input.config, '/config').config;
        row = { id: ids.objectId(), token_hash: hashSecret(token), app_id: app.id, session_id: null, lock_id: null, role: 'wearer', user_id: user.id, config, created_at: now, expires_at: now + PARTNER_CONFIGURATION_TTL_MS };
      }
      await insertPartnerConfiguration(db, row);
      return {
        id: row.id,
        partnerConfigurationToken: token,
        extensionSlug: app.slug,
        role: row.role,
        sessionId: row.session_id,
        lockId: row.lock_id,
        expiresAt: iso(row.expires_at),
        configurationUrl: app.setup_url,
        allowedOrigins: fromJson<string[]>(app.allowed_origins, []),
      };
    },

    /** The creator reads back what the page saved before the lock exists (only their own, while it lives). */
    async pending(user: UserRow, id: string): Promise<{ id: string; extensionSlug: string; config: Config }> {
      const row = await findPartnerConfigurationById(db, id);
      if (!row || row.user_id !== user.id || row.expires_at <= clock.now()) throw notFound('Configuration');
      const app = (await findAppById(db, row.app_id))!;
      return { id: row.id, extensionSlug: app.slug, config: await currentConfig(row) };
    },

    /** `GET /api/extensions/configurations/:token` (the app's backend). */
    async get(app: ExtensionAppRow, token: string): Promise<ChasterConfiguration> {
      const row = await live(app, token);
      return chasterConfiguration(row, app, await currentConfig(row));
    },

    /**
     * `PUT /api/extensions/configurations/:token {config}`: a running session's config is replaced
     * as its controller would (who must still be it); before the lock exists it waits in the row.
     */
    async save(app: ExtensionAppRow, token: string, config: Config): Promise<ChasterConfiguration> {
      const row = await live(app, token);
      if (row.session_id && row.lock_id) {
        const user = await findUserById(db, row.user_id);
        if (!user) throw notFound('Configuration');
        await svc.locks.changeConfig(user, row.lock_id, app.slug, config);
      } else {
        await setPartnerConfigurationConfig(db, row.id, prepareInstall(app, config, '/config').config);
      }
      return chasterConfiguration(row, app, await currentConfig(row));
    },
  };
}

export type PartnerConfigurationService = ReturnType<typeof createPartnerConfigurationService>;
