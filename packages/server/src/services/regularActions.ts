import type { DialectName } from '../db/connect.js';
import { ApiError } from '../errors.js';
import { fromJson, toJson } from '../db/json.js';
import type { ExtensionAppRow, ExtensionSessionRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { insertRegularAction, listRecentRegularActions } from '../storage/regularActions.js';
import { iso, isoOrNull, type ServiceDeps } from './deps.js';
import { mutateSessionRow } from './sessionRows.js';
import { emitWebhookEvent } from './webhookOutbox.js';
import { checkJsonDepth } from './freeFormJson.js';
import { availability, consume, currentAvailability, MAX_PAYLOAD_BYTES, parseRegularConfig, regularSummary, type Availability, type RegularConfig, type RegularState } from './regularActionRules.js';

// The pure rules moved to regularActionRules.ts (the Chaster mappers read them without this service).
export * from './regularActionRules.js';

export function createRegularActionService({ db, clock, ids, dialect }: ServiceDeps & { dialect: DialectName }) {
  function view(config: RegularConfig, a: Availability, actions: Array<{ id: string; payload: string; created_at: number }>) {
    return {
      mode: config.mode,
      regularity: config.mode === 'unlimited' ? null : config.regularitySeconds,
      regularitySeconds: config.mode === 'unlimited' ? null : config.regularitySeconds,
      maxActions: config.mode === 'unlimited' ? null : config.maxActions,
      nbActionsRemaining: a.remaining,
      nextActionDate: isoOrNull(a.nextActionAt),
      actions: actions.map((r) => ({ id: r.id, payload: fromJson(r.payload, null), createdAt: iso(r.created_at) })),
    };
  }

  const current = currentAvailability;

  return {
    /** Summary used by session.get and the iframe launch (`regularActionsSummary`). */
    summary(session: ExtensionSessionRow, app: ExtensionAppRow) {
      return regularSummary(session, app, clock.now());
    },

    availabilityOf(session: ExtensionSessionRow, app: ExtensionAppRow) {
      return current(session, app, clock.now()).a;
    },

    async get(session: ExtensionSessionRow, app: ExtensionAppRow) {
      const { config, a } = current(session, app, clock.now());
      return view(config, a, await listRecentRegularActions(db, session.id, 20));
    },

    /** One trusted action; N parallel submissions never accept more than allowed. */
    async submit(sessionId: string, app: ExtensionAppRow, payload: unknown, tx?: Executor) {
      checkJsonDepth(payload, '/payload', 'payload');
      if (Buffer.byteLength(toJson(payload)) > MAX_PAYLOAD_BYTES) throw new ApiError('payload_too_large', `payload may be at most ${MAX_PAYLOAD_BYTES} bytes`);
      return mutateSessionRow(
        db,
        dialect,
        clock,
        sessionId,
        async (row, t) => {
          const now = clock.now();
          const { config, a } = current(row, app, now);
          if (a.remaining === 0) {
            const when = { nbActionsRemaining: 0, nextActionDate: isoOrNull(a.nextActionAt) };
            throw new ApiError('regular_action_unavailable', `No regular action is available until ${when.nextActionDate ?? 'the rule changes'}`, when, undefined, when);
          }
          const next = consume(config, a, row.created_at, now);
          const after = availability(config, next, row.created_at, now);
          const id = ids.objectId();
          await insertRegularAction(t, { id, session_id: row.id, payload: toJson(payload ?? null), created_at: now });
          const result = { action: { id, payload: payload ?? null, createdAt: iso(now) }, nbActionsRemaining: after.remaining, nextActionDate: isoOrNull(after.nextActionAt) };
          return {
            patch: { regular_actions_state: toJson(next) },
            result,
            after: (tx: Executor) => emitWebhookEvent(tx, ids, now, 'regular_action.created', { session: row }, () => result),
          };
        },
        tx,
      );
    },

    async configure(sessionId: string, app: ExtensionAppRow, raw: unknown) {
      const config = parseRegularConfig(raw);
      if (!config) throw new ApiError('invalid_request', 'Send {mode: unlimited|non_cumulative|cumulative, regularitySeconds ≥ 1, maxActions ≥ 1}');
      const row = await mutateSessionRow(db, dialect, clock, sessionId, async (r) => {
        const stored = fromJson<RegularState | null>(r.regular_actions_state, null);
        // Keep what the wearer has earned, within the new cap.
        const state = stored && config.mode === 'cumulative' ? { ...stored, tokens: Math.min(stored.tokens, config.maxActions) } : stored;
        const patch = { regular_actions_config: toJson(config), regular_actions_state: state ? toJson(state) : null };
        const after = (tx: Executor) =>
          emitWebhookEvent(tx, ids, clock.now(), 'extension_session.updated', { session: r }, () => ({
            change: 'regular_actions_config',
            regularActions: { mode: config.mode, regularitySeconds: config.mode === 'unlimited' ? null : config.regularitySeconds, maxActions: config.mode === 'unlimited' ? null : config.maxActions },
          }));
        return { patch, result: { ...r, ...patch }, after };
      });
      return this.get(row, app);
    },
  };
}

export type RegularActionService = ReturnType<typeof createRegularActionService>;
