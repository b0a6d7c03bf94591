import type { Metadata, MetadataPatch } from '@latch/protocol';
import { ApiError } from '../errors.js';
import { fromJson, toJson } from '../db/json.js';
import type { ExtensionSessionRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { mutateSessionRow, type SessionChange } from './sessionRows.js';
import { checkJsonDepth } from './freeFormJson.js';
import { emitWebhookEvent } from './webhookOutbox.js';
import { checkStateKeys, etagOf, ifMatchHolds, MAX_STATE_BYTES, mergePatch, RESERVED_STATE_KEYS, storedMetadata, type SessionCore, type SessionDeps, type StoredMetadata } from './extensionSessionCore.js';

/** Writing a session: its state (ETag-guarded) and its metadata. */
export function createSessionWrites({ db, clock, ids, dialect }: SessionDeps, { lockContext, metadataView }: SessionCore) {
  const mutateSession = <T>(sessionId: string, change: SessionChange<T>) => mutateSessionRow(db, dialect, clock, sessionId, change);

  function stateOf(row: ExtensionSessionRow): Record<string, unknown> {
    return fromJson<Record<string, unknown>>(row.state, {});
  }

  function checkedState(next: Record<string, unknown>, what = 'State'): string {
    const text = toJson(next);
    if (Buffer.byteLength(text) > MAX_STATE_BYTES) throw new ApiError('state_too_large', `${what} may be at most ${MAX_STATE_BYTES} bytes serialized; this would be ${Buffer.byteLength(text)}`);
    return text;
  }

  /** PUT's state: everything the extension owns is replaced; platform-managed keys stay. */
  function replacedState(row: ExtensionSessionRow, data: Record<string, unknown>): Record<string, unknown> {
    const current = stateOf(row);
    const next: Record<string, unknown> = { ...data };
    for (const k of RESERVED_STATE_KEYS) if (Object.hasOwn(current, k)) next[k] = current[k];
    return next;
  }

  function refuseReserved(data: Record<string, unknown>) {
    for (const k of RESERVED_STATE_KEYS) {
      if (Object.hasOwn(data, k)) throw new ApiError('reserved_key', `data.${k} is managed by the platform; use the attempts endpoints`, { key: k });
    }
  }

  /** `extension_session.updated` for a state write: the new state as GET …/state shows it. */
  function stateUpdated(tx: Executor, row: ExtensionSessionRow, data: Record<string, unknown>, version: number) {
    return emitWebhookEvent(tx, ids, clock.now(), 'extension_session.updated', { session: row }, () => ({ change: 'state', state: { data, etag: etagOf(version) } }));
  }

  return {
    getState(session: ExtensionSessionRow) {
      return { data: stateOf(session), version: session.state_version };
    },

    async putState(sessionId: string, data: Record<string, unknown>, ifMatch?: string) {
      checkStateKeys(data);
      refuseReserved(data);
      return mutateSession(sessionId, async (row) => {
        if (!ifMatchHolds(ifMatch, row.state_version)) throw new ApiError('precondition_failed', `If-Match does not match the current ETag ${etagOf(row.state_version)}`);
        const next = replacedState(row, data);
        const version = row.state_version + 1;
        return { patch: { state: checkedState(next), state_version: version }, result: { data: next, version }, after: (tx) => stateUpdated(tx, row, next, version) };
      });
    },

    async patchState(sessionId: string, patch: Record<string, unknown>, ifMatch?: string) {
      checkStateKeys(patch);
      refuseReserved(patch);
      return mutateSession(sessionId, async (row) => {
        if (!ifMatchHolds(ifMatch, row.state_version)) throw new ApiError('precondition_failed', `If-Match does not match the current ETag ${etagOf(row.state_version)}`);
        const next = mergePatch(stateOf(row), patch) as Record<string, unknown>;
        const version = row.state_version + 1;
        return { patch: { state: checkedState(next), state_version: version }, result: { data: next, version }, after: (tx) => stateUpdated(tx, row, next, version) };
      });
    },

    /**
     * Chaster's `PATCH …/sessions/:id` (and its deprecated `PUT …/data|metadata`): each field given
     * replaces the stored one whole (config verbatim, state as PUT does, the extension's blockers
     * and home actions), in one write with one `extension_session.updated`.
     */
    async replaceSession(sessionId: string, fields: { config?: Record<string, unknown>; state?: Record<string, unknown>; metadata?: Pick<StoredMetadata, 'unlockBlockers' | 'homeActions'> }) {
      if (fields.state) {
        checkStateKeys(fields.state);
        refuseReserved(fields.state);
      }
      if (fields.config) checkJsonDepth(fields.config, '/config', 'config');
      return mutateSession(sessionId, async (row) => {
        const state = fields.state && replacedState(row, fields.state);
        const metadata = fields.metadata && { ...storedMetadata(row), ...fields.metadata };
        const version = row.state_version + 1;
        const patch = {
          ...(fields.config ? { config: checkedState(fields.config, 'config') } : {}),
          ...(state ? { state: checkedState(state), state_version: version } : {}),
          ...(metadata ? { metadata: toJson(metadata) } : {}),
        };
        const after = (tx: Executor) =>
          emitWebhookEvent(tx, ids, clock.now(), 'extension_session.updated', { session: row }, () => ({
            change: 'session',
            ...(fields.config ? { config: fields.config } : {}),
            ...(state ? { state: { data: state, etag: etagOf(version) } } : {}),
            ...(metadata ? { metadata: { unlockBlockers: metadata.unlockBlockers, homeActions: metadata.homeActions } } : {}),
          }));
        return { patch, result: null, after };
      });
    },

    async getMetadata(session: ExtensionSessionRow): Promise<Metadata> {
      return metadataView(session, await lockContext([session.lock_id]));
    },

    /** Replaces only the arrays the patch names, in this extension's metadata only. */
    async patchMetadata(sessionId: string, patch: MetadataPatch): Promise<Metadata> {
      patch.homeActions?.forEach((a, i) => checkJsonDepth(a.intent?.payload, `/homeActions/${i}/intent/payload`, `homeActions[${i}].intent.payload`));
      if (patch.homeActions) {
        const slugs = patch.homeActions.map((a) => a.slug);
        const dup = slugs.find((s, i) => slugs.indexOf(s) !== i);
        if (dup) throw new ApiError('invalid_request', `Home action slug "${dup}" appears twice`, [{ in: 'body', path: '/homeActions', message: `duplicate slug ${dup}` }]);
      }
      const row = await mutateSession(sessionId, async (r) => {
        const meta = storedMetadata(r);
        const next: StoredMetadata = {
          ...meta,
          ...(patch.unlockBlockers ? { unlockBlockers: patch.unlockBlockers } : {}),
          ...(patch.homeActions ? { homeActions: patch.homeActions } : {}),
        };
        const metadata = toJson(next);
        const after = (tx: Executor) =>
          emitWebhookEvent(tx, ids, clock.now(), 'extension_session.updated', { session: r }, () => ({
            change: 'metadata',
            metadata: { unlockBlockers: next.unlockBlockers, homeActions: next.homeActions },
          }));
        return { patch: { metadata }, result: { ...r, metadata, version: r.version + 1 }, after };
      });
      return metadataView(row, await lockContext([row.lock_id]));
    },
  };
}
