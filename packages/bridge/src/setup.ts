import { BridgeError } from './errors.js';
import { isOrigin, parseLaunchHash } from './launch.js';
import { isPlainObject, RESIZE, SETUP_CONFIG, SETUP_GET_CONFIG, SETUP_INIT, SETUP_READY } from './protocol.js';
import { startAutoResize, type AutoResizeOptions } from './resize.js';

export type SetupConfig = Record<string, unknown>;

export interface SetupPageOptions<C extends SetupConfig = SetupConfig> {
  /**
   * Called with the saved config and the context on `chastify:ext:setup:init` (hosts may send it
   * more than once). A repeated init that carries the same config as the one before, arriving
   * after this page sent a different config, crossed that config on its way (the host had not
   * seen it yet): it is not passed on, so it cannot reset what the user typed, and the page's
   * config is sent again.
   */
  onInit?: (config: C, context: Record<string, unknown>) => void;
  /** The config to answer `chastify:ext:setup:get_config` with; default: the last one sent, else the one received. */
  getConfig?: () => C;
  /** The host's origin when you know it. Otherwise it is taken from the launch hash, `location.ancestorOrigins`, `document.referrer`, or the first `setup:init` from the parent window. */
  parentOrigin?: string;
  /** Only these hosts are listened to and answered (e.g. `['https://chastify.net', 'https://latch.example']`). */
  allowedParentOrigins?: string[];
  /** Send `chastify:ext:setup:ready` at once (default true): the host answers with `setup:init`. */
  ready?: boolean;
  /**
   * Report the page's height to the host (`chastify:ext:resize {height}`) as it changes, so the
   * host can size the setup frame (default true; `false` to turn off, or options).
   */
  autoResize?: boolean | AutoResizeOptions;
  parent?: Window;
  self?: Window;
}

function guessParentOrigin(self: Window): string | null {
  try {
    const launch = parseLaunchHash(self.location.hash);
    return launch.bridge.parentOrigin;
  } catch {
    // setup pages usually get no hash
  }
  const ancestors = (self.location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ancestors && ancestors.length > 0 && isOrigin(ancestors[0])) return ancestors[0]!;
  try {
    const ref = self.document.referrer ? new URL(self.document.referrer).origin : null;
    if (isOrigin(ref)) return ref;
  } catch {
    // no referrer (referrerpolicy no-referrer)
  }
  return null;
}

/**
 * An extension's setup page (spec 000 "setup/config UI", DECISIONS §9): receives
 * `chastify:ext:setup:init {config, context}`, sends `chastify:ext:setup:config {config}`,
 * answers `chastify:ext:setup:get_config`. Messages go only to the host's exact origin (never
 * `*`); before it is known, a config is held and sent once `setup:init` names it.
 */
export class SetupPage<C extends SetupConfig = SetupConfig> {
  private readonly parent: Window;
  private readonly self: Window;
  private origin: string | null;
  private received: C | null = null;
  /** `received` as JSON, to recognise an init that repeats it. */
  private receivedJson: string | null = null;
  private sent: C | null = null;
  /** A config unlike the last init's was sent since that init. */
  private changedSinceInit = false;
  private held: C | null = null;
  private ctx: Record<string, unknown> = {};
  private closed = false;
  private height: number | null = null;
  private stopResize: (() => void) | null = null;

  constructor(private readonly options: SetupPageOptions<C> = {}) {
    this.self = options.self ?? window;
    this.parent = options.parent ?? this.self.parent;
    if (!this.parent || this.parent === this.self) throw new BridgeError('not_in_iframe', 'This setup page is not inside the host’s iframe: open it from the platform');
    if (options.parentOrigin !== undefined && !isOrigin(options.parentOrigin)) throw new BridgeError('invalid_request', `parentOrigin must be an exact http(s) origin, got ${options.parentOrigin}`);
    const guess = options.parentOrigin ?? guessParentOrigin(this.self);
    this.origin = guess && this.allowed(guess) ? guess : null;
    this.onMessage = this.onMessage.bind(this);
    this.self.addEventListener('message', this.onMessage);
    if (options.ready !== false) this.ready();
    if (options.autoResize !== false) {
      const resizeOptions = typeof options.autoResize === 'object' ? options.autoResize : {};
      this.stopResize = startAutoResize((m) => this.reportHeight(m.height as number), '', resizeOptions);
    }
  }

