/** The first-party API client: cookie session + CSRF header, catalog errors as `ApiError`. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
export const setCsrfToken = (t: string | null) => {
  csrfToken = t;
};

/**
 * A multipart upload (one file in the field `file`): the same cookie, CSRF header and catalog
 * errors as `api`.
 */
export async function upload<T = unknown>(path: string, file: Blob, filename: string): Promise<T> {
  const form = new FormData();
  form.append('file', file, filename);
  const res = await fetch(path, { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) } });
  const text = await res.text();
  const body = (text ? JSON.parse(text) : null) as (T & { code?: string; message?: string; details?: unknown }) | null;
  if (res.status >= 400) throw new ApiError(res.status, body?.code ?? 'internal_error', body?.message ?? `HTTP ${res.status}`, res.headers.get('x-request-id'), body?.details);
  return body as T;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface RawResponse<T> {
  status: number;
  body: T;
  requestId: string | null;
}

export async function request<T = unknown>(path: string, opts: CallOptions = {}): Promise<RawResponse<T>> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const requestId = res.headers.get('x-request-id');
  const text = await res.text();
  const body = text ? (JSON.parse(text) as T) : (null as T);
  return { status: res.status, body, requestId };
}

export async function api<T = unknown>(path: string, opts: CallOptions = {}): Promise<T> {
  const res = await request<T & { code?: string; message?: string; details?: unknown }>(path, opts);
  if (res.status >= 400) {
    const b = (res.body ?? {}) as { code?: string; message?: string; details?: unknown };
    throw new ApiError(res.status, b.code ?? 'internal_error', b.message ?? `HTTP ${res.status}`, res.requestId, b.details);
  }
  return res.body as T;
}

export interface Me {
  id: string;
  username: string;
  profile: { displayName?: string; bio?: string; avatarUrl?: string };
  showOnlineStatus: boolean;
  csrfToken: string;
}
