/**
 * Webhook events an extension app can subscribe to (DECISIONS §10), with what each says. The
 * payload is Standard Webhooks' `{type, timestamp, data}`; every `data` carries `sessionId`,
 * `lockId` and `extensionSlug` (the receiving app's session on that lock).
 */
export const WEBHOOK_EVENTS = {
  'extension_session.created': 'The app was installed on a lock: a new session',
  'extension_session.updated': 'The session’s state, metadata or regular-actions config was written',
  'extension_session.deleted': 'The app was removed from a lock',
  'action_log.created': 'A lock the app runs on got a history entry (any extension’s or person’s)',
  'requirement.window_evaluated': 'A required-progress window ended and was evaluated (met or missed, punishment)',
  'attempt.failed': 'An attempt ran past its deadline',
  'regular_action.created': 'A regular action was accepted',
  'lock.unlocked': 'A lock the app runs on was unlocked',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEventType[];
/**
 * The events of Chaster's webhooks page (DECISIONS §14): what a Chaster-dialect app's endpoints
 * subscribe to (all by default), with bodies as chaster-js `WebhookEventForPublic`.
 */
export const CHASTER_WEBHOOK_EVENT_TYPES = ['extension_session.created', 'extension_session.updated', 'extension_session.deleted', 'action_log.created'] as const satisfies readonly WebhookEventType[];
/** Sent only by `POST …/webhooks/:endpointId/test`, whatever the endpoint subscribes to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';
