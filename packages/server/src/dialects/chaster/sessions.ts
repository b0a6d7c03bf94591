import type { HomeAction } from '@latch/protocol';
import { fromJson } from '../../db/json.js';
import type { ExtensionAppRow, ExtensionSessionRow } from '../../db/types.js';
import { iso } from '../../services/deps.js';
import type { RegularMode } from '../../services/regularActionRules.js';
import type { ChasterHomeAction, ChasterLock, ChasterMetadata, ChasterParty, ChasterRegularActions, ChasterSession } from './wire.js';

/** The icon Chaster shows for an extension; latch apps have none of their own yet. */
export const DEFAULT_EXTENSION_ICON = 'puzzle-piece';

/** Where a session stands with its regular actions (services/regularActions.ts `get`, without the list). */
export interface RegularStatus {
  mode: RegularMode;
  /** Seconds per action; null when unlimited. */
  regularity: number | null;
  /** -1 when unlimited. */
  nbActionsRemaining: number;
  nextActionDate: string | null;
}

/** One installation of an app on a lock, as the Chaster mappers read it. */
export interface ChasterInstall {
  session: ExtensionSessionRow;
  app: Pick<ExtensionAppRow, 'slug' | 'name' | 'description'>;
  regular: RegularStatus;
}

/** Chaster's `PartnerMetadata` of a session's stored metadata: manual blockers are its reasons. */
export function chasterMetadata(stored: string): ChasterMetadata {
  const m = fromJson<{ unlockBlockers?: unknown; homeActions?: unknown }>(stored, {});
  const reasons = Array.isArray(m.unlockBlockers) ? m.unlockBlockers.filter((b): b is string => typeof b === 'string') : [];
  const actions = Array.isArray(m.homeActions) ? (m.homeActions as HomeAction[]) : [];
  return { reasonsPreventingUnlocking: reasons, homeActions: actions.map(chasterHomeAction) } satisfies ChasterMetadata;
}

export function chasterHomeAction(a: HomeAction): ChasterHomeAction {
  return { slug: a.slug, title: a.title, description: a.description ?? '', icon: a.icon ?? DEFAULT_EXTENSION_ICON, ...(a.badge !== undefined ? { badge: a.badge } : {}) } satisfies ChasterHomeAction;
}

/**
 * An installation as Chaster's `ExtensionPartyForPublic` (the lock's `extensions` list). `config`
 * is exactly what was last written (DECISIONS §14: no platform keys added for Chaster).
 */
export function chasterParty({ session, app, regular }: ChasterInstall): ChasterParty {
  return {
    _id: session.id,
    slug: app.slug,
    displayName: app.name,
    summary: app.description,
    subtitle: '',
    icon: DEFAULT_EXTENSION_ICON,
    config: fromJson<Record<string, unknown>>(session.config, {}),
    mode: regular.mode,
    regularity: regular.regularity ?? 0,
    nbActionsRemaining: regular.nbActionsRemaining,
    nextActionDate: regular.mode === 'unlimited' ? null : regular.nextActionDate,
    userData: {},
    isPartner: true,
    textConfig: '',
    createdAt: iso(session.created_at),
    updatedAt: iso(session.updated_at),
  } satisfies ChasterParty;
}

/** Chaster's `ExtensionSessionForPartner`: the party, its `data` (latch's session state), metadata and lock. */
export function chasterSession(install: ChasterInstall, lock: ChasterLock): ChasterSession {
  return {
    ...chasterParty(install),
    sessionId: install.session.id,
    data: fromJson<Record<string, unknown>>(install.session.state, {}),
    metadata: chasterMetadata(install.session.metadata),
    lock,
  } satisfies ChasterSession;
}

/**
 * `GET …/regular-actions` in Chaster's shape. The docs (not the SDK comment) say an unlimited
 * mode's `nextActionDate` is the current date; `regularity` is 0 when there is none.
 */
export function chasterRegularActions(regular: RegularStatus, actions: Array<{ payload: unknown; createdAt: string }>, now: number): ChasterRegularActions {
  return {
    mode: regular.mode,
    regularity: regular.regularity ?? 0,
    nbActionsRemaining: regular.nbActionsRemaining,
    nextActionDate: regular.mode === 'unlimited' ? iso(now) : regular.nextActionDate,
    actions: actions.map((a) => ({ date: a.createdAt, payload: a.payload !== null && typeof a.payload === 'object' ? (a.payload as object) : null })),
  } satisfies ChasterRegularActions;
}

/** The docs' 422 message when no regular action remains (regular actions page). */
export const NO_REGULAR_ACTION_MESSAGE = 'You cannot submit a regular action because you do not have any action remaining. Please wait for the next regular action date and try again.';
