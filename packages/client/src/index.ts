/**
 * @latch/client: typed HTTP client for the extension session API (`/api/extensions/sessions/*`)
 * and the External API (`/api/apps/v1/*`) of latch and Chastify. Runs on Node 20+ and in
 * browsers (fetch, AbortController); no runtime dependencies. Shapes come from the generated
 * OpenAPI types (src/generated/openapi.ts). Every call is the Chastify dialect's; an app
 * registered with the Chaster dialect uses Chaster's SDK, `@chasterapp/chaster-js`, instead.
 */
export { createExtensionClient, ExtensionSessionClient, MAIN_TOKEN_HEADER, type ExtensionClient, type ExtensionClientOptions, type FileUpload, type SessionOptions, type StateWriteOptions } from './extension.js';
export { createExternalClient, LOCK_ID_HEADER, type ExternalClient, type ExternalClientOptions } from './external.js';
export { LatchAbortError, LatchApiError, LatchError, LatchNetworkError, LatchTimeoutError, parseErrorBody } from './errors.js';
export { DEFAULT_RETRY, backoffDelay, newIdempotencyKey, parseRetryAfter, Transport, type CallResult, type CallSpec, type FetchLike, type RequestOptions, type RetryEvent, type RetryOptions, type TransportOptions } from './http.js';
export * from './types.js';
