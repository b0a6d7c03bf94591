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

export type RegularMode = 'unlimited' | 'non_cumulative' | 'cumulative';

export interface RegularConfig {
  mode: RegularMode;
  regularitySeconds: number;
  maxActions: number;
}

/** Cumulative: a token bucket; non-cumulative: the window last used. */
export interface RegularState {
  tokens: number;
  refilledAt: number;
  lastWindow: number | null;
}

export const UNLIMITED: RegularConfig = { mode: 'unlimited', regularitySeconds: 0, maxActions: 0 };
export const MAX_PAYLOAD_BYTES = 16 * 1024;

export function parseRegularConfig(raw: unknown): RegularConfig | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (r.mode === 'unlimited') return UNLIMITED;
  if (r.mode !== 'non_cumulative' && r.mode !== 'cumulative') return null;
  const regularitySeconds = Number(r.regularitySeconds ?? r.regularity);
  if (!Number.isInteger(regularitySeconds) || regularitySeconds < 1) return null;
  const maxActions = r.mode === 'non_cumulative' ? 1 : Number(r.maxActions ?? 1);
  if (!Number.isInteger(maxActions) || maxActions < 1) return null;
  return { mode: r.mode, regularitySeconds, maxActions };
}

/** The session's regular-action rule: set at runtime, else from its install config, else the app's default. */
export function regularConfigOf(session: ExtensionSessionRow, app: ExtensionAppRow): RegularConfig {
  return (
    parseRegularConfig(fromJson(session.regular_actions_config, null)) ??
    parseRegularConfig(fromJson<{ regularActions?: unknown }>(session.config, {}).regularActions) ??
    parseRegularConfig(app.regular_actions) ??
    UNLIMITED
  );
}

export interface Availability {
  /** -1 when unlimited. */
  remaining: number;
  /** When the next action becomes available; null while one is available now (or unlimited). */
  nextActionAt: number | null;
  state: RegularState;
}

/**
 * DECISIONS §7. Windows and the bucket are anchored at the session start. `non_cumulative`: one
 * action per window of `regularitySeconds`. `cumulative`: a bucket that starts with 1 token,
 * gains 1 every `regularitySeconds` (the clock pauses while it is full), capped at `maxActions`.
 */
export function availability(config: RegularConfig, stored: RegularState | null, anchor: number, now: number): Availability {
  const state: RegularState = stored ?? { tokens: 1, refilledAt: anchor, lastWindow: null };
  if (config.mode === 'unlimited') return { remaining: -1, nextActionAt: null, state };
  const period = config.regularitySeconds * 1000;
  if (config.mode === 'non_cumulative') {
    const window = Math.floor((now - anchor) / period);
    const used = state.lastWindow === window;
    return { remaining: used ? 0 : 1, nextActionAt: used ? anchor + (window + 1) * period : null, state };
  }
  let { tokens, refilledAt } = state;
  tokens = Math.min(tokens, config.maxActions);
  if (tokens < config.maxActions) {
    const gained = Math.floor((now - refilledAt) / period);
    if (gained > 0) {
      tokens = Math.min(config.maxActions, tokens + gained);
      refilledAt = tokens >= config.maxActions ? now : refilledAt + gained * period;
    }
  }
  const next = { tokens, refilledAt, lastWindow: state.lastWindow };
  return { remaining: tokens, nextActionAt: tokens > 0 ? null : refilledAt + period, state: next };
}

/** The state after one action at `now` (the caller checked one is available). */
export function consume(config: RegularConfig, a: Availability, anchor: number, now: number): RegularState {
  if (config.mode === 'unlimited') return a.state;
  if (config.mode === 'non_cumulative') return { ...a.state, lastWindow: Math.floor((now - anchor) / (config.regularitySeconds * 1000)) };
  // Taking from a full bucket starts its refill clock now.
  const refilledAt = a.state.tokens >= config.maxActions ? now : a.state.refilledAt;
  return { ...a.state, tokens: a.state.tokens - 1, refilledAt };
}

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

  function current(session: ExtensionSessionRow, app: ExtensionAppRow, now: number) {
    const config = regularConfigOf(session, app);
    return { config, a: availability(config, fromJson<RegularState | null>(session.regular_actions_state, null), session.created_at, now) };
  }

  return {
    /** Summary used by session.get and the iframe launch (`regularActionsSummary`). */
    summary(session: ExtensionSessionRow, app: ExtensionAppRow) {
      const { config, a } = current(session, app, clock.now());
      return { mode: config.mode, nbActionsRemaining: a.remaining, nextActionDate: isoOrNull(a.nextActionAt) };
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
