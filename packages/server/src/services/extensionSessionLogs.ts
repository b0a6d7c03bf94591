import type { ExtensionAppRow, ExtensionSessionRow, LockRow } from '../db/types.js';
import { sumProgress } from '../storage/requirementProgress.js';
import { attemptConfigOf } from './attempts.js';
import { iso } from './deps.js';
import { writeHistory } from './history.js';
import { controllerOf } from './lockRules.js';
import { writeNotification } from './notifications.js';
import { requirementStatuses, storedMetadata, type SessionDeps } from './extensionSessionCore.js';

/** What an extension reports on its session: custom log entries, notifications, progress. */
export function createSessionLogs({ db, clock, ids, requirements, attempts }: SessionDeps) {
  return {
    async customLog(session: ExtensionSessionRow, app: ExtensionAppRow, body: { title: string; description?: string; icon?: string; color?: string; role?: 'extension' | 'wearer' | 'keyholder' }) {
      const now = clock.now();
      // One transaction: the entry and its webhook deliveries stand or fall together.
      const id = await db.transaction().execute((tx) => writeHistory(tx, ids, now, {
        lockId: session.lock_id,
        type: 'extension_custom',
        role: body.role ?? 'extension',
        extensionSlug: app.slug,
        title: body.title,
        description: body.description ?? '',
        icon: body.icon ?? null,
        color: body.color ?? null,
        payload: { sessionId: session.id },
      }));
      return { id, lockId: session.lock_id, type: 'extension_custom', role: body.role ?? 'extension', extensionSlug: app.slug, title: body.title, description: body.description ?? '', icon: body.icon ?? null, color: body.color ?? null, createdAt: iso(now) };
    },

    async customNotification(session: ExtensionSessionRow, lock: LockRow, app: ExtensionAppRow, body: { title: string; message?: string; showPageOverlay?: boolean; target?: 'wearer' | 'keyholder' | 'both' }) {
      const target = body.target ?? 'wearer';
      // A self-lock's wearer is their own keyholder.
      const keyholderId = controllerOf(lock);
      const recipients = [...new Set(target === 'wearer' ? [lock.wearer_id] : target === 'keyholder' ? [keyholderId] : [lock.wearer_id, keyholderId])];
      const now = clock.now();
      const created = await db.transaction().execute(async (tx) => {
        const out: Array<{ id: string; userId: string }> = [];
        for (const userId of recipients) {
          const id = await writeNotification(tx, ids, now, {
            userId,
            lockId: lock.id,
            type: 'extension_app_message',
            title: body.title,
            message: body.message ?? '',
            showPageOverlay: body.showPageOverlay ?? false,
            payload: { sessionId: session.id, extensionSlug: app.slug, extensionName: app.name },
          });
          out.push({ id, userId });
        }
        return out;
      });
      return { type: 'extension_app_message' as const, target, notifications: created, createdAt: iso(now) };
    },

    /** Trusted progress for a metric this session knows (unlock requirement or required progress). */
    async recordProgress(session: ExtensionSessionRow, app: ExtensionAppRow, body: { metric: string; amount?: number; occurredAt?: string }) {
      const meta = storedMetadata(session);
      const attemptMetric = attemptConfigOf(session, app)?.metric;
      const known = new Set([...meta.unlockRequirements.map((r) => r.metric), ...(attemptMetric ? [attemptMetric] : [])]);
      const recorded = await requirements.record(session, app, known, body);
      if (attemptMetric === body.metric) await attempts.completeOnProgress(session.id, body.metric);
      const totals = new Map((await sumProgress(db, [session.id])).map((r) => [r.metric, r.total]));
      const requirement = requirementStatuses(meta, totals).find((r) => r.metric === body.metric) ?? null;
      return {
        metric: body.metric,
        amount: recorded.amount,
        occurredAt: iso(recorded.occurredAt),
        total: totals.get(body.metric) ?? recorded.amount,
        unlockRequirement: requirement,
        window: recorded.window,
      };
    },
  };
}
