import { isPlainObject, type HomeAction, type LaunchPayload } from './protocol.js';

/** The intent of a home-action launch, filled in the way hosts normalize it (spec 002). */
export interface NormalizedIntent {
  type: string;
  title: string;
  message: string;
  payload: Record<string, unknown>;
}

export interface HomeActionLaunch {
  homeActionSlug: string;
  homeAction: HomeAction | null;
  intent: NormalizedIntent;
}

/** Normalizes `payload.intent ?? payload.homeAction.intent`: type `open` by default, title and message from the action. */
export function normalizeIntent(launch: Pick<LaunchPayload, 'intent' | 'homeAction'>): NormalizedIntent {
  const action = launch.homeAction ?? null;
  const raw = (isPlainObject(launch.intent) ? launch.intent : isPlainObject(action?.intent) ? action!.intent : null) as Record<string, unknown> | null;
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    type: s(raw?.type) || 'open',
    title: s(raw?.title) ?? action?.title ?? '',
    message: s(raw?.message) ?? action?.description ?? '',
    payload: isPlainObject(raw?.payload) ? raw.payload : {},
  };
}

const handledInPage = new Set<string>();

export interface TakeIntentOptions {
  /** Where handled `lockId:slug` keys are remembered. Default: one set for the page. */
  handled?: Set<string>;
}

/**
 * The home action this launch was opened for, once per lock and action slug: the first call
 * returns `{homeActionSlug, homeAction, intent}`, later calls (re-renders, a second bridge)
 * return null, as do launches not opened from a home action.
 */
export function takeHomeActionIntent(launch: LaunchPayload, options: TakeIntentOptions = {}): HomeActionLaunch | null {
  const slug = launch.homeActionSlug ?? launch.homeAction?.slug;
  if (typeof slug !== 'string' || slug === '') return null;
  const handled = options.handled ?? handledInPage;
  const key = `${launch.lockId}:${slug}`;
  if (handled.has(key)) return null;
  handled.add(key);
  return { homeActionSlug: slug, homeAction: launch.homeAction ?? null, intent: normalizeIntent(launch) };
}
