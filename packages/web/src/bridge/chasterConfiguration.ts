/**
 * The parent side of Chaster's configuration page protocol (DECISIONS §14, Chaster's
 * "Configuration page" docs): messages are JSON strings. The page says `partner_configuration`
 * `capabilities {features:{save}}`, `save_loading`, `save_success`, `save_failed`; the host says
 * `{type:"chaster", event:"partner_configuration_save"}` when its Save button is clicked.
 * A message counts only from the frame's own window and the app's exact origin; the host posts
 * to that origin only, never `*`.
 */
import { FrameMessageHost } from './frameHost.js';

export const CHASTER_SAVE_MESSAGE = JSON.stringify({ type: 'chaster', event: 'partner_configuration_save' });

export type ConfigurationEvent = 'capabilities' | 'save_loading' | 'save_success' | 'save_failed';

export interface ChasterConfigurationHostOptions {
  iframe: HTMLIFrameElement;
  origin: string;
  onEvent: (event: ConfigurationEvent, payload: unknown) => void;
  onLog?: (reason: string) => void;
}

const EVENTS: readonly string[] = ['capabilities', 'save_loading', 'save_success', 'save_failed'];

/** The configuration page URL with Chaster's hash: `{partnerConfigurationToken, extensionSlug}`, URI-encoded JSON. */
export function configurationPageUrl(url: string, partnerConfigurationToken: string, extensionSlug: string): string {
  return `${url.split('#')[0]}#${encodeURIComponent(JSON.stringify({ partnerConfigurationToken, extensionSlug }))}`;
}

/** The main page URL with Chaster's hash: `{mainToken, extensionSlug}` (and the home action's slug when one was clicked). */
export function chasterMainPageUrl(url: string, hash: { mainToken: string; extensionSlug: string; homeActionSlug?: string }): string {
  return `${url.split('#')[0]}#${encodeURIComponent(JSON.stringify(hash))}`;
}

export class ChasterConfigurationHost extends FrameMessageHost {
  constructor(private readonly opts: ChasterConfigurationHostOptions) {
    super(opts.origin);
  }

  /** The Save button: the page saves through its backend, then says `save_success`. */
  requestSave() {
    this.opts.iframe.contentWindow?.postMessage(CHASTER_SAVE_MESSAGE, this.opts.origin);
  }

  protected onMessage(event: MessageEvent) {
    // iframe-resizer's own messages ("[iFrameSizer]…") share the channel; they are its library's.
    if (typeof event.data !== 'string' || !event.data.startsWith('{')) return;
    let msg: unknown;
    try {
      msg = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    const { type, event: name, payload } = msg as { type?: unknown; event?: unknown; payload?: unknown };
    if (type !== 'partner_configuration') return;
    if (event.source === null || event.source !== this.opts.iframe.contentWindow) return this.opts.onLog?.('dropped configuration message from another window');
    if (event.origin !== this.opts.origin) return this.opts.onLog?.(`dropped configuration message from ${event.origin}`);
    if (typeof name !== 'string' || !EVENTS.includes(name)) return this.opts.onLog?.(`unknown configuration event ${String(name)}`);
    this.opts.onEvent(name as ConfigurationEvent, payload);
  }
}
