import { FrameMessageHost } from './frameHost.js';
import { RESIZE, SETUP_CONFIG, SETUP_GET_CONFIG, SETUP_INIT, SETUP_READY, isPlainObject } from './protocol.js';

export interface SetupHostOptions {
  iframe: HTMLIFrameElement;
  origin: string;
  config: Record<string, unknown>;
  context: Record<string, unknown>;
  onConfig: (config: Record<string, unknown>) => void;
  /** The page's content height in CSS pixels (`chastify:ext:resize {height}`), clamped. */
  onResize?: (height: number) => void;
  onLog?: (reason: string) => void;
}

const MAX_CONFIG_BYTES = 64 * 1024;
export const SETUP_MIN_HEIGHT = 120;
export const SETUP_MAX_HEIGHT = 2000;

/**
 * The setup-page protocol (spec 000, DECISIONS §9): the parent sends `setup:init {config,
 * context}` whenever the page says `setup:ready`, and on load to a page that did not; the page
 * sends `setup:config {config}`. Setup pages in the wild send no nonce, so only the source window
 * and the exact origin are checked. A setup page may also report its height with
 * `chastify:ext:resize {height}` (nonce optional: a setup page has no launch).
 */
/**
 * How long after the frame's load event the host waits for `setup:ready` before it sends an
 * init unasked. In Chromium a cross-site frame's `setup:ready`, posted while the page's script
 * runs, reaches the parent after the load event; answering both would send two inits, and the
 * second can land after the user started typing.
 */
export const SETUP_LOAD_INIT_GRACE_MS = 250;

export class SetupHost extends FrameMessageHost {
  private readySinceLoad = false;
  private loadInitTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: SetupHostOptions) {
    super(opts.origin);
  }

  override stop() {
    super.stop();
    this.cancelLoadInit();
  }

  private cancelLoadInit() {
    if (this.loadInitTimer !== null) clearTimeout(this.loadInitTimer);
    this.loadInitTimer = null;
  }

  init() {
    this.opts.iframe.contentWindow?.postMessage({ type: SETUP_INIT, config: this.opts.config, context: this.opts.context }, this.opts.origin);
  }

  /**
   * The frame's load event. A page that already said `setup:ready` got its init then; a second
   * one now could arrive after the user started typing and reset the form to an older config.
   * A page that has not asked yet is sent one after SETUP_LOAD_INIT_GRACE_MS, unless its
   * `setup:ready` arrives first (pages that never send it still get their init).
   */
  loaded() {
    this.cancelLoadInit();
    if (this.readySinceLoad) {
      this.settleLoadInit('not-needed');
    } else {
      this.opts.iframe.dataset.loadInit = 'pending';
      this.loadInitTimer = setTimeout(() => {
        this.loadInitTimer = null;
        this.init();
        this.settleLoadInit('sent');
      }, SETUP_LOAD_INIT_GRACE_MS);
    }
    this.readySinceLoad = false;
  }

  /**
   * What the load event came to, on the frame element as `data-load-init`: `not-needed` (the page
   * asked with `setup:ready`) or `sent` (it never asked within the grace). Tools and tests read it
   * instead of guessing how long to wait.
   */
  private settleLoadInit(outcome: 'not-needed' | 'sent') {
    this.opts.iframe.dataset.loadInit = outcome;
  }

  requestConfig() {
    this.opts.iframe.contentWindow?.postMessage({ type: SETUP_GET_CONFIG }, this.opts.origin);
  }

  protected onMessage(event: MessageEvent) {
    if (event.source !== this.opts.iframe.contentWindow || event.source === null) return;
    if (event.origin === 'null' || event.origin !== this.opts.origin) return this.opts.onLog?.(`dropped setup message from ${event.origin}`);
    const msg: unknown = event.data;
    if (!isPlainObject(msg)) return;
    if (msg.type === SETUP_READY) {
      // Before load: the load event sends nothing more. After load, within the grace: the unasked init is not needed.
      this.readySinceLoad = this.loadInitTimer === null;
      if (this.loadInitTimer !== null) this.settleLoadInit('not-needed');
      this.cancelLoadInit();
      return this.init();
    }
    if (msg.type === RESIZE) {
      if (typeof msg.height !== 'number' || !Number.isFinite(msg.height)) return this.opts.onLog?.('resize without a numeric height');
      return this.opts.onResize?.(Math.round(Math.min(SETUP_MAX_HEIGHT, Math.max(SETUP_MIN_HEIGHT, msg.height))));
    }
    if (msg.type === SETUP_CONFIG) {
      if (!isPlainObject(msg.config)) return this.opts.onLog?.('setup config is not an object');
      if (JSON.stringify(msg.config).length > MAX_CONFIG_BYTES) return this.opts.onLog?.('setup config is larger than 64 KiB');
      this.opts.config = msg.config;
      this.opts.onConfig(msg.config);
    }
  }
}
