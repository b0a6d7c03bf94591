import type { WebhookEventForPublic } from '@chasterapp/chaster-js';
import { CHASTER_WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@latch/protocol';
import type { DialectName } from '../../db/connect.js';
import type { HistoryLogRow } from '../../db/types.js';
import { iso } from '../../services/deps.js';
import type { Executor } from '../../storage/executor.js';
import { findAppById } from '../../storage/extensionApps.js';
import { findExtensionSession } from '../../storage/extensionSessions.js';
import { findLockById } from '../../storage/locks.js';
import { chasterInstall, loadChasterLockInput } from './lockInput.js';
import { chasterLock, partnerRole } from './locks.js';
import { chasterActionLog } from './logs.js';
import { chasterSession } from './sessions.js';
import type { Wire } from './wire.js';

/** One webhook body as Chaster sends it: `{event, data, sentAt, requestId}` (chaster-js `WebhookEventForPublic`). */
export type ChasterWebhookEvent = Wire<WebhookEventForPublic['payload']>;


/** What a Chaster body is built from: the event, the receiving app's session, and the history entry of an `action_log.created`. */
export interface ChasterEventSource {
  type: WebhookEventType;
  sessionId: string;
  log?: HistoryLogRow;
  /** Chaster's `requestId`: latch's message id, the same on every attempt. */
  requestId: string;
  now: number;
}

const isChasterEvent = (type: WebhookEventType): type is (typeof CHASTER_WEBHOOK_EVENT_TYPES)[number] => (CHASTER_WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);

/**
 * The Chaster body of one event for one app's session, read inside the effect's transaction; null
 * when Chaster has no such event (latch's others are Chastify's alone) or the rows are gone.
 */
export async function chasterWebhookEvent(db: Executor, dialect: DialectName, src: ChasterEventSource): Promise<ChasterWebhookEvent | null> {
  const { type, now } = src;
  if (!isChasterEvent(type)) return null;
  const session = await findExtensionSession(db, src.sessionId);
  const app = session && (await findAppById(db, session.app_id));
  const lockRow = session && (await findLockById(db, session.lock_id));
  if (!session || !app || !lockRow) return null;
  const envelope = { sentAt: iso(now), requestId: src.requestId };
  const actorId = src.log?.actor_user_id;
  const input = await loadChasterLockInput(db, dialect, lockRow, now, actorId ? [actorId] : []);
  // The backend's view, as `GET …/sessions/:id` gives it: complete, from the lock's controller's side.
  const lock = chasterLock(input, { role: partnerRole(lockRow), hideTimer: false });
  if (type === 'action_log.created') {
    if (!src.log) return null;
    const extensionNames = new Map(input.installs.map((i) => [i.app.slug, i.app.name]));
    const actionLog = chasterActionLog(src.log, { lock: lockRow, users: input.users, extensionNames, viewerUserId: null, now });
    return { event: type, data: { sessionId: session.id, actionLog }, ...envelope } satisfies ChasterWebhookEvent;
  }
  const extension = { slug: app.slug };
  if (type === 'extension_session.deleted') return { event: type, data: { session: { sessionId: session.id, lock }, extension }, ...envelope } satisfies ChasterWebhookEvent;
  const install = input.installs.find((i) => i.session.id === session.id) ?? chasterInstall(session, app, now);
  return { event: type, data: { session: chasterSession(install, lock), extension }, ...envelope } satisfies ChasterWebhookEvent;
}
