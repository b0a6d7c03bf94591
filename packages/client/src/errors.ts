/** What went wrong with one call, whatever the cause; every error the client throws is one of these. */
export class LatchError extends Error {
  override name = 'LatchError';
  /** A catalog code (`rate_limited`, `lock_ended`, …) or one of the client's own: `timeout`, `network_error`, `aborted`. */
  readonly code: string;
  /** `x-request-id` of the last answer (quote it when reporting a problem), null when none came. */
  readonly requestId: string | null;
  readonly method: string;
  /** The path called, e.g. `/api/extensions/sessions/…/state`. */
  readonly path: string;
  /** How many times the request was sent. */
  readonly attempts: number;
  /** The `Idempotency-Key` the mutation was sent with: retry it yourself with the same key and it still applies once. */
  readonly idempotencyKey: string | null;

  constructor(code: string, message: string, info: { requestId?: string | null; method: string; path: string; attempts: number; idempotencyKey?: string | null; cause?: unknown }) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.code = code;
    this.requestId = info.requestId ?? null;
    this.method = info.method;
    this.path = info.path;
    this.attempts = info.attempts;
    this.idempotencyKey = info.idempotencyKey ?? null;
  }
}

/**
 * The server answered with an error status. `code` is the catalog code whichever way the body
 * spells it: `"error": "<code>"` on `/api/apps/v1`, `"error": {code, message}` on `/api/extensions`.
 */
export class LatchApiError extends LatchError {
  override name = 'LatchApiError';
  readonly status: number;
  /** `details` of the error body (validation problems, `nbActionsRemaining`, …). */
  readonly details: unknown;
  /** The whole parsed error body (null when it was not JSON). */
  readonly body: unknown;
  /** From `Retry-After`, when the server sent one. */
  readonly retryAfterMs: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    info: { requestId: string | null; details?: unknown; body?: unknown; retryAfterMs?: number | null; method: string; path: string; attempts: number; idempotencyKey?: string | null },
  ) {
    super(code, message, info);
    this.status = status;
    this.details = info.details;
    this.body = info.body ?? null;
    this.retryAfterMs = info.retryAfterMs ?? null;
  }
}

/** No answer within the per-request timeout (after the retries it was allowed). */
export class LatchTimeoutError extends LatchError {
  override name = 'LatchTimeoutError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number, info: { method: string; path: string; attempts: number; idempotencyKey?: string | null }) {
    super('timeout', `${info.method} ${info.path} got no answer within ${timeoutMs} ms${info.attempts > 1 ? ` (${info.attempts} attempts)` : ''}`, info);
    this.timeoutMs = timeoutMs;
  }
}

/** The request never got an HTTP answer: DNS, refused or reset connection, … (`cause` has the underlying error). */
export class LatchNetworkError extends LatchError {
  override name = 'LatchNetworkError';
  constructor(cause: unknown, info: { method: string; path: string; attempts: number; idempotencyKey?: string | null }) {
    const why = cause instanceof Error ? (cause.cause instanceof Error ? `${cause.message}: ${cause.cause.message}` : cause.message) : String(cause);
    super('network_error', `${info.method} ${info.path} failed before an answer came: ${why}`, { ...info, cause });
  }
}

/** The caller's `signal` aborted the request. */
export class LatchAbortError extends LatchError {
  override name = 'LatchAbortError';
  constructor(reason: unknown, info: { method: string; path: string; attempts: number; idempotencyKey?: string | null }) {
    super('aborted', `${info.method} ${info.path} was aborted by the caller`, { ...info, cause: reason });
  }
}

/** Reads the catalog code, message, requestId and details from an error body of either surface. */
export function parseErrorBody(status: number, body: unknown, headerRequestId: string | null): { code: string; message: string; requestId: string | null; details: unknown } {
  const b = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const err = b.error;
  const code =
    typeof err === 'string' && err !== ''
      ? err
      : typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
        ? (err as { code: string }).code
        : typeof b.code === 'string'
          ? b.code
          : `http_${status}`;
  const message =
    typeof b.message === 'string'
      ? b.message
      : typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
        ? (err as { message: string }).message
        : `HTTP ${status}`;
  const requestId = typeof b.requestId === 'string' ? b.requestId : headerRequestId;
  return { code, message, requestId, details: b.details };
}
