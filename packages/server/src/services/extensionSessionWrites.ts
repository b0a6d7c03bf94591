import type { Metadata, MetadataPatch } from '@latch/protocol';
import { ApiError } from '../errors.js';
import { fromJson, toJson } from '../db/json.js';
import type { ExtensionSessionRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { mutateSessionRow, type SessionChange } from './sessionRows.js';
import { checkJsonDepth } from './freeFormJson.js';
import { emitWebhookEvent } from './webhookOutbox.js';
import { updateStateIfUnwatched } from '../storage/extensionSessionState.js';
import { findExtensionSession } from '../storage/extensionSessions.js';
import { inCommitGroup } from '../db/commitGroup.js';
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

  /**
   * The one-statement write of `writeState`, decided on `row`. In a SQLite commit group (`w` is
   * its transaction, which holds the write lock) an earlier write of the same turn may have moved
   * the row: it is read again and decided anew there, where no one else can move it. Null when
   * the fast path does not apply (an endpoint listens, or the row moved outside a group); a
   * refusal comes back as a value, so it does not roll back the group's other writes.
   */
  async function writeDecided(w: Executor, row: ExtensionSessionRow, decide: (row: ExtensionSessionRow) => { data: Record<string, unknown>; version: number; state: string }) {
    for (let attempt = 0; ; attempt++) {
      let decided;
      try {
        decided = decide(row);
      } catch (err) {
        if (err instanceof ApiError) return err;
        throw err;
      }
      if (await updateStateIfUnwatched(w, row.id, row.version, decided.state, decided.version, clock.now())) return { data: decided.data, version: decided.version };
      if (!w.isTransaction || attempt > 0) return null;
      const fresh = await findExtensionSession(w, row.id);
      if (!fresh || fresh.version === row.version) return null;
      row = fresh;
    }
  }

  /**
   * A state write (`nextOf` gives the new state from the row). With `read`, the row as this
   * request's credential check read it, the write is first tried as one compare-and-swap statement
   * decided on that row (no transaction, no locked re-read), which holds when nothing changed the
   * session since and no webhook endpoint listens. Otherwise the locked read-modify-write with the
   * outbox runs on the fresh row. An `If-Match` refused on `read` was refused on what the session
   * was after the request arrived.
   */
  async function writeState(sessionId: string, ifMatch: string | undefined, read: ExtensionSessionRow | undefined, nextOf: (row: ExtensionSessionRow) => Record<string, unknown>) {
    const decide = (row: ExtensionSessionRow) => {
      if (!ifMatchHolds(ifMatch, row.state_version)) throw new ApiError('precondition_failed', `If-Match does not match the current ETag ${etagOf(row.state_version)}`);
      const data = nextOf(row);
      return { data, version: row.state_version + 1, state: checkedState(data) };
    };
    if (read) {
      const fast = await inCommitGroup(db, (w) => writeDecided(w, read, decide));
      if (fast instanceof ApiError) throw fast;
      if (fast) return fast;
    }
    return mutateSession(sessionId, async (row) => {
      const { data, version, state } = decide(row);
      return { patch: { state, state_version: version }, result: { data, version }, after: (tx) => stateUpdated(tx, row, data, version) };
    });
  }

  return {
    getState(session: ExtensionSessionRow) {
      return { data: stateOf(session), version: session.state_version };
    },

    async putState(sessionId: string, data: Record<string, unknown>, ifMatch?: string, read?: ExtensionSessionRow) {
      checkStateKeys(data);
      refuseReserved(data);
      return writeState(sessionId, ifMatch, read, (row) => replacedState(row, data));
    },

    async patchState(sessionId: string, patch: Record<string, unknown>, ifMatch?: string, read?: ExtensionSessionRow) {
      checkStateKeys(patch);
      refuseReserved(patch);
      return writeState(sessionId, ifMatch, read, (row) => mergePatch(stateOf(row), patch) as Record<string, unknown>);
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
