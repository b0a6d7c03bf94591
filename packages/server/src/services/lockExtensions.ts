import type { InstalledExtension } from '@latch/protocol';
import { ApiError, notFound } from '../errors.js';
import { fromJson, toJson } from '../db/json.js';
import type { UserRow } from '../db/types.js';
import { findAppBySlug } from '../storage/extensionApps.js';
import { findActiveSessionOfApp, markSessionRemoved, setSessionBackground, setSessionGrantedScopes } from '../storage/extensionSessions.js';
import { EXTERNAL_APP_ID } from './builtinApps.js';
import { iso } from './deps.js';
import { appScheduledDefault, SCHEDULED_CONFIG_KEYS } from './sessionConfig.js';
import { writeHistory } from './history.js';
import { emitWebhookEvent } from './webhookOutbox.js';
import { mutateSessionRow } from './sessionRows.js';
import { grantedScopes, pendingScopes, requestedScopes } from './extensionApps.js';
import { checkBackgroundRequest, installedView, prepareInstall, type ExtensionChoice, type LockCore, type LockDeps } from './lockServiceCore.js';

/** The extensions on a lock: installed, approved, given background access, configured, removed. */
export function createLockExtensions({ db, clock, ids, dialect }: LockDeps, { installInTx, installedOn, lockFor }: LockCore) {
  return {
    async installExtension(user: UserRow, lockId: string, choice: ExtensionChoice): Promise<InstalledExtension> {
      const { lock, role } = await lockFor(user.id, lockId, 'extension.install');
      const app = await findAppBySlug(db, choice.slug);
      if (!app || app.id === EXTERNAL_APP_ID) throw notFound(`Extension ${choice.slug}`);
      if (await findActiveSessionOfApp(db, lock.id, app.id)) throw new ApiError('extension_already_installed', `${app.slug} is already installed on this lock`);
      const prepared = prepareInstall(app, choice.config, '/config');
      checkBackgroundRequest(app, choice.background, '/background');
      const now = clock.now();
      const row = await db.transaction().execute((tx) => installInTx(tx, lock, app, prepared, user.id, role, now, choice.background === true));
      return installedView(row, app);
    },

    /**
     * The lock's controller approves scopes the app added after it was installed here (issue 16).
     * `scopes` are the ones the page showed: each must be one the app asks for now (409 `conflict`
     * otherwise: the app changed since); approving what is already approved changes nothing.
     */
    async approveScopes(user: UserRow, lockId: string, slug: string, scopes: string[]): Promise<InstalledExtension> {
      const { lock, role } = await lockFor(user.id, lockId, 'extension.configure');
      const { app, session } = await installedOn(lock, slug);
      const requested = requestedScopes(app);
      const gone = scopes.filter((s) => !requested.includes(s));
      if (gone.length > 0) throw new ApiError('conflict', `${app.name} no longer asks for ${gone.join(', ')}: reload and review its permissions again`, { scopes: gone });
      const pending = pendingScopes(app, session);
      const approving = [...new Set(scopes)].filter((s) => pending.includes(s));
      if (approving.length === 0) return installedView(session, app);
      const granted = [...new Set([...(grantedScopes(session) ?? []), ...approving])];
      const now = clock.now();
      const updated = await db.transaction().execute(async (tx) => {
        const row = await setSessionGrantedScopes(tx, session.id, toJson(granted), now);
        if (!row) return undefined;
        await writeHistory(tx, ids, now, {
          lockId: lock.id,
          type: 'extension_scopes_approved',
          role,
          actorUserId: user.id,
          extensionSlug: app.slug,
          title: `${app.name} got new permissions`,
          description: approving.join(', '),
          payload: { sessionId: session.id, slug: app.slug, scopes: approving },
        });
        return row;
      });
      if (!updated) throw notFound(`Extension ${slug} on this lock`);
      return installedView(updated, app);
    },

    /**
     * Gives or takes back an installed extension's background access (the lock's controller).
     * Taking it back is immediate: the next app-key-only call gets `main_token_required`.
     */
    async setBackground(user: UserRow, lockId: string, slug: string, granted: boolean): Promise<InstalledExtension> {
      const { lock, role } = await lockFor(user.id, lockId, 'extension.configure');
      const { app, session } = await installedOn(lock, slug);
      checkBackgroundRequest(app, granted, '/granted');
      const now = clock.now();
      const grant = granted ? { at: now, by: user.id, role } : null;
      const updated = await db.transaction().execute(async (tx) => {
        const row = await setSessionBackground(tx, session.id, grant, now);
        // Already as asked (maybe by a request at the same moment): nothing to record.
        if (!row) return undefined;
        await emitWebhookEvent(tx, ids, now, 'extension_session.updated', { session: row }, () => ({ change: 'background', background: installedView(row, app).background }));
        await writeHistory(tx, ids, now, {
          lockId: lock.id,
          type: granted ? 'extension_background_granted' : 'extension_background_revoked',
          role,
          actorUserId: user.id,
          extensionSlug: app.slug,
          title: granted ? `${app.name} may act in the background` : `${app.name} no longer acts in the background`,
          description: granted ? `It may act on this lock while nobody has it open (as the ${role})` : undefined,
          payload: { sessionId: session.id, slug: app.slug },
        });
        return row;
      });
      if (updated) return installedView(updated, app);
      const current = await findActiveSessionOfApp(db, lock.id, app.id);
      if (!current) throw notFound(`Extension ${slug} on this lock`);
      return installedView(current, app);
    },

    /**
     * An installed extension its controller may configure (the keyholder, or the wearer of a
     * self-lock): what a configuration page's token is issued for (DECISIONS §14).
     */
    async configurable(user: UserRow, lockId: string, slug: string) {
      const { lock, role } = await lockFor(user.id, lockId, 'extension.configure');
      return { lock, role, ...(await installedOn(lock, slug)) };
    },

    /**
     * Replaces an installed extension's config (the lock's controller, through the app's setup
     * page). Its `unlockRequirements` take effect at once (progress so far counts against the new
     * numbers). The keys latch schedules work from (`extensionRequirements`, `attemptLimit`,
     * `regularActions`) cannot change on a running lock: windows, rounds and buckets already
     * run under them. Remove and add the extension for that.
     */
    async changeConfig(user: UserRow, lockId: string, slug: string, config: Record<string, unknown>): Promise<InstalledExtension> {
      const { lock, role } = await lockFor(user.id, lockId, 'extension.configure');
      const { app, session } = await installedOn(lock, slug);
      // The config the page read back carries the app's defaults for the scheduled keys
      // (sessionConfigView): sent back unchanged, they are not an override, so not stored.
      const before = fromJson<Record<string, unknown>>(session.config, {});
      const echoed = SCHEDULED_CONFIG_KEYS.filter((k) => before[k] === undefined && config[k] !== undefined && toJson(config[k]) === toJson(appScheduledDefault(app, k)));
      if (echoed.length) config = Object.fromEntries(Object.entries(config).filter(([k]) => !(echoed as string[]).includes(k)));
      const prepared = prepareInstall(app, config, '/config');
      const row = await mutateSessionRow(db, dialect, clock, session.id, async (current) => {
        if (current.removed_at !== null) throw notFound(`Extension ${slug} on this lock`);
        const before = fromJson<Record<string, unknown>>(current.config, {});
        const changed = SCHEDULED_CONFIG_KEYS.filter((k) => toJson(before[k] ?? null) !== toJson(config[k] ?? null));
        if (changed.length) {
          throw new ApiError(
            'invalid_request',
            `${changed.join(', ')} cannot change on a running lock (latch already schedules work from ${changed.length === 1 ? 'it' : 'them'}); remove the extension and add it again`,
            changed.map((k) => ({ in: 'body', path: `/config/${k}`, message: 'cannot change on a running lock' })),
          );
        }
        if (current.config === prepared.config) return { patch: {}, result: current };
        const metadata = toJson({ ...fromJson<Record<string, unknown>>(current.metadata, {}), unlockRequirements: fromJson<{ unlockRequirements: unknown }>(prepared.metadata, { unlockRequirements: [] }).unlockRequirements });
        const now = clock.now();
        return {
          patch: { config: prepared.config, metadata },
          result: { ...current, config: prepared.config, metadata, version: current.version + 1, updated_at: now },
          async after(tx) {
            await emitWebhookEvent(tx, ids, now, 'extension_session.updated', { session: current }, () => ({ change: 'config', config }));
            await writeHistory(tx, ids, now, {
              lockId: lock.id,
              type: 'extension_config_changed',
              role,
              actorUserId: user.id,
              extensionSlug: app.slug,
              title: `${app.name} settings changed`,
              payload: { sessionId: session.id, slug: app.slug },
            });
          },
        };
      });
      return installedView(row, app);
    },

    async removeExtension(user: UserRow, lockId: string, slug: string): Promise<void> {
      const { lock, role } = await lockFor(user.id, lockId, 'extension.remove');
      const { app, session } = await installedOn(lock, slug);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        if (!(await markSessionRemoved(tx, session.id, now))) throw notFound(`Extension ${slug} on this lock`);
        await emitWebhookEvent(tx, ids, now, 'extension_session.deleted', { session }, () => ({ removedAt: iso(now) }));
        await writeHistory(tx, ids, now, {
          lockId: lock.id,
          type: 'extension_removed',
          role,
          actorUserId: user.id,
          extensionSlug: app.slug,
          title: `Extension ${app.name} removed`,
          payload: { sessionId: session.id, slug: app.slug },
        });
      });
    },
  };
}
