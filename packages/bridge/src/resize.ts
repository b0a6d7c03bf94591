import { RESIZE } from './protocol.js';

export interface AutoResizeOptions {
  /** Measure this element instead of the whole document. */
  element?: Element;
  /** Pixels added to the measured height (e.g. for a focus ring that overflows). Default 0. */
  extra?: number;
}

/** The page's content height: the root box, or the body with its margins and overflow when that is taller. */
export function measureHeight(element?: Element): number {
  if (element) return Math.ceil(element.getBoundingClientRect().height);
  const root = document.documentElement;
  let h = root.getBoundingClientRect().height;
  const body = document.body;
  if (body) {
    const cs = getComputedStyle(body);
    h = Math.max(h, body.scrollHeight + (parseFloat(cs.marginTop) || 0) + (parseFloat(cs.marginBottom) || 0));
  }
  return Math.ceil(h);
}

/**
 * Tells the host the page's height (`chastify:ext:resize {nonce, height}`) now and whenever it
 * changes (ResizeObserver, coalesced to one message per frame, only when the height changed).
 * Returns a function that stops it.
 */
export function startAutoResize(post: (message: Record<string, unknown>) => void, nonce: string, options: AutoResizeOptions = {}): () => void {
  let last = -1;
  let cancel: (() => void) | null = null;
  const send = () => {
    cancel = null;
    const height = measureHeight(options.element) + (options.extra ?? 0);
    if (height === last) return;
    last = height;
    post({ type: RESIZE, nonce, height });
  };
  const schedule = () => {
    if (cancel) return;
    if (typeof requestAnimationFrame === 'function') {
      const id = requestAnimationFrame(send);
      cancel = () => cancelAnimationFrame(id);
    } else {
      const id = setTimeout(send, 16);
      cancel = () => clearTimeout(id);
    }
  };
  send();
  if (typeof ResizeObserver === 'undefined') {
    window.addEventListener('resize', schedule);
    return () => {
      window.removeEventListener('resize', schedule);
      cancel?.();
    };
  }
  const observer = new ResizeObserver(schedule);
  if (options.element) observer.observe(options.element);
  else {
    observer.observe(document.documentElement);
    if (document.body) observer.observe(document.body);
  }
  return () => {
    observer.disconnect();
    cancel?.();
  };
}
