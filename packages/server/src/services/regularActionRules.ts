import { fromJson } from '../db/json.js';
import type { ExtensionAppRow, ExtensionSessionRow } from '../db/types.js';
import { isoOrNull } from './deps.js';

/** Regular actions' rules (DECISIONS §7), pure: what a session's rule is and what it allows when. */

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
    parseRegularConfig(fromJson(app.regular_actions, null)) ??
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

/** The session's rule and what it allows at `now`. */
export function currentAvailability(session: ExtensionSessionRow, app: ExtensionAppRow, now: number) {
  const config = regularConfigOf(session, app);
  return { config, a: availability(config, fromJson<RegularState | null>(session.regular_actions_state, null), session.created_at, now) };
}

/** Where a session stands with its regular actions at `now` (session views, the launch, Chaster's extension parties). */
export function regularSummary(session: ExtensionSessionRow, app: ExtensionAppRow, now: number) {
  const { config, a } = currentAvailability(session, app, now);
  return { mode: config.mode, nbActionsRemaining: a.remaining, nextActionDate: isoOrNull(a.nextActionAt) };
}
