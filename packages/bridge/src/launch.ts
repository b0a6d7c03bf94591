import { BridgeError } from './errors.js';
import { isPlainObject, PROTOCOL_VERSION, type HomeAction, type HomeActionIntent, type LaunchPayload } from './protocol.js';

function decodeBase64Url(s: string): string | null {
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** The JSON in a hash: percent-encoded (what latch and Chastify send), raw, or base64url. */
function decodeHash(raw: string): unknown {
  const attempts: Array<() => string | null> = [
    () => decodeURIComponent(raw),
    () => raw,
    () => decodeBase64Url(raw),
  ];
  for (const attempt of attempts) {
    try {
      const text = attempt();
      if (text === null) continue;
      const trimmed = text.trim();
      if (!trimmed.startsWith('{')) continue;
      return JSON.parse(trimmed);
    } catch {
      // try the next encoding
    }
  }
  throw new BridgeError('invalid_launch', 'The launch payload in the address is not JSON (expected #<encodeURIComponent(JSON)>)');
}

/** An exact http(s) origin such as `https://chastify.net` (no path, no trailing slash). */
export function isOrigin(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === value;
  } catch {
    return false;
  }
}

const str = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

function intentOf(v: unknown): HomeActionIntent | undefined {
  if (!isPlainObject(v) || !str(v.type, 200)) return undefined;
  return { ...v, type: v.type } as HomeActionIntent;
}

function homeActionOf(v: unknown): HomeAction | undefined {
  if (!isPlainObject(v) || !str(v.slug, 200)) return undefined;
  const intent = intentOf(v.intent);
  const { intent: _dropped, ...rest } = v;
  return { ...rest, slug: v.slug, title: typeof v.title === 'string' ? v.title : v.slug, ...(intent ? { intent } : {}) } as HomeAction;
}

/**
 * Parses and validates a launch payload: `bridge.nonce`, `bridge.parentOrigin` (an exact
 * origin), `sessionId` and `lockId` are required (spec 000 "Required payload values"); optional
 * fields that are malformed are dropped; fields a host adds beyond the documented ones are kept.
 * Throws a `BridgeError` (`invalid_launch`) that says what is wrong.
 */
export function parseLaunchPayload(value: unknown): LaunchPayload {
  const fail = (why: string): never => {
    throw new BridgeError('invalid_launch', `Invalid launch payload: ${why}`);
  };
  if (!isPlainObject(value)) return fail('not a JSON object');
  const bridge = value.bridge;
  if (!isPlainObject(bridge)) return fail('bridge is missing');
  if (bridge.v !== undefined && bridge.v !== PROTOCOL_VERSION) return fail(`bridge.v is ${String(bridge.v)}; this SDK speaks version ${PROTOCOL_VERSION}`);
  if (!str(bridge.nonce, 512)) return fail('bridge.nonce is missing');
  if (!isOrigin(bridge.parentOrigin)) return fail(`bridge.parentOrigin must be an exact http(s) origin, got ${JSON.stringify(bridge.parentOrigin) ?? 'nothing'}`);
  if (!str(value.sessionId, 200)) return fail('sessionId is missing');
  if (!str(value.lockId, 200)) return fail('lockId is missing');

  const out: LaunchPayload = { ...value, bridge: { ...bridge, v: PROTOCOL_VERSION, nonce: bridge.nonce, parentOrigin: bridge.parentOrigin }, sessionId: value.sessionId, lockId: value.lockId };
  for (const key of ['role', 'mainToken', 'homeActionSlug'] as const) if (value[key] !== undefined && !str(value[key])) delete out[key];
  if (value.ui !== undefined && !isPlainObject(value.ui)) delete out.ui;
  const homeAction = homeActionOf(value.homeAction);
  if (homeAction) out.homeAction = homeAction;
  else delete out.homeAction;
  const intent = intentOf(value.intent);
  if (intent) out.intent = intent;
  else delete out.intent;
  return out;
}

/** Parses the launch payload out of a `location.hash` (with or without the leading `#`). */
export function parseLaunchHash(hash: string): LaunchPayload {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (raw === '') throw new BridgeError('missing_launch', 'No launch payload in the address: open this page from the platform (the host puts it in the hash)');
  return parseLaunchPayload(decodeHash(raw));
}

export interface ReadLaunchOptions {
  /** Default: `window.location`. */
  location?: Pick<Location, 'hash' | 'pathname' | 'search'>;
  /** Default: `window.history`. */
  history?: Pick<History, 'replaceState' | 'state'>;
  /**
   * Remove the payload (it holds the launch token) from the address bar with
   * `history.replaceState`, so it does not end up in bookmarks, shares or screenshots. Default true.
   */
  clearHash?: boolean;
}

/**
 * Reads the launch payload from the page's address, validates it and (by default) removes it
 * from the address bar. Throws a `BridgeError` (`missing_launch` / `invalid_launch`).
 */
export function readLaunch(options: ReadLaunchOptions = {}): LaunchPayload {
  const location = options.location ?? window.location;
  const payload = parseLaunchHash(location.hash);
  if (options.clearHash !== false) {
    const history = options.history ?? window.history;
    try {
      history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    } catch {
      // A sandbox that forbids it: the payload stays in the address, nothing else changes.
    }
  }
  return payload;
}