  /** Tells the host the page's height (sent once the host's origin is known). */
  reportHeight(height: number): void {
    if (!Number.isFinite(height)) return;
    this.height = Math.ceil(height);
    if (this.origin && !this.closed) this.parent.postMessage({ type: RESIZE, height: this.height }, this.origin);
  }

  private allowed(origin: string): boolean {
    return !this.options.allowedParentOrigins || this.options.allowedParentOrigins.includes(origin);
  }

  /** The host's origin, once known. */
  get parentOrigin(): string | null {
    return this.origin;
  }

  /** The config as last received from or sent to the host. */
  get config(): C | null {
    return this.sent ?? this.received;
  }

  get context(): Record<string, unknown> {
    return this.ctx;
  }

  /** Asks the host for `setup:init` (sent automatically unless `ready: false`). */
  ready(): void {
    if (this.origin && !this.closed) this.parent.postMessage({ type: SETUP_READY }, this.origin);
  }

  /** Sends the page's config to the host (held until the host's origin is known). */
  sendConfig(config: C): void {
    if (!isPlainObject(config)) throw new TypeError('config must be a plain object');
    this.sent = config;
    if (this.receivedJson !== null && JSON.stringify(config) !== this.receivedJson) this.changedSinceInit = true;
    if (this.closed) return;
    if (!this.origin) {
      this.held = config;
      return;
    }
    this.parent.postMessage({ type: SETUP_CONFIG, config }, this.origin);
  }

  private onMessage(event: MessageEvent): void {
    if (event.source !== this.parent) return;
    const msg: unknown = event.data;
    if (!isPlainObject(msg) || typeof msg.type !== 'string') return;
    if (this.origin === null) {
      // Origin unknown: only the parent's own init may name it.
      if (msg.type !== SETUP_INIT || !isOrigin(event.origin) || !this.allowed(event.origin)) return;
      this.origin = event.origin;
    } else if (event.origin !== this.origin) {
      return;
    }
    if (msg.type === SETUP_INIT) {
      const config = (isPlainObject(msg.config) ? msg.config : {}) as C;
      const json = JSON.stringify(config);
      this.ctx = isPlainObject(msg.context) ? msg.context : {};
      if (this.changedSinceInit && json === this.receivedJson && this.sent) {
        // A stale repeat (see onInit): the host gets the page's config again instead.
        this.parent.postMessage({ type: SETUP_CONFIG, config: this.sent }, this.origin);
        return;
      }
      this.received = config;
      this.receivedJson = json;
      this.changedSinceInit = false;
      if (this.held) {
        const held = this.held;
        this.held = null;
        this.sendConfig(held);
      }
      // A height measured before the host was known has not reached it yet.
      if (this.height !== null) this.reportHeight(this.height);
      this.options.onInit?.(this.received, this.ctx);
    } else if (msg.type === SETUP_GET_CONFIG) {
      const config = this.options.getConfig?.() ?? this.config ?? ({} as C);
      this.parent.postMessage({ type: SETUP_CONFIG, config }, this.origin);
    }
  }

  close(): void {
    this.closed = true;
    this.stopResize?.();
    this.stopResize = null;
    this.self.removeEventListener('message', this.onMessage);
  }
}

export function createSetupPage<C extends SetupConfig = SetupConfig>(options: SetupPageOptions<C> = {}): SetupPage<C> {
  return new SetupPage(options);
}
