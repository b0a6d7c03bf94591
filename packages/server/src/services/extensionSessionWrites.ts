import type { Metadata, MetadataPatch } from '@latch/protocol';
import { ApiError } from '../errors.js';
import { fromJson, toJson } from '../db/json.js';
import type { ExtensionSessionRow } from '../db/types.js';
import type { Executor } from '../storage/executor.js';
import { mutateSessionRow, type SessionChange } from './sessionRows.js';
import { checkJsonDepth } from './freeFormJson.js';
import { emitWebhookEvent } from './webhookOutbox.js';
import { updateStateIfUnwatched } from '../storage/extensionSessionState.js';
import { checkStateKeys, etagOf, ifMatchHolds, MAX_STATE_BYTES, mergePatch, RESERVED_STATE_KEYS, storedMetadata, type SessionCore, type SessionDeps, type StoredMetadata } from './extensionSessionCore.js';

/** Writing a session: its state (ETag-guarded) and its metadata. */
export function createSessionWrites({ db, clock, ids, dialect }: SessionDeps, { lockContext, metadataView }: SessionCore) {
  const mutateSession = <T>(sessionId: string, change: SessionChange<T>) => mutateSessionRow(db, dialect, clock, sessionId, change);

  function stateOf(row: ExtensionSessionRow): Record<string, unknown> {
    return fromJson<Record<string, unknown>>(row.state, {});
  }

  function checkedState(next: Record<string, unknown>): string {
    const text = toJson(next);
    if (Buffer.byteLength(text) > MAX_STATE_BYTES) throw new ApiError('state_too_large', `State may be at most ${MAX_STATE_BYTES} bytes serialized; this would be ${Buffer.byteLength(text)}`);
    return text;
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
      const { data, version, state } = decide(read);
      if (await updateStateIfUnwatched(db, read.id, read.version, state, version, clock.now())) return { data, version };
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
      return writeState(sessionId, ifMatch, read, (row) => {
        const current = stateOf(row);
        // PUT replaces everything the extension owns; platform-managed keys stay.
        const next: Record<string, unknown> = { ...data };
        for (const k of RESERVED_STATE_KEYS) if (Object.hasOwn(current, k)) next[k] = current[k];
        return next;
      });
    },

    async patchState(sessionId: string, patch: Record<string, unknown>, ifMatch?: string, read?: ExtensionSessionRow) {
      checkStateKeys(patch);
      refuseReserved(patch);
      return writeState(sessionId, ifMatch, read, (row) => mergePatch(stateOf(row), patch) as Record<string, unknown>);
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
