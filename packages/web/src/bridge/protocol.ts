/** The Chastify iframe bridge protocol (spec 000/002, DECISIONS §9), parent side. */
import { isObjectId, type BridgeReadAction, type PROTOCOL_VERSION } from '@latch/protocol/wire';

export { REQ, RESIZE, RESP, SETUP_CONFIG, SETUP_GET_CONFIG, SETUP_INIT, SETUP_READY, THEME } from '@latch/protocol/wire';

type ReadRoute = (sessionId: string, payload: Record<string, unknown>) => string | null;

/** Read actions the host runs through the API with the launch token (each of the protocol's, no other). */
export const READ_ACTIONS: Record<string, ReadRoute> = {
  'session.get': (s) => `/api/extensions/sessions/${s}`,
  'state.get': (s) => `/api/extensions/sessions/${s}/state`,
  'metadata.get': (s) => `/api/extensions/sessions/${s}/metadata`,
  'regularActions.get': (s) => `/api/extensions/sessions/${s}/regular-actions`,
  'files.capabilities': (s) => `/api/extensions/sessions/${s}/files/capabilities`,
  'files.list': (s) => `/api/extensions/sessions/${s}/files`,
  'files.get': (s, p) => (isObjectId(p.fileId) ? `/api/extensions/sessions/${s}/files/${p.fileId}` : null),
} satisfies Record<BridgeReadAction, ReadRoute>;

/** Every mutation spec 002 names: refused in the browser, with the backend route to use instead. */
export const MUTATIONS: Record<string, string> = {
  'state.put': 'PUT /api/extensions/sessions/:sessionId/state',
  'state.patch': 'PATCH /api/extensions/sessions/:sessionId/state',
  'metadata.patch': 'PATCH /api/extensions/sessions/:sessionId/metadata',
  'lock.applyTime': 'POST /api/extensions/sessions/:sessionId/action (add_time / remove_time)',
  'lock.freeze': 'POST /api/extensions/sessions/:sessionId/action (freeze)',
  'lock.unfreeze': 'POST /api/extensions/sessions/:sessionId/action (unfreeze)',
  'lock.action': 'POST /api/extensions/sessions/:sessionId/action',
  'lock.settings.patch': 'POST /api/extensions/sessions/:sessionId/action (settings.patch)',
  'task.assign': 'POST /api/extensions/sessions/:sessionId/action (task.assign)',
  'task.start_timer': 'POST /api/extensions/sessions/:sessionId/action (task.start_timer)',
  'task.complete': 'POST /api/extensions/sessions/:sessionId/action (task.complete)',
  'hygienic_unlock.start': 'POST /api/extensions/sessions/:sessionId/action (hygienic_unlock.start)',
  'pillory.end': 'POST /api/extensions/sessions/:sessionId/action (pillory.end)',
  'notifications.custom': 'POST /api/extensions/sessions/:sessionId/notifications/custom',
  'logs.custom': 'POST /api/extensions/sessions/:sessionId/logs/custom',
  'device.command': 'POST /api/extensions/sessions/:sessionId/device-command',
  'regularActions.submit': 'POST /api/extensions/sessions/:sessionId/regular-actions',
  'regularActions.config': 'PATCH /api/extensions/sessions/:sessionId/regular-actions/config',
  'requirements.progress': 'POST /api/extensions/sessions/:sessionId/requirements/progress',
  'attempts.start': 'POST /api/extensions/sessions/:sessionId/attempts/start',
  'attempts.failExpired': 'POST /api/extensions/sessions/:sessionId/attempts/fail-expired',
  'files.upload': 'POST /api/extensions/sessions/:sessionId/files',
  'files.delete': 'DELETE /api/extensions/sessions/:sessionId/files/:fileId',
};

export interface LaunchPayload {
  bridge: { v: typeof PROTOCOL_VERSION; nonce: string; parentOrigin: string };
  sessionId: string;
  lockId: string;
  role: 'wearer' | 'keyholder';
  ui: { isDark: boolean; theme: 'light' | 'dark'; bg: string; text: string; border: string };
  mainToken: string;
  homeActionSlug?: string;
  homeAction?: unknown;
  intent?: unknown;
  regularActionsSummary?: unknown;
}

/** A fresh 128-bit nonce per open. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The origin the host may frame and talk to: an http(s) page's own origin, else null. A
 * `javascript:`/`data:`/`blob:` URL is never framed, and the opaque origin "null" (which any
 * sandboxed or data: frame reports) is never accepted as an app's origin.
 */
export function frameableOrigin(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

/** The app's iframe URL with the launch payload as its hash (any hash it had is replaced). */
export function launchUrl(iframeUrl: string, payload: LaunchPayload): string {
  if (!frameableOrigin(iframeUrl)) throw new Error('Only http(s) pages are framed');
  const u = new URL(iframeUrl);
  u.hash = '';
  return `${u.toString()}#${encodeURIComponent(JSON.stringify(payload))}`;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
