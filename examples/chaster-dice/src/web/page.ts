/** What both pages share: the token in the URL hash, the platform's origin, calls to this extension's backend. */

/** Chaster's docs' snippet: the hash is a URI-encoded JSON object (`{mainToken}` or `{partnerConfigurationToken}`). */
export function hashParams(): Record<string, unknown> {
  const hash = window.location.hash.substring(1);
  return JSON.parse(decodeURIComponent(hash)) as Record<string, unknown>;
}

/** The platform embedding this page (written into the page by the backend): the only origin posted to or listened to. */
export const platformOrigin = document.querySelector<HTMLMetaElement>('meta[name="platform-origin"]')!.content;

/** A call to this extension's own backend (never to the Extensions API: the developer token stays there). */
export async function backend<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const json = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) throw new Error(json.message ?? `The backend answered ${res.status}`);
  return json as T;
}
