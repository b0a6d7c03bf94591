import { LatchAbortError, LatchApiError, LatchError, LatchNetworkError, LatchTimeoutError, parseErrorBody } from './errors.js';

/** `fetch` or anything shaped like it (a wrapper that logs, a test double). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 = none). */
  retries: number;
  /** Backoff before the first retry, doubled (`factor`) each time (default 250 ms). */
  minDelayMs: number;
  /** Upper bound of one backoff delay (default 8000 ms). */
  maxDelayMs: number;
  factor: number;
  /** Randomize each backoff delay in [delay/2, delay] so that many clients do not retry in step (default true). */
  jitter: boolean;
  /**
   * The longest `Retry-After` the client waits for; a longer one fails at once with the 429 (its
   * `retryAfterMs` says how long). Default 60 000 ms, the server's rate-limit window.
   */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, minDelayMs: 250, maxDelayMs: 8000, factor: 2, jitter: true, maxRetryAfterMs: 60_000 };

export interface RetryEvent {
  method: string;
  path: string;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  /** How long the client waits before the next attempt. */
  delayMs: number;
  /** The failed attempt's code: `rate_limited`, `network_error`, `timeout`, `conflict` (the same keyed request still running), `service_unavailable`, `http_502`, … */
  reason: string;
  error: LatchError;
  idempotencyKey: string | null;
}

export interface TransportOptions {
  /** The platform's base URL, e.g. `https://latch.example` (a path prefix is kept). */
  baseUrl: string;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Per attempt, until the whole answer is read (default 30 000 ms). */
  timeoutMs?: number;
  /** Retry policy for 429, network errors, timeouts and 502/503/504; `false` turns retries off. */
  retry?: Partial<RetryOptions> | false;
  /** Send an `Idempotency-Key` with every mutation (default true). */
  idempotencyKeys?: boolean;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Called before each retry (logging, metrics). */
  onRetry?: (event: RetryEvent) => void;
}

export interface RequestOptions {
  timeoutMs?: number;
  /** Aborts the call, its retries and its backoff waits. */
  signal?: AbortSignal;
  /**
   * The mutation's `Idempotency-Key`: a string of your own (e.g. derived from your job id, so a
   * retry after your process restarts still applies once), `false` for none, or omitted for a
   * fresh random one. The same key is reused by the client's own retries.
   */
  idempotencyKey?: string | false;
  retry?: Partial<RetryOptions> | false;
  headers?: Record<string, string>;
}

export interface CallSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path template such as `/api/extensions/sessions/{sessionId}/state`. */
  path: string;
  params?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** A POST that only reads (search): no idempotency key, retried like a GET. */
  safe?: boolean;
}

export interface CallResult<T> {
  data: T;
  status: number;
  headers: Headers;
  requestId: string | null;
  attempts: number;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

export function newIdempotencyKey(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  // randomUUID exists only in secure contexts in browsers; getRandomValues everywhere.
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function backoffDelay(retry: RetryOptions, attempt: number, random = Math.random): number {
  const base = Math.min(retry.maxDelayMs, retry.minDelayMs * retry.factor ** Math.max(0, attempt - 1));
  return Math.round(retry.jitter ? base / 2 + random() * (base / 2) : base);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function expandPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (typeof v !== 'string' || v === '') throw new TypeError(`${template}: the path parameter ${name} is missing`);
    return encodeURIComponent(v);
  });
}

/**
 * The HTTP core shared by both clients: JSON in and out, credentials as headers, per-attempt
 * timeouts, bounded exponential backoff, `Retry-After`, and one `Idempotency-Key` per mutation
 * reused across its retries (so a mutation whose answer was lost applies once).
 *
 * What is retried: 429 always (the server refused it before doing anything); network errors,
 * timeouts and 502/503/504 for reads and for mutations that carry an idempotency key; 409
 * `conflict` with `Retry-After` on a keyed mutation (the same request is still running on the
 * server). Nothing else: a 4xx is an answer.
 */
