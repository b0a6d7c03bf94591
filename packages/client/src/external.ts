import { Transport, type CallSpec, type RequestOptions, type TransportOptions } from './http.js';
import type {
  ActionName,
  CustomLogInput,
  CustomNotificationInput,
  DeviceCommandInput,
  DeviceCommandName,
  ExternalActionResult,
  ExternalDeviceCommandResult,
  ExternalCustomLogResult,
  ExternalNotificationResult,
  ExternalSession,
  Metadata,
  MetadataPatch,
  StateInput,
  StateWithEtag,
} from './types.js';
import type { StateWriteOptions } from './extension.js';

export const LOCK_ID_HEADER = 'x-chastify-lock-id';

export interface ExternalClientOptions extends TransportOptions {
  /** A user-wide developer key (`lk_usr_…` on latch). A secret for your own scripts. */
  userKey: string;
  /** Act on this one of your active locks (`x-chastify-lock-id`) instead of the most recent. */
  lockId?: string;
}

export interface ExternalClient {
  /** The lock this client acts on, when one was named. */
  readonly lockId: string | null;
  /** `GET /api/apps/v1/session`: your active lock's session as the wearer sees it, with lockData. */
  session(options?: RequestOptions): Promise<ExternalSession>;
  readonly state: {
    get(options?: RequestOptions): Promise<StateWithEtag>;
    put(data: StateInput, options?: StateWriteOptions): Promise<StateWithEtag>;
    patch(data: StateInput, options?: StateWriteOptions): Promise<StateWithEtag>;
  };
  readonly metadata: {
    get(options?: RequestOptions): Promise<Metadata>;
    patch(patch: MetadataPatch, options?: RequestOptions): Promise<Metadata>;
  };
  /** `POST /api/apps/v1/action {name, params}` as the wearer. */
  action(name: ActionName, params?: unknown, options?: RequestOptions): Promise<ExternalActionResult>;
  readonly lock: {
    /** `POST /api/apps/v1/lock/apply-time {deltaSeconds}`: positive adds, negative removes. */
    applyTime(deltaSeconds: number, options?: RequestOptions): Promise<ExternalActionResult>;
    /** `POST /api/apps/v1/lock/freeze {durationSeconds?}` (default 3600, 60–86400). */
    freeze(durationSeconds?: number, options?: RequestOptions): Promise<ExternalActionResult>;
    /** `POST /api/apps/v1/lock/unfreeze`. */
    unfreeze(options?: RequestOptions): Promise<ExternalActionResult>;
  };
  readonly logs: { custom(input: CustomLogInput, options?: RequestOptions): Promise<ExternalCustomLogResult> };
  readonly notifications: { custom(input: CustomNotificationInput, options?: RequestOptions): Promise<ExternalNotificationResult> };
  /** `POST /api/apps/v1/device-command {command, params}`: the same body and answer as the extension route. */
  deviceCommand(command: DeviceCommandName, params?: DeviceCommandInput['params'], options?: RequestOptions): Promise<ExternalDeviceCommandResult>;
  /** The same client on another of your active locks. */
  forLock(lockId: string): ExternalClient;
}

/**
 * The External API client (`/api/apps/v1/*`): `Authorization: Bearer <user-wide key>`, and
 * `x-chastify-lock-id` on every request when `lockId` is given. Chastify's External API (Chastify
 * dialect), whatever the dialect of the extensions on the user's locks.
 */
export function createExternalClient(options: ExternalClientOptions): ExternalClient {
  if (typeof options.userKey !== 'string' || options.userKey === '') throw new TypeError('userKey is required');
  return build(new Transport(options), options.userKey, options.lockId ?? null);
}

function build(transport: Transport, userKey: string, lockId: string | null): ExternalClient {
  const credentials: Record<string, string> = { authorization: `Bearer ${userKey}`, ...(lockId ? { [LOCK_ID_HEADER]: lockId } : {}) };
  const call = async <T>(method: CallSpec['method'], path: string, body: unknown, options: RequestOptions = {}): Promise<T> =>
    (await transport.call<T>({ method, path: `/api/apps/v1${path}`, body, headers: credentials }, options)).data;
  const stateCall = async (method: CallSpec['method'], body: unknown, options: StateWriteOptions = {}): Promise<StateWithEtag> => {
    const headers = { ...credentials, ...(options.ifMatch ? { 'if-match': options.ifMatch } : {}) };
    const res = await transport.call<Omit<StateWithEtag, 'etag'>>({ method, path: '/api/apps/v1/state', body, headers }, options);
    return { ...res.data, etag: res.headers.get('etag') };
  };
  return {
    lockId,
    session: (options) => call('GET', '/session', undefined, options),
    state: {
      get: (options) => stateCall('GET', undefined, options),
      put: (data, options) => stateCall('PUT', { data }, options),
      patch: (data, options) => stateCall('PATCH', { data }, options),
    },
    metadata: {
      get: (options) => call('GET', '/metadata', undefined, options),
      patch: (patch, options) => call('PATCH', '/metadata', patch, options),
    },
    action: (name, params, options) => call('POST', '/action', params === undefined ? { name } : { name, params }, options),
    lock: {
      applyTime: (deltaSeconds, options) => {
        if (!Number.isInteger(deltaSeconds) || deltaSeconds === 0) throw new RangeError('deltaSeconds must be a non-zero integer');
        return call('POST', '/lock/apply-time', { deltaSeconds }, options);
      },
      freeze: (durationSeconds, options) => call('POST', '/lock/freeze', durationSeconds === undefined ? {} : { durationSeconds }, options),
      unfreeze: (options) => call('POST', '/lock/unfreeze', {}, options),
    },
    logs: { custom: (input, options) => call('POST', '/logs/custom', input, options) },
    notifications: { custom: (input, options) => call('POST', '/notifications/custom', input, options) },
    deviceCommand: (command, params, options) => call('POST', '/device-command', params === undefined ? { command } : { command, params }, options),
    forLock: (otherLockId) => build(transport, userKey, otherLockId),
  };
}
