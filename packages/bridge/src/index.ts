/**
 * @latch/bridge: the iframe side of the Chastify extension bridge, for latch and Chastify hosts
 * alike (same protocol). No runtime dependencies.
 *
 *   import { createBridge, takeHomeActionIntent } from '@latch/bridge';
 *   const bridge = createBridge();            // reads + clears the launch hash, theme, auto-resize
 *   const session = await bridge.session.get();
 *   const intent = takeHomeActionIntent(bridge.launch);
 */
export { Bridge, createBridge, type BridgeOptions, type BridgeRequestOptions } from './client.js';
export { BridgeError } from './errors.js';
export { isOrigin, parseLaunchHash, parseLaunchPayload, readLaunch, type ReadLaunchOptions } from './launch.js';
export { normalizeIntent, takeHomeActionIntent, type HomeActionLaunch, type NormalizedIntent, type TakeIntentOptions } from './intent.js';
export { measureHeight, startAutoResize, type AutoResizeOptions } from './resize.js';
export { applyTheme, isDarkUi, themeVariables, type ApplyThemeOptions } from './theme.js';
export { createSetupPage, SetupPage, type SetupConfig, type SetupPageOptions } from './setup.js';
export * from './protocol.js';
