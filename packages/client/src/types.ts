/**
 * Names for the request and response shapes of the generated OpenAPI types. Nothing here is
 * copied from the server: every shape is looked up in `paths` (src/generated/openapi.ts), so a
 * server change shows up here as soon as the file is regenerated.
 */
import type { components, paths } from './generated/openapi.js';

export type { components, paths };

export type ApiPath = keyof paths;
export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** The operation at `P` with method `M` (`never` when the route has no such method). */
export type Operation<P extends ApiPath, M extends HttpMethod> = NonNullable<paths[P][M]>;

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON request body of an operation. */
export type RequestBody<P extends ApiPath, M extends HttpMethod> = Operation<P, M> extends { requestBody?: infer R } ? Json<NonNullable<R>> : never;

/** The JSON body of an operation's 200/201 answer. */
export type SuccessBody<P extends ApiPath, M extends HttpMethod> = Operation<P, M> extends { responses: infer R }
  ? (R extends { 200: infer A } ? Json<A> : never) | (R extends { 201: infer B } ? Json<B> : never)
  : never;

/** Error body of `/api/extensions/*`: `error` is `{code, message}`. */
export type ExtensionErrorBody = components['schemas']['ErrorBody'];
/** Error body of `/api/apps/v1/*`: `error` is the code string. */
export type ExternalErrorBody = components['schemas']['AppsErrorBody'];

// ---- extension session API (/api/extensions/sessions/*) ----
type S = '/api/extensions/sessions/{sessionId}';

export type SearchInput = RequestBody<'/api/extensions/sessions/search', 'post'>;
export type SearchResult = SuccessBody<'/api/extensions/sessions/search', 'post'>;
export type ExtensionSession = SuccessBody<S, 'get'>;
export type LockData = ExtensionSession['lockData'];
export type SessionState = SuccessBody<`${S}/state`, 'get'>;
export type StateInput = RequestBody<`${S}/state`, 'put'>['data'];
export type Metadata = SuccessBody<`${S}/metadata`, 'get'>;
export type MetadataPatch = RequestBody<`${S}/metadata`, 'patch'>;
export type HomeAction = Metadata['homeActions'][number];
export type CustomLogInput = RequestBody<`${S}/logs/custom`, 'post'>;
export type CustomLog = SuccessBody<`${S}/logs/custom`, 'post'>;
export type CustomNotificationInput = RequestBody<`${S}/notifications/custom`, 'post'>;
export type CustomNotificationResult = SuccessBody<`${S}/notifications/custom`, 'post'>;
export type ProgressInput = RequestBody<`${S}/requirements/progress`, 'post'>;
export type ProgressResult = SuccessBody<`${S}/requirements/progress`, 'post'>;
export type Requirements = SuccessBody<`${S}/requirements`, 'get'>;
export type ActionInput = RequestBody<`${S}/action`, 'post'>;
export type ActionResult = SuccessBody<`${S}/action`, 'post'>;
export type TaskAssignInput = RequestBody<`${S}/tasks/assign`, 'post'>;
export type TaskStartTimerInput = RequestBody<`${S}/tasks/start-timer`, 'post'>;
export type TaskCompleteInput = RequestBody<`${S}/tasks/complete`, 'post'>;
export type RegularActions = SuccessBody<`${S}/regular-actions`, 'get'>;
export type RegularActionSubmitResult = SuccessBody<`${S}/regular-actions`, 'post'>;
export type RegularActionsConfigInput = RequestBody<`${S}/regular-actions/config`, 'patch'>;
export type AttemptInput = RequestBody<`${S}/attempts/start`, 'post'>;
export type AttemptStartResult = SuccessBody<`${S}/attempts/start`, 'post'>;
export type AttemptFailExpiredResult = SuccessBody<`${S}/attempts/fail-expired`, 'post'>;
export type AttemptFailInput = RequestBody<`${S}/attempts/fail`, 'post'>;
export type AttemptFailResult = SuccessBody<`${S}/attempts/fail`, 'post'>;
export type FileCapabilities = SuccessBody<`${S}/files/capabilities`, 'get'>;
export type FileList = SuccessBody<`${S}/files`, 'get'>;
export type ExtensionFile = SuccessBody<`${S}/files/{fileId}`, 'get'>;
export type FileUploadResult = SuccessBody<`${S}/files`, 'post'>;
export type FileDeleteResult = SuccessBody<`${S}/files/{fileId}`, 'delete'>;
export type DeviceCommandInput = RequestBody<`${S}/device-command`, 'post'>;
export type DeviceCommandResult = SuccessBody<`${S}/device-command`, 'post'>;

// ---- External API (/api/apps/v1/*) ----
export type ExternalSession = SuccessBody<'/api/apps/v1/session', 'get'>;
export type ExternalActionResult = SuccessBody<'/api/apps/v1/action', 'post'>;
export type ApplyTimeInput = RequestBody<'/api/apps/v1/lock/apply-time', 'post'>;
export type FreezeInput = RequestBody<'/api/apps/v1/lock/freeze', 'post'>;
export type ExternalCustomLogResult = SuccessBody<'/api/apps/v1/logs/custom', 'post'>;
export type ExternalNotificationResult = SuccessBody<'/api/apps/v1/notifications/custom', 'post'>;
export type ExternalDeviceCommandResult = SuccessBody<'/api/apps/v1/device-command', 'post'>;

/** State answers carry the `ETag` header too, for `If-Match` on the next write. */
export type StateWithEtag = SessionState & { etag: string | null };

/**
 * Lock action names (spec 000 "Supported Command Values") and device commands (spec 002): the
 * OpenAPI schema types `name` and `command` as plain strings, so the lists are the protocol's.
 */
export { ACTION_NAMES, DEVICE_COMMANDS, type ActionName } from './generated/wire.js';
export type { DeviceCommand as DeviceCommandName } from './generated/wire.js';
