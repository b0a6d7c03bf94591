// GENERATED FILE: do not edit. A copy of packages/protocol/src/sdk.ts; regenerate with `npm run generate -w @latch/client`.

/**
 * The wire constants both SDKs need, in a file with no imports: `@latch/bridge` and
 * `@latch/client` ship without runtime dependencies, so `npm run generate -w @latch/client`
 * copies this file into their `src/generated/wire.ts` (a test fails when a copy drifts).
 */

/** The launch token's header on the extension session API (spec 000 "two-token model"). */
export const MAIN_TOKEN_HEADER = 'x-chastify-main-token';

/** Every lock action name of spec 000 ("Supported Command Values"), for `POST …/action` and `/api/apps/v1/action`. */
export const ACTION_NAMES = [
  'add_time',
  'remove_time',
  'freeze',
  'pillory',
  'unfreeze',
  'toggle_freeze',
  'settings.patch',
  'task.assign',
  'task.start_timer',
  'task.complete',
  'hygienic_unlock.start',
  'pillory.end',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];
export const isActionName = (v: unknown): v is ActionName => typeof v === 'string' && (ACTION_NAMES as readonly string[]).includes(v);

/** Device commands (spec 002 `device.command`, DECISIONS §11). */
export const DEVICE_COMMANDS = ['shock.start', 'shock.stop', 'vibration.start', 'vibration.stop', 'all.stop', 'shock.random.set', 'shock.berserk.set'] as const;
export type DeviceCommand = (typeof DEVICE_COMMANDS)[number];
export const isDeviceCommand = (v: unknown): v is DeviceCommand => typeof v === 'string' && (DEVICE_COMMANDS as readonly string[]).includes(v);

/** The iframe bridge's postMessage types (spec 000/002, DECISIONS §9). */
export const REQ = 'chastify:ext:req';
export const RESP = 'chastify:ext:resp';
export const RESIZE = 'chastify:ext:resize';
export const THEME = 'chastify:ext:theme';
export const SETUP_INIT = 'chastify:ext:setup:init';
export const SETUP_READY = 'chastify:ext:setup:ready';
export const SETUP_CONFIG = 'chastify:ext:setup:config';
export const SETUP_GET_CONFIG = 'chastify:ext:setup:get_config';

/** `bridge.v` of the launch payload. */
export const PROTOCOL_VERSION = 1;

/** Bridge read actions the web host runs for an iframe (DECISIONS §9). */
export const BRIDGE_READ_ACTIONS = ['session.get', 'state.get', 'metadata.get', 'regularActions.get', 'files.capabilities', 'files.list', 'files.get'] as const;
export type BridgeReadAction = (typeof BRIDGE_READ_ACTIONS)[number];
