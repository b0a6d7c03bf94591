/**
 * The closed catalog of error codes latch answers with, on every surface
 * (first-party API, extension session API, External API, bridge).
 *
 * Codes named by the Chastify/Chaster docs keep their exact spelling: clients in the wild
 * compare them as strings. A new code is added here first, with its status and meaning, so
 * documented and real errors cannot drift apart.
 */
export const ERROR_CATALOG = {
  // request shape
  invalid_request: { status: 400, description: 'The request is malformed or fails schema validation; `details` lists each problem.' },
  invalid_params: { status: 400, description: 'An action received parameters it does not accept.' },
  invalid_state_key: { status: 400, description: 'A state key starts with `$` or contains `.`.' },
  reserved_key: { status: 400, description: 'The write touches a platform-managed key.' },
  payload_too_large: { status: 413, description: 'The request body is larger than the documented cap.' },
  state_too_large: { status: 413, description: 'Serialized state would exceed 64 KiB.' },
  unsupported_media_type: { status: 415, description: 'The body has a content type this route does not accept.' },
  not_found: { status: 404, description: 'No such route or resource (or it is not visible to the caller).' },
  method_not_allowed: { status: 405, description: 'The route exists but not with this method.' },

  // first-party accounts
  login_required: { status: 401, description: 'This route needs a signed-in user (session cookie).' },
  invalid_login: { status: 401, description: 'Username or password is wrong.' },
  password_too_common: { status: 400, description: 'The new password is on a list of the most common passwords; choose another.' },
  reserved_name: { status: 400, description: 'The name imitates a built-in part of latch (e.g. "External programs"); choose another.' },
  csrf_token_invalid: { status: 403, description: 'A cookie-authenticated mutation lacks the matching `x-csrf-token` header.' },
  forbidden: { status: 403, description: 'The signed-in user may not do this.' },
  username_taken: { status: 409, description: 'Another account already uses this username.' },
  conflict: { status: 409, description: 'The resource is not in a state that allows this change.' },
  extension_already_installed: { status: 409, description: 'The extension is already installed on this lock.' },

  // credentials (DECISIONS §3, in the order they are checked)
  missing_credentials: { status: 401, description: '`Authorization: Bearer …` is missing or malformed.' },
  invalid_credentials: { status: 401, description: 'The developer key is unknown or revoked.' },
  app_scoped_key_required: { status: 403, description: 'A user-wide key was used on an extension session route.' },
  user_wide_dev_key_required: { status: 403, description: 'An app-scoped key was used on `/api/apps/v1`.' },
  main_token_required: { status: 401, description: '`x-chastify-main-token` is missing.' },
  invalid_main_token: { status: 401, description: 'The main token is unknown.' },
  main_token_expired: { status: 401, description: 'The main token is past its 10 h lifetime or was rotated.' },
  session_mismatch: { status: 403, description: 'The main token belongs to another session or app.' },
  extension_not_enabled: { status: 403, description: 'The extension is disabled or removed on this lock.' },
  insufficient_scope: { status: 403, description: 'The app lacks the scope this route needs.' },
  server_credentials_required: { status: 403, description: 'Mutations need backend credentials (app key + main token).' },
  role_not_allowed: { status: 403, description: 'The launch role may not perform this action.' },
  rate_limited: { status: 429, description: 'Too many requests for this credential and bucket; see `Retry-After`.' },
  lock_ended: { status: 409, description: 'The lock is no longer active.' },
  no_active_lock_session: { status: 409, description: 'The key owner has no (such) active lock.' },
  idempotency_key_reused: { status: 422, description: 'The `Idempotency-Key` was used before with a different body.' },
  precondition_failed: { status: 412, description: '`If-Match` does not match the current ETag.' },

  // lock engine
  pillory_not_enabled: { status: 422, description: 'Pillory is not enabled on this lock.' },
  pillory_active: { status: 409, description: 'The wearer is already in the pillory.' },
  pillory_not_active: { status: 409, description: 'The wearer is not in the pillory.' },
  verification_picture_not_enabled: { status: 422, description: 'Verification pictures are not enabled on this lock.' },
  penalties_not_enabled: { status: 422, description: 'Penalties are not enabled on this lock.' },
  unknown_habit: { status: 400, description: 'The extension declares no habit of that name.' },
  habit_not_enabled: { status: 422, description: 'The habit is not enabled on this lock (its controller enables habits on the lock page).' },
  tasks_not_enabled: { status: 422, description: 'Tasks are not enabled on this lock.' },
  no_active_task: { status: 409, description: 'There is no open task.' },
  task_has_no_duration: { status: 409, description: 'The open task has no timer.' },
  task_verification_required: { status: 409, description: 'The task needs proof before it can be completed.' },
  verification_picture_required: { status: 400, description: 'The task is marked done with a verification picture: send it (`POST /api/locks/{lockId}/task/verification`).' },
  task_timer_not_finished: { status: 409, description: 'The task timer has not run out.' },
  hygienic_opening_not_enabled: { status: 422, description: 'Hygienic opening is not enabled on this lock.' },
  hygienic_opening_active: { status: 409, description: 'A hygienic opening is already running.' },
  unlock_not_allowed: { status: 409, description: 'Something still holds the lock; `details.reasons` says what.' },
  lock_not_unlocked: { status: 409, description: 'The lock is still running: its combination is revealed once it is unlocked.' },
  combination_withheld: { status: 409, description: 'The lock was deserted: its combination is withheld until `details.recoverableAt`, then recovered on purpose (`POST …/combination/recover`).' },
  unknown_action: { status: 400, description: 'The action name is not one the API supports.' },

  // shared locks and shared links
  shared_lock_password_invalid: { status: 403, description: 'The shared lock needs its password, and it is missing or wrong.' },
  shared_lock_disabled: { status: 409, description: 'The keyholder disabled this shared lock: no lock can be loaded from it.' },
  already_voted: { status: 409, description: 'This visitor already voted on this shared link in the current period; `details.nextVoteAt` says when they may again.' },

  // regular actions, requirements, attempts
  regular_action_unavailable: { status: 422, description: 'No regular action is available now; see `nbActionsRemaining` and `nextActionDate`.' },
  window_closed: { status: 409, description: 'Progress falls into a window that was already evaluated.' },
  unknown_metric: { status: 422, description: 'The metric is not configured for this session.' },
  attempt_active: { status: 409, description: 'Another attempt is running.' },
  attempt_not_found: { status: 404, description: 'No such attempt.' },

  // devices
  unsupported_command: { status: 422, description: 'The device command is unknown or not supported by the attached device.' },
  device_not_available: { status: 409, description: 'No device is attached to this lock, or the attached device cannot be reached.' },

  // files
  quota_exceeded: { status: 409, description: 'The session already holds the most files or bytes it may (100 files, 100 MiB); delete some first.' },
  invalid_signature: { status: 403, description: 'The signed file URL was tampered with or has expired; ask for a fresh one (files.get).' },

  // server
  service_unavailable: { status: 503, description: 'The server is shutting down or a dependency is down; retry.' },
  internal_error: { status: 500, description: 'An unexpected error; report the `requestId`.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
