import { fromJson, toJson } from '../db/json.js';
import type { CombinationVault } from './combinationVault.js';

/** Credentials a developer gives latch for their webhook receiver (Chaster's "Basic Authentication"). */
export interface BasicAuth {
  username: string;
  password: string;
}

interface StoredBasicAuth {
  username: string;
  keyId: string;
  wrappedKey: string;
  /** base64 of the password sealed with the wrapped data key. */
  password: string;
}

/** The vault's associated data binds a sealed password to its endpoint: moved to another row, it does not open. */
const subject = (endpointId: string) => `webhook-basic-auth:${endpointId}`;

/**
 * The password has to be sent, so it cannot be hashed: it is sealed with the same envelope
 * encryption as combinations (one data key per endpoint, wrapped by COMBINATION_KEY) and opened
 * only to build the Authorization header of an attempt.
 */
export function sealBasicAuth(vault: CombinationVault, endpointId: string, auth: BasicAuth): string {
  const key = vault.newKey(subject(endpointId));
  return toJson({ username: auth.username, keyId: key.keyId, wrappedKey: key.wrappedKey, password: key.encrypt(Buffer.from(auth.password, 'utf8')).toString('base64') } satisfies StoredBasicAuth);
}

/** The `Authorization` header value of a stored `basic_auth` column, or null when there is none. */
export function basicAuthHeader(vault: CombinationVault, endpointId: string, stored: string | null): string | null {
  const s = fromJson<StoredBasicAuth | null>(stored, null);
  if (!s) return null;
  const password = vault.decrypt(subject(endpointId), { keyId: s.keyId, wrappedKey: s.wrappedKey }, Buffer.from(s.password, 'base64')).toString('utf8');
  return `Basic ${Buffer.from(`${s.username}:${password}`, 'utf8').toString('base64')}`;
}
