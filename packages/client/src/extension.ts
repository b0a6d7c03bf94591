import { Transport, type CallSpec, type RequestOptions, type TransportOptions } from './http.js';
import type {
  ActionName,
  ActionResult,
  AttemptFailExpiredResult,
  AttemptFailInput,
  AttemptFailResult,
  AttemptInput,
  AttemptStartResult,
  CustomLog,
  DeviceCommandInput,
  DeviceCommandName,
  DeviceCommandResult,
  ExtensionFile,
  FileCapabilities,
  FileDeleteResult,
  FileList,
  FileUploadResult,
  CustomLogInput,
  CustomNotificationInput,
  CustomNotificationResult,
  ExtensionSession,
  Metadata,
  MetadataPatch,
  ProgressInput,
  ProgressResult,
  RegularActions,
  RegularActionsConfigInput,
  RegularActionSubmitResult,
  Requirements,
  SearchInput,
  SearchResult,
  StateInput,
  StateWithEtag,
  TaskAssignInput,
  TaskCompleteInput,
  TaskStartTimerInput,
} from './types.js';
import { MAIN_TOKEN_HEADER } from './generated/wire.js';

export { MAIN_TOKEN_HEADER };

export interface ExtensionClientOptions extends TransportOptions {
  /** The app-scoped developer key (`lk_app_…` on latch). A backend secret: never ship it to a browser. */
  appKey: string;
  /**
   * The launch token from the iframe hash (`mainToken`), sent as `x-chastify-main-token`. A
   * backend serving many launches passes each one to `session(id, { mainToken })` instead.
   */
  mainToken?: string;
}

export interface SessionOptions {
  /** This launch's main token (overrides the client's). */
  mainToken?: string;
}

/** What `files.upload` takes: bytes and a name (the type is sniffed from the bytes by the server). */
export interface FileUpload {
  /** A Blob/File (browsers, Node 20), or raw bytes. */
  data: Blob | ArrayBuffer | Uint8Array;
  filename?: string;
  /** The part's Content-Type (informative only: the server decides from the bytes). */
  contentType?: string;
}

export interface StateWriteOptions extends RequestOptions {
  /** Only write when the state still has this ETag (412 `precondition_failed` otherwise). */
  ifMatch?: string;
}

const S = '/api/extensions/sessions/{sessionId}';

/**
 * One installed-extension session, as its backend sees it: every route of
 * `/api/extensions/sessions/:sessionId/*`, sent with the app key and the launch's main token.
 */
export class ExtensionSessionClient {
  constructor(
    private readonly transport: Transport,
    readonly sessionId: string,
    private readonly credentials: Record<string, string>,
  ) {
    if (typeof sessionId !== 'string' || sessionId === '') throw new TypeError('sessionId is required');
  }

  private async call<T>(method: CallSpec['method'], sub: string, body: unknown, options: RequestOptions & { ifMatch?: string } = {}): Promise<T> {
    const headers = { ...this.credentials, ...(options.ifMatch ? { 'if-match': options.ifMatch } : {}) };
    return (await this.transport.call<T>({ method, path: S + sub, params: { sessionId: this.sessionId }, body, headers }, options)).data;
  }

  private async stateCall(method: CallSpec['method'], body: unknown, options: StateWriteOptions = {}): Promise<StateWithEtag> {
    const headers = { ...this.credentials, ...(options.ifMatch ? { 'if-match': options.ifMatch } : {}) };
    const res = await this.transport.call<Omit<StateWithEtag, 'etag'>>({ method, path: `${S}/state`, params: { sessionId: this.sessionId }, body, headers }, options);
    return { ...res.data, etag: res.headers.get('etag') };
  }

  /** `GET …/:sessionId`: config, metadata, lock, lockData, capabilities (bridge: `session.get`). */
  get(options?: RequestOptions): Promise<ExtensionSession> {
    return this.call('GET', '', undefined, options);
  }

  readonly state = {
    /** `GET …/state`, with its `etag` for a conditional write. */
    get: (options?: RequestOptions): Promise<StateWithEtag> => this.stateCall('GET', undefined, options),
    /** `PUT …/state`: replaces the state (platform-managed keys are kept). */
    put: (data: StateInput, options?: StateWriteOptions): Promise<StateWithEtag> => this.stateCall('PUT', { data }, options),
    /** `PATCH …/state`: RFC 7386 merge patch (`null` deletes a key). */
    patch: (data: StateInput, options?: StateWriteOptions): Promise<StateWithEtag> => this.stateCall('PATCH', { data }, options),
  };

  readonly metadata = {
    /** `GET …/metadata`: blockers, requirements, home actions (bridge: `metadata.get`). */
    get: (options?: RequestOptions): Promise<Metadata> => this.call('GET', '/metadata', undefined, options),
    /** `PATCH …/metadata`: replaces the arrays it names, for this extension only. */
    patch: (patch: MetadataPatch, options?: RequestOptions): Promise<Metadata> => this.call('PATCH', '/metadata', patch, options),
  };

