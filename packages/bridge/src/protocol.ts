/**
 * The Chastify iframe bridge protocol (spec 000/002, DECISIONS §9), iframe side: message types,
 * the launch payload, and the read actions with the shapes of their answers (looked up in the
 * generated OpenAPI types of the routes behind them).
 */
import type { paths } from './generated/openapi.js';
import { BRIDGE_READ_ACTIONS as READ_ACTIONS } from './generated/wire.js';

/** The message types and version come from @latch/protocol (a generated copy: this SDK has no runtime dependency). */
export { PROTOCOL_VERSION, REQ, RESIZE, RESP, SETUP_CONFIG, SETUP_GET_CONFIG, SETUP_INIT, SETUP_READY, THEME } from './generated/wire.js';

/** What the host tells the iframe about its look: `ui` in the hash and in `chastify:ext:theme`. */
export interface BridgeUi {
  isDark: boolean;
  theme: 'light' | 'dark';
  bg: string;
  text: string;
  border: string;
  /** Hosts may send more (accent colours, radii, …): kept and applied as CSS variables too. */
  [key: string]: unknown;
}

export interface HomeActionIntent {
  type: string;
  title?: string;
  message?: string;
  payload?: unknown;
}

export interface HomeAction {
  slug: string;
  title: string;
  description?: string;
  icon?: string;
  badge?: string;
  intent?: HomeActionIntent;
}

/** The iframe hash payload (DECISIONS §9): `#` + encodeURIComponent(JSON). */
export interface LaunchPayload {
  bridge: { v: number; nonce: string; parentOrigin: string };
  sessionId: string;
  lockId: string;
  role?: 'wearer' | 'keyholder' | string;
  ui?: BridgeUi;
  /** The launch token: forward it to your backend (never a backend secret, never enough on its own). */
  mainToken?: string;
  homeActionSlug?: string;
  homeAction?: HomeAction;
  intent?: HomeActionIntent;
  regularActionsSummary?: unknown;
  /** Fields a host adds beyond these are kept. */
  [key: string]: unknown;
}

type S = '/api/extensions/sessions/{sessionId}';
type GetJson<P> = P extends keyof paths
  ? paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer B } } } } }
    ? B
    : unknown
  : unknown;

export type SessionData = GetJson<S>;
export type StateData = GetJson<`${S}/state`>;
export type MetadataData = GetJson<`${S}/metadata`>;
export type RegularActionsData = GetJson<`${S}/regular-actions`>;
export type FileCapabilitiesData = GetJson<`${S}/files/capabilities`>;
export type FileListData = GetJson<`${S}/files`>;
export type FileData = GetJson<`${S}/files/{fileId}`>;

/** The read actions the host runs for the iframe, their payloads and the data they answer with. */
export interface BridgeActions {
  'session.get': { payload: Record<string, never>; data: SessionData };
  'state.get': { payload: Record<string, never>; data: StateData };
  'metadata.get': { payload: Record<string, never>; data: MetadataData };
  'regularActions.get': { payload: Record<string, never>; data: RegularActionsData };
  'files.capabilities': { payload: Record<string, never>; data: FileCapabilitiesData };
  'files.list': { payload: Record<string, never>; data: FileListData };
  'files.get': { payload: { fileId: string }; data: FileData };
}
export type BridgeAction = keyof BridgeActions;

export const BRIDGE_READ_ACTIONS: readonly BridgeAction[] = READ_ACTIONS;

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
