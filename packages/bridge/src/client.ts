import { BridgeError } from './errors.js';
import { readLaunch } from './launch.js';
import { isPlainObject, PROTOCOL_VERSION, REQ, RESIZE, RESP, THEME, type BridgeAction, type BridgeActions, type BridgeUi, type LaunchPayload } from './protocol.js';
import { startAutoResize, type AutoResizeOptions } from './resize.js';
import { applyTheme, type ApplyThemeOptions } from './theme.js';

export interface BridgeOptions {
  /** The launch payload; default: `readLaunch()` (which also clears it from the address bar). */
  launch?: LaunchPayload;
  /** Per-request timeout (default 10 000 ms). */
  timeoutMs?: number;
  /** Post `chastify:ext:resize` as the page's height changes (default true). */
  autoResize?: boolean | AutoResizeOptions;
  /** Apply `ui` as CSS variables now and on every `chastify:ext:theme` (default true). */
  theme?: boolean | ApplyThemeOptions;
  /** The host window (default `window.parent`); the page's own window (default `window`). */
  parent?: Window;
  self?: Window;
}

export interface BridgeRequestOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Pending {
  action: string;
  resolve: (data: unknown) => void;
  reject: (err: BridgeError) => void;
  cleanup: () => void;
}

let counter = 0;
function requestId(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  const rand = c && typeof c.getRandomValues === 'function' ? Array.from(c.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('') : Math.random().toString(16).slice(2, 14);
  return `req-${++counter}-${rand}`;
}

/**
 * The iframe side of the bridge. Requests go to the launch's exact `parentOrigin` (never `*`)
 * with its nonce and a fresh id; answers are taken only from the parent window, from that
 * origin, for an id still waiting. Each request has a timeout and fails with a `BridgeError`
 * (`code`, `message`, `id`).
 */
export class Bridge {
  readonly launch: LaunchPayload;
  private readonly parent: Window;
  private readonly self: Window;
  private readonly timeoutMs: number;
  private readonly pending = new Map<string, Pending>();
  private readonly themeListeners = new Set<(ui: BridgeUi) => void>();
  private readonly themeOptions: ApplyThemeOptions | null;
  private stopResize: (() => void) | null = null;
  private closed = false;
  private currentUi: BridgeUi | null;

  constructor(options: BridgeOptions = {}) {
    this.launch = options.launch ?? readLaunch();
    this.self = options.self ?? window;
    this.parent = options.parent ?? this.self.parent;
    if (!this.parent || this.parent === this.self) {
      throw new BridgeError('not_in_iframe', 'This page is not inside the host’s iframe: open it from the platform');
    }
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.currentUi = isPlainObject(this.launch.ui) ? (this.launch.ui as BridgeUi) : null;
    this.onMessage = this.onMessage.bind(this);
    this.self.addEventListener('message', this.onMessage);

    this.themeOptions = options.theme === false ? null : options.theme === true || options.theme === undefined ? {} : options.theme;
    if (this.themeOptions && this.currentUi) applyTheme(this.currentUi, this.themeOptions);
    if (options.autoResize !== false) this.startAutoResize(options.autoResize === true || options.autoResize === undefined ? {} : options.autoResize);
  }

  /** The exact origin every message goes to. */
  get parentOrigin(): string {
    return this.launch.bridge.parentOrigin;
  }

  /** The latest `ui` (from the hash, then from theme updates). */
  get ui(): BridgeUi | null {
    return this.currentUi;
  }

  private post(message: Record<string, unknown>): void {
    this.parent.postMessage(message, this.parentOrigin);
  }

  /** Sends one bridge request; resolves with `data` of an `ok: true` answer. */
  request<A extends BridgeAction>(action: A, payload?: BridgeActions[A]['payload'], options?: BridgeRequestOptions): Promise<BridgeActions[A]['data']>;
  /** Any other action the host may support (answers are untyped). */
  request(action: string, payload?: Record<string, unknown>, options?: BridgeRequestOptions): Promise<unknown>;
  request(action: string, payload: Record<string, unknown> = {}, options: BridgeRequestOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(new BridgeError('bridge_closed', `${action}: the bridge was closed`, null, action));
    if (typeof action !== 'string' || action === '') return Promise.reject(new BridgeError('invalid_request', 'action must be a non-empty string', null, null));
    const id = requestId();
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return reject(new BridgeError('aborted', `${action} was aborted`, id, action));
      const timer = setTimeout(() => {
        this.settle(id)?.reject(
          new BridgeError('timeout', `${action} got no answer from the host within ${timeoutMs} ms (is the page inside the host's iframe, and do the nonce and parentOrigin match?)`, id, action),
        );
      }, timeoutMs);
      const onAbort = () => this.settle(id)?.reject(new BridgeError('aborted', `${action} was aborted`, id, action));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        action,
        resolve,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      });
      this.post({ type: REQ, v: PROTOCOL_VERSION, id, nonce: this.launch.bridge.nonce, action, payload });
    });
  }

  private settle(id: string): Pending | null {
    const p = this.pending.get(id);
    if (!p) return null;
    this.pending.delete(id);
    p.cleanup();
    return p;
  }

  private onMessage(event: MessageEvent): void {
    // Only the host window, from the launch's exact origin.
    if (event.source !== this.parent || event.origin !== this.parentOrigin) return;
    const msg: unknown = event.data;
    if (!isPlainObject(msg)) return;
    if (msg.v !== undefined && msg.v !== PROTOCOL_VERSION) return;
    if (msg.type === RESP) {
      if (typeof msg.id !== 'string') return;
      const p = this.settle(msg.id);
      if (!p) return;
      if (msg.ok === true) return p.resolve(msg.data);
      const error = isPlainObject(msg.error) ? msg.error : {};
      const code = typeof error.code === 'string' && error.code !== '' ? error.code : 'bridge_error';
      const message = typeof error.message === 'string' && error.message !== '' ? error.message : `${p.action} failed (${code})`;
      return p.reject(new BridgeError(code, message, msg.id, p.action));
    }
    if (msg.type === THEME) {
      // latch sends the nonce; a host that does not is still heard (source and origin are checked).
      if (msg.nonce !== undefined && msg.nonce !== this.launch.bridge.nonce) return;
      if (!isPlainObject(msg.ui)) return;
      this.currentUi = msg.ui as BridgeUi;
      if (this.themeOptions) applyTheme(this.currentUi, this.themeOptions);
      for (const listener of this.themeListeners) listener(this.currentUi);
    }
  }

  /** Live theme updates (`chastify:ext:theme`); returns an unsubscribe function. */
  onTheme(listener: (ui: BridgeUi) => void): () => void {
    this.themeListeners.add(listener);
    return () => this.themeListeners.delete(listener);
  }

  /** Starts (or restarts) auto-resize; returns a function that stops it. */
  startAutoResize(options: AutoResizeOptions = {}): () => void {
    this.stopResize?.();
    const stop = startAutoResize((m) => this.post(m), this.launch.bridge.nonce, options);
    this.stopResize = stop;
    return () => {
      stop();
      if (this.stopResize === stop) this.stopResize = null;
    };
  }

  /** Tells the host a height once (for pages that size themselves). */
  resize(height: number): void {
    if (!Number.isFinite(height) || height < 0) throw new RangeError('height must be a non-negative number');
    this.post({ type: RESIZE, nonce: this.launch.bridge.nonce, height: Math.ceil(height) });
  }

  // Typed read actions (spec 000 "Iframe Bridge Commands").
  readonly session = { get: (options?: BridgeRequestOptions) => this.request('session.get', {}, options) };
  readonly state = { get: (options?: BridgeRequestOptions) => this.request('state.get', {}, options) };
  readonly metadata = { get: (options?: BridgeRequestOptions) => this.request('metadata.get', {}, options) };
  readonly regularActions = { get: (options?: BridgeRequestOptions) => this.request('regularActions.get', {}, options) };
  readonly files = {
    capabilities: (options?: BridgeRequestOptions) => this.request('files.capabilities', {}, options),
    list: (options?: BridgeRequestOptions) => this.request('files.list', {}, options),
    get: (fileId: string, options?: BridgeRequestOptions) => this.request('files.get', { fileId }, options),
  };

  /** Stops listening, stops auto-resize, and fails every waiting request with `bridge_closed`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.self.removeEventListener('message', this.onMessage);
    this.stopResize?.();
    this.stopResize = null;
    for (const id of [...this.pending.keys()]) {
      const p = this.settle(id);
      p?.reject(new BridgeError('bridge_closed', `${p.action}: the bridge was closed`, id, p.action));
    }
    this.themeListeners.clear();
  }
}

/** Reads the launch (clearing it from the address bar), connects, applies the theme and starts auto-resize. */
export function createBridge(options: BridgeOptions = {}): Bridge {
  return new Bridge(options);
}