  /** `POST …/action {name, params}`: any lock action (spec 000 "Supported Command Values"). */
  action(name: ActionName, params?: unknown, options?: RequestOptions): Promise<ActionResult> {
    return this.call('POST', '/action', params === undefined ? { name } : { name, params }, options);
  }

  /** Lock actions through `POST …/action`, named after the bridge/spec helpers. */
  readonly lock = {
    /** `add_time` (positive) or `remove_time` (negative): spec 000 `lock.applyTime`. */
    applyTime: (deltaSeconds: number, options?: RequestOptions) => {
      if (!Number.isInteger(deltaSeconds) || deltaSeconds === 0) throw new RangeError('deltaSeconds must be a non-zero integer');
      return this.action(deltaSeconds > 0 ? 'add_time' : 'remove_time', Math.abs(deltaSeconds), options);
    },
    addTime: (seconds: number, options?: RequestOptions) => this.action('add_time', seconds, options),
    removeTime: (seconds: number, options?: RequestOptions) => this.action('remove_time', seconds, options),
    /** Default 3600 s, range 60–86400. */
    freeze: (durationSeconds?: number, options?: RequestOptions) => this.action('freeze', durationSeconds === undefined ? {} : { durationSeconds }, options),
    unfreeze: (options?: RequestOptions) => this.action('unfreeze', {}, options),
    toggleFreeze: (options?: RequestOptions) => this.action('toggle_freeze', {}, options),
    pillory: (params: { durationSeconds: number; reason?: string }, options?: RequestOptions) => this.action('pillory', params, options),
    endPillory: (options?: RequestOptions) => this.action('pillory.end', {}, options),
    patchSettings: (params: Record<string, unknown>, options?: RequestOptions) => this.action('settings.patch', params, options),
    /** `hygienic_unlock.start`; the lock's default duration when omitted. */
    startHygienicOpening: (durationSeconds?: number, options?: RequestOptions) => this.action('hygienic_unlock.start', durationSeconds === undefined ? {} : { durationSeconds }, options),
  };

  /** The task routes of spec 003 (`POST …/tasks/assign|start-timer|complete`), in the Chastify dialect: the paths Chaster has, with latch's Chastify bodies and answers. */
  readonly tasks = {
    assign: (input: TaskAssignInput, options?: RequestOptions): Promise<ActionResult> => this.call('POST', '/tasks/assign', input, options),
    startTimer: (input: TaskStartTimerInput = {}, options?: RequestOptions): Promise<ActionResult> => this.call('POST', '/tasks/start-timer', input, options),
    complete: (input: TaskCompleteInput, options?: RequestOptions): Promise<ActionResult> => this.call('POST', '/tasks/complete', input, options),
  };

  readonly logs = {
    /** `POST …/logs/custom`: a visible lock-history entry. */
    custom: (input: CustomLogInput, options?: RequestOptions): Promise<CustomLog> => this.call('POST', '/logs/custom', input, options),
  };

  readonly notifications = {
    /** `POST …/notifications/custom`: notify the wearer (default), the keyholder or both. */
    custom: (input: CustomNotificationInput, options?: RequestOptions): Promise<CustomNotificationResult> => this.call('POST', '/notifications/custom', input, options),
  };

  readonly requirements = {
    /** `GET …/requirements`: the required-progress rule, the current and evaluated windows (null when none is configured). */
    get: (options?: RequestOptions): Promise<Requirements> => this.call('GET', '/requirements', undefined, options),
    /** `POST …/requirements/progress {metric, amount?, occurredAt?}`: trusted progress. */
    progress: (input: ProgressInput, options?: RequestOptions): Promise<ProgressResult> => this.call('POST', '/requirements/progress', input, options),
  };

  readonly regularActions = {
    /** `GET …/regular-actions` (bridge: `regularActions.get`). */
    get: (options?: RequestOptions): Promise<RegularActions> => this.call('GET', '/regular-actions', undefined, options),
    /** `POST …/regular-actions {payload}`: 422 `regular_action_unavailable` when none is left. */
    submit: (payload?: unknown, options?: RequestOptions): Promise<RegularActionSubmitResult> => this.call('POST', '/regular-actions', payload === undefined ? {} : { payload }, options),
    /** `PATCH …/regular-actions/config {mode, regularitySeconds?, maxActions?}`. */
    config: (input: RegularActionsConfigInput, options?: RequestOptions): Promise<RegularActions> => this.call('PATCH', '/regular-actions/config', input, options),
  };

