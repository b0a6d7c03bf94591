import { Type } from '@sinclair/typebox';
import { ObjectId, type ErrorCode } from '@latch/protocol';
import type { CredentialNeeds } from '../credentials.js';

/** What the session routes share: params, security schemes, credential needs and the codes the guard can answer with. */

export const SessionParams = Type.Object({ sessionId: ObjectId });

/** App-scoped key + main token (an extension backend). */
export const BACKEND_SECURITY: Array<Record<string, string[]>> = [{ developerKey: [], mainToken: [] }];
/** Reads a browser may make too: the launch token alone, or a participant's cookie. */
export const BROWSER_SAFE_SECURITY: Array<Record<string, string[]>> = [{ developerKey: [], mainToken: [] }, { mainToken: [] }, { sessionCookie: [] }];
/** A user-wide key (External API). */
export const USER_KEY_SECURITY: Array<Record<string, string[]>> = [{ developerKey: [] }];

/** Codes the credential guard can answer a session read with (DECISIONS §3). */
export const SESSION_READ_ERRORS: ErrorCode[] = [
  'missing_credentials',
  'invalid_credentials',
  'app_scoped_key_required',
  'main_token_required',
  'invalid_main_token',
  'main_token_expired',
  'session_mismatch',
  'extension_not_enabled',
  'rate_limited',
  'not_found',
];
/** … and a session mutation, before the route's own codes. */
export const SESSION_WRITE_ERRORS: ErrorCode[] = [...SESSION_READ_ERRORS, 'server_credentials_required', 'insufficient_scope', 'lock_ended', 'idempotency_key_reused', 'conflict'];
/** Codes the guard can answer on /api/apps/v1. */
export const APPS_ERRORS: ErrorCode[] = ['missing_credentials', 'invalid_credentials', 'user_wide_dev_key_required', 'rate_limited', 'no_active_lock_session'];

export const sessionRead = (bucket: CredentialNeeds['bucket'] = 'read', extra: Partial<CredentialNeeds> = {}): CredentialNeeds => ({ surface: 'extension', mutation: false, bucket, sessionBound: true, ...extra });
export const sessionWrite = (scope: CredentialNeeds['scope'], bucket: CredentialNeeds['bucket'] = 'write'): CredentialNeeds => ({ surface: 'extension', mutation: true, bucket, sessionBound: true, scope });
