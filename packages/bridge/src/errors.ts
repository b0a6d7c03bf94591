/**
 * A bridge request that failed. `code` is the host's (`server_credentials_required`,
 * `unknown_action`, `rate_limited`, `invalid_main_token`, …) or the SDK's own:
 * `timeout`, `invalid_launch`, `missing_launch`, `not_in_iframe`, `bridge_closed`, `aborted`.
 */
export class BridgeError extends Error {
  override name = 'BridgeError';
  readonly code: string;
  /** The request id (null when no request was sent). */
  readonly id: string | null;
  readonly action: string | null;

  constructor(code: string, message: string, id: string | null = null, action: string | null = null) {
    super(message);
    this.code = code;
    this.id = id;
    this.action = action;
  }
}