export class Transport {
  private readonly baseUrl: string;
  private readonly retry: RetryOptions | false;

  constructor(private readonly opts: TransportOptions) {
    if (typeof opts.baseUrl !== 'string' || !/^https?:\/\//i.test(opts.baseUrl)) throw new TypeError(`baseUrl must be an http(s) URL, got ${String(opts.baseUrl)}`);
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.retry = opts.retry === false ? false : { ...DEFAULT_RETRY, ...opts.retry };
  }

  async call<T>(spec: CallSpec, options: RequestOptions = {}): Promise<CallResult<T>> {
    const { method } = spec;
    const path = expandPath(spec.path, spec.params);
    const url = this.baseUrl + path;
    const mutation = method !== 'GET' && !spec.safe;
    const keysOn = this.opts.idempotencyKeys !== false;
    const idempotencyKey = !mutation || options.idempotencyKey === false ? null : typeof options.idempotencyKey === 'string' ? options.idempotencyKey : keysOn ? newIdempotencyKey() : null;
    const retry: RetryOptions | false = options.retry === false ? false : options.retry ? { ...(this.retry || DEFAULT_RETRY), ...options.retry } : this.retry;
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs ?? 30_000;
    const fetchFn: FetchLike = this.opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    // A request that may run twice must be safe to run twice.
    const replayable = !mutation || idempotencyKey !== null;

    const headers: Record<string, string> = { accept: 'application/json', ...this.opts.headers, ...spec.headers, ...options.headers };
    let payload: string | FormData | undefined;
    if (typeof FormData !== 'undefined' && spec.body instanceof FormData) {
      payload = spec.body; // fetch sets multipart/form-data with its boundary
    } else if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(spec.body);
    }
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;

    for (let attempt = 1; ; attempt++) {
      const info = { method, path, attempts: attempt, idempotencyKey };
      if (options.signal?.aborted) throw new LatchAbortError(options.signal.reason, info);
      let error: LatchError;
      let retryAfterMs: number | null = null;
      let retryable = false;

      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const onCallerAbort = () => controller.abort(options.signal!.reason);
      options.signal?.addEventListener('abort', onCallerAbort, { once: true });
      try {
        const res = await fetchFn(url, { method, headers, body: payload, signal: controller.signal });
        const text = await res.text();
        const requestId = res.headers.get('x-request-id');
        let body: unknown = null;
        if (text !== '') {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        if (res.ok) return { data: body as T, status: res.status, headers: res.headers, requestId, attempts: attempt };
        const parsed = parseErrorBody(res.status, body, requestId);
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        error = new LatchApiError(res.status, parsed.code, parsed.message, { ...info, requestId: parsed.requestId, details: parsed.details, body, retryAfterMs });
        retryable =
          res.status === 429 ||
          (RETRYABLE_STATUS.has(res.status) && replayable) ||
          (res.status === 409 && parsed.code === 'conflict' && idempotencyKey !== null && retryAfterMs !== null);
      } catch (err) {
        if (options.signal?.aborted) throw new LatchAbortError(options.signal.reason, info);
        error = timedOut ? new LatchTimeoutError(timeoutMs, info) : new LatchNetworkError(err, info);
        retryable = replayable;
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onCallerAbort);
      }

      if (!retryable || retry === false || attempt > retry.retries) throw error;
      // A server that asks for a longer wait than the caller allows: fail now, with retryAfterMs on the error.
      if (retryAfterMs !== null && retryAfterMs > retry.maxRetryAfterMs) throw error;
      const delayMs = retryAfterMs ?? backoffDelay(retry, attempt);
      this.opts.onRetry?.({ method, path, attempt, delayMs, reason: error.code, error, idempotencyKey });
      try {
        await sleep(delayMs, options.signal);
      } catch (reason) {
        throw new LatchAbortError(reason, info);
      }
    }
  }
}