  /** Extension files (images). Reads are bridge-safe; upload and delete need backend credentials and `files:write`. */
  readonly files = {
    /** `GET …/files/capabilities` (bridge: `files.capabilities`). */
    capabilities: (options?: RequestOptions): Promise<FileCapabilities> => this.call('GET', '/files/capabilities', undefined, options),
    /** `GET …/files`: each with a fresh signed URL (bridge: `files.list`). */
    list: (options?: RequestOptions): Promise<FileList> => this.call('GET', '/files', undefined, options),
    /** `GET …/files/:fileId`: a fresh signed URL (bridge: `files.get`). */
    get: (fileId: string, options?: RequestOptions): Promise<ExtensionFile> => this.fileCall<ExtensionFile>('GET', fileId, options),
    /** `POST …/files` (multipart/form-data, field `file`). */
    upload: async (file: FileUpload, options?: RequestOptions): Promise<FileUploadResult> => {
      const blob = file.data instanceof Blob ? file.data : new Blob([file.data as BlobPart], file.contentType ? { type: file.contentType } : {});
      const form = new FormData();
      form.append('file', blob, file.filename ?? (typeof File !== 'undefined' && file.data instanceof File ? file.data.name : 'upload'));
      return (await this.transport.call<FileUploadResult>({ method: 'POST', path: `${S}/files`, params: { sessionId: this.sessionId }, body: form, headers: this.credentials }, options)).data;
    },
    /** `DELETE …/files/:fileId`. */
    delete: (fileId: string, options?: RequestOptions): Promise<FileDeleteResult> => this.fileCall<FileDeleteResult>('DELETE', fileId, options),
  };

  private async fileCall<T>(method: 'GET' | 'DELETE', fileId: string, options?: RequestOptions): Promise<T> {
    return (await this.transport.call<T>({ method, path: `${S}/files/{fileId}`, params: { sessionId: this.sessionId, fileId }, headers: this.credentials }, options)).data;
  }

  /** `POST …/device-command {command, params}` (spec 002 `device.command`); check `session.deviceControl.supportedCommands` first. */
  deviceCommand(command: DeviceCommandName, params?: DeviceCommandInput['params'], options?: RequestOptions): Promise<DeviceCommandResult> {
    return this.call('POST', '/device-command', params === undefined ? { command } : { command, params }, options);
  }

  readonly attempts = {
    /** `POST …/attempts/start {metric, attemptId}` (the same attemptId again is idempotent). */
    start: (input: AttemptInput, options?: RequestOptions): Promise<AttemptStartResult> => this.call('POST', '/attempts/start', input, options),
    /** `POST …/attempts/fail-expired {metric, attemptId}`: `{failed: true}` past the deadline. */
    failExpired: (input: AttemptInput, options?: RequestOptions): Promise<AttemptFailExpiredResult> => this.call('POST', '/attempts/fail-expired', input, options),
    /** `POST …/attempts/fail {metric, attemptId, reason?}` (latch): a verified loss ends the attempt now. */
    fail: (input: AttemptFailInput, options?: RequestOptions): Promise<AttemptFailResult> => this.call('POST', '/attempts/fail', input, options),
  };
}

export interface ExtensionClient {
  /** `POST /api/extensions/sessions/search` (Chastify dialect: the path Chaster has, answered in Chastify's shapes): your app's sessions, paginated by `paginationLastId`. */
  search(input: SearchInput, options?: RequestOptions): Promise<SearchResult>;
  /** Every route of one session. */
  session(sessionId: string, options?: SessionOptions): ExtensionSessionClient;
}

/**
 * The extension backend's client: `Authorization: Bearer <app key>` and
 * `x-chastify-main-token: <launch token>` on every call (spec 000 "two-token model").
 * Every call is Chastify's (the Chastify dialect): use it with an app registered with dialect
 * `chastify`. A Chaster-dialect app uses Chaster's own SDK (`@chasterapp/chaster-js`); its key
 * gets Chaster's shapes, or 404 on Chastify-only routes (DECISIONS §14, docs/guide.md).
 */
export function createExtensionClient(options: ExtensionClientOptions): ExtensionClient {
  if (typeof options.appKey !== 'string' || options.appKey === '') throw new TypeError('appKey is required');
  const transport = new Transport(options);
  const credentials = (mainToken: string | undefined): Record<string, string> => ({
    authorization: `Bearer ${options.appKey}`,
    ...(mainToken ? { [MAIN_TOKEN_HEADER]: mainToken } : {}),
  });
  return {
    async search(input, requestOptions) {
      // The app key alone (a launch token is bound to one session); a read, though it is a POST.
      return (await transport.call<SearchResult>({ method: 'POST', path: '/api/extensions/sessions/search', body: input, headers: credentials(undefined), safe: true }, requestOptions)).data;
    },
    session(sessionId, sessionOptions = {}) {
      return new ExtensionSessionClient(transport, sessionId, credentials(sessionOptions.mainToken ?? options.mainToken));
    },
  };
}
