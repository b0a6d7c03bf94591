/**
 * Registering the extension with a platform, the way a developer does it in the developer
 * console, but through its API: sign in, create or update the app, create an app-scoped key,
 * install the app on a lock. Plain `fetch`; used by `npm run example` and the end-to-end test.
 */

export interface AppView {
  id: string;
  slug: string;
  name: string;
  iframeUrl: string | null;
  setupUrl: string | null;
  allowedOrigins: string[];
  defaultConfig: Record<string, unknown>;
}

export interface LockView {
  id: string;
  title: string;
  status: string;
  role: 'wearer' | 'keyholder';
  wearer: { username: string };
  keyholder: { username: string } | null;
  /** The wearer lets the keyholder change extensions (only a trusted keyholder installs them). */
  keyholderTrusted: boolean;
  extensions: Array<{ slug: string; sessionId: string; config?: unknown }>;
}

export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A signed-in first-party session: the `latch_session` cookie plus the CSRF token mutations need. */
export class PlatformUser {
  private constructor(
    readonly baseUrl: string,
    readonly username: string,
    private readonly cookie: string,
    private readonly csrfToken: string,
  ) {}

  static async login(baseUrl: string, username: string, password: string): Promise<PlatformUser> {
    const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const body = (await res.json().catch(() => null)) as { csrfToken?: string; code?: string; message?: string } | null;
    if (!res.ok || !body?.csrfToken) throw new PlatformError(res.status, body?.code ?? 'login_failed', `Sign-in as ${username} failed: ${body?.message ?? res.status}`);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith('latch_session='));
    if (!cookie) throw new PlatformError(res.status, 'login_failed', 'The platform set no session cookie');
    return new PlatformUser(baseUrl, username, cookie, body.csrfToken);
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : null;
    if (!res.ok) {
      const e = json as { code?: string; message?: string } | null;
      throw new PlatformError(res.status, e?.code ?? `http_${res.status}`, `${method} ${path}: ${res.status} ${e?.message ?? text}`);
    }
    return json as T;
  }
}

/** Creates the app, or brings an existing one with the same slug up to date (its URLs may have moved). */
export async function ensureApp(developer: PlatformUser, definition: { slug: string } & Record<string, unknown>): Promise<AppView> {
  const { results } = await developer.request<{ results: AppView[] }>('GET', '/api/developer/apps');
  const existing = results.find((a) => a.slug === definition.slug);
  if (!existing) return developer.request<AppView>('POST', '/api/developer/apps', definition);
  const { slug: _slug, ...changes } = definition;
  return developer.request<AppView>('PATCH', `/api/developer/apps/${existing.id}`, changes);
}

/** A new app-scoped developer key (the secret is in this answer only). */
export async function createAppKey(developer: PlatformUser, appId: string, name: string): Promise<string> {
  return (await developer.request<{ key: string }>('POST', '/api/developer/keys', { name, appId })).key;
}

/** A user-wide developer key for `/api/apps/v1` (External API scripts). */
export async function createUserKey(user: PlatformUser, name: string): Promise<string> {
  return (await user.request<{ key: string }>('POST', '/api/developer/keys', { name })).key;
}

/** Whether an app key still authorizes (a cheap app-key-only call: the Chaster session search). */
export async function appKeyWorks(baseUrl: string, appKey: string, slug: string): Promise<boolean> {
  const res = await fetch(`${baseUrl}/api/extensions/sessions/search`, {
    method: 'POST',
    headers: { authorization: `Bearer ${appKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ extensionSlug: slug, limit: 1 }),
  });
  return res.ok;
}

/**
 * Installs the extension on a lock (done by the lock's keyholder, or the wearer of a
 * self-lock). Already installed: returns the existing session.
 */
export async function installOnLock(owner: PlatformUser, lockId: string, slug: string, config?: Record<string, unknown>): Promise<{ sessionId: string; installed: boolean }> {
  const lock = await owner.request<LockView>('GET', `/api/locks/${lockId}`);
  const present = lock.extensions.find((x) => x.slug === slug);
  if (present) return { sessionId: present.sessionId, installed: false };
  const out = await owner.request<{ sessionId: string }>('POST', `/api/locks/${lockId}/extensions`, { slug, ...(config ? { config } : {}) });
  return { sessionId: out.sessionId, installed: true };
}

/** The platform answers `/api/health` (and whether it runs the sandbox). */
export async function platformHealth(baseUrl: string): Promise<{ dev: boolean } | null> {
  try {
    const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return null;
    return (await res.json()) as { dev: boolean };
  } catch {
    return null;
  }
}
