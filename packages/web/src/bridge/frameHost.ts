/** The parent's `message` listener for one app frame, bound to the app's exact http(s) origin. */
export abstract class FrameMessageHost {
  constructor(origin: string) {
    // The opaque origin "null" (javascript:, data:, sandboxed frames) is never an app's origin.
    if (origin === 'null' || !/^https?:\/\//.test(origin)) throw new Error(`Not an http(s) origin: ${origin}`);
    this.onMessage = this.onMessage.bind(this);
  }

  start(): this {
    window.addEventListener('message', this.onMessage);
    return this;
  }

  stop() {
    window.removeEventListener('message', this.onMessage);
  }

  protected abstract onMessage(event: MessageEvent): void;
}
