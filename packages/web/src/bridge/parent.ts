import { MUTATIONS, READ_ACTIONS, REQ, RESIZE, RESP, THEME, isPlainObject } from './protocol.js';
import type { BridgeUi } from '../theme.js';

export interface BridgeLogEntry {
  at: number;
  direction: 'in' | 'out' | 'drop';
  type?: string;
  action?: string;
  id?: string;
  ok?: boolean;
  code?: string;
  reason?: string;
  requestId?: string | null;
}

export interface FetchResult {
  status: number;
  body: unknown;
  requestId: string | null;
}

export interface BridgeHostOptions {
  /** The extension's iframe: only messages from its window are heard. */
  iframe: HTMLIFrameElement;
  /** The one origin the iframe was loaded from (registered for the app): requests from elsewhere are dropped, answers go only there. */
  origin: string;
  nonce: string;
  sessionId: string;
  /** Runs a read action's GET with the launch token (the host page's API access). */
  get: (path: string) => Promise<FetchResult>;
  onResize?: (height: number) => void;
  onLog?: (entry: BridgeLogEntry) => void;
  /** Work the host will queue before answering `rate_limited` (a burst must not freeze the page). */
  maxQueued?: number;
  maxInFlight?: number;
}

type Response = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

/**
 * The parent-side bridge router (DECISIONS §9). A message is accepted only if it comes from the
 * iframe's own window, from the app's exact origin, with type `chastify:ext:req`, `v` 1, the
 * launch nonce and a string `id` ≤ 128 chars. Reads run through the API with the launch token;
 * every mutation answers `server_credentials_required`; unknown actions `unknown_action`.
 * Answers go to that exact origin only, never `*`.
 */
export class BridgeHost {
  private readonly opts: Required<Pick<BridgeHostOptions, 'maxQueued' | 'maxInFlight'>> & BridgeHostOptions;
  private inFlight = 0;
  private readonly queue: Array<() => Promise<void>> = [];
  private stopped = false;

  constructor(opts: BridgeHostOptions) {
    // The opaque origin "null" (javascript:, data:, sandboxed frames) is never an app's origin.
    if (opts.origin === 'null' || !/^https?:\/\//.test(opts.origin)) throw new Error(`Not an http(s) origin: ${opts.origin}`);
    this.opts = { maxQueued: 64, maxInFlight: 4, ...opts };
    this.onMessage = this.onMessage.bind(this);
  }

  start(): this {
    window.addEventListener('message', this.onMessage);
    return this;
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('message', this.onMessage);
    this.queue.length = 0;
  }

  /** Live theme updates while the iframe is open. */
  sendTheme(ui: BridgeUi): void {
    this.post({ type: THEME, v: 1, nonce: this.opts.nonce, ui });
  }

  private log(entry: Omit<BridgeLogEntry, 'at'>) {
    this.opts.onLog?.({ at: Date.now(), ...entry });
  }

  private post(message: Record<string, unknown>) {
    const target = this.opts.iframe.contentWindow;
    if (!target || this.stopped) return;
    target.postMessage(message, this.opts.origin);
  }

  private respond(id: string, action: string, r: Response, requestId: string | null = null) {
    this.post({ type: RESP, v: 1, id, ...r });
    this.log({ direction: 'out', type: RESP, action, id, ok: r.ok, ...(r.ok ? {} : { code: r.error.code }), requestId });
  }

  private onMessage(event: MessageEvent) {
    if (this.stopped) return;
    // Source first: a message from any other window is not ours to look at.
    if (event.source !== this.opts.iframe.contentWindow || event.source === null) return this.log({ direction: 'drop', reason: 'another window' });
    if (event.origin === 'null' || event.origin !== this.opts.origin) return this.log({ direction: 'drop', reason: `origin ${event.origin}` });
    const msg: unknown = event.data;
    if (!isPlainObject(msg)) return this.log({ direction: 'drop', reason: 'not an object' });
    if (msg.type === RESIZE) {
      if (msg.nonce !== this.opts.nonce) return this.log({ direction: 'drop', type: RESIZE, reason: 'nonce' });
      const h = msg.height;
      if (typeof h === 'number' && Number.isFinite(h) && h >= 0) this.opts.onResize?.(Math.min(Math.round(h), 20_000));
      return;
    }
    if (msg.type !== REQ) return this.log({ direction: 'drop', reason: `type ${String(msg.type).slice(0, 40)}` });
    if (msg.v !== 1) return this.log({ direction: 'drop', type: REQ, reason: 'version' });
    if (msg.nonce !== this.opts.nonce) return this.log({ direction: 'drop', type: REQ, reason: 'nonce' });
    if (typeof msg.id !== 'string' || msg.id.length === 0 || msg.id.length > 128) return this.log({ direction: 'drop', type: REQ, reason: 'id' });
    const id = msg.id;
    const action = typeof msg.action === 'string' ? msg.action.slice(0, 64) : '';
    this.log({ direction: 'in', type: REQ, action, id });
    if (msg.payload !== undefined && !isPlainObject(msg.payload)) {
      return this.respond(id, action, { ok: false, error: { code: 'invalid_request', message: 'payload must be an object' } });
    }
    const payload = (msg.payload ?? {}) as Record<string, unknown>;
    if (Object.hasOwn(MUTATIONS, action)) {
      return this.respond(id, action, {
        ok: false,
        error: { code: 'server_credentials_required', message: `${action} changes the session: call ${MUTATIONS[action]} from your backend with your app-scoped key and the main token` },
      });
    }
    const route = Object.hasOwn(READ_ACTIONS, action) ? READ_ACTIONS[action]! : null;
    if (!route) return this.respond(id, action, { ok: false, error: { code: 'unknown_action', message: `Unknown bridge action "${action}"` } });
    const path = route(this.opts.sessionId, payload);
    if (!path) return this.respond(id, action, { ok: false, error: { code: 'invalid_request', message: `${action}: invalid payload` } });
    if (this.queue.length >= this.opts.maxQueued) {
      return this.respond(id, action, { ok: false, error: { code: 'rate_limited', message: 'Too many bridge requests at once; slow down' } });
    }
    this.queue.push(() => this.run(id, action, path));
    this.pump();
  }

  private pump() {
    while (this.inFlight < this.opts.maxInFlight && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.inFlight++;
      void job().finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(id: string, action: string, path: string) {
    try {
      const res = await this.opts.get(path);
      if (res.status >= 200 && res.status < 300) return this.respond(id, action, { ok: true, data: res.body }, res.requestId);
      const b = (isPlainObject(res.body) ? res.body : {}) as { code?: unknown; message?: unknown };
      this.respond(id, action, { ok: false, error: { code: typeof b.code === 'string' ? b.code : `http_${res.status}`, message: typeof b.message === 'string' ? b.message : `HTTP ${res.status}` } }, res.requestId);
    } catch {
      this.respond(id, action, { ok: false, error: { code: 'network_error', message: 'The host could not reach the server' } });
    }
  }
}
