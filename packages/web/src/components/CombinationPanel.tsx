import { useState } from 'react';
import { api, ApiError } from '../api.js';
import type { Lock } from '../types.js';
import { ErrorNote, formatDate } from './ui.js';

type Reveal = { type: 'code'; code: string } | { type: 'picture'; url: string; contentType: string };
type ArchiveResult = { status: 'unlocked' | 'deserted'; archivedAt: string; deserted: boolean; combinationRecoverableAt: string | null };

/**
 * The wearer's combination safe on the lock page (issue 14): "View the combination" once the
 * lock is unlocked (also archived), "Archive" — which deserts a running lock, asked first — and
 * the recovery of a deserted lock's combination after its waiting period.
 */
export function CombinationPanel({ lock, onChanged }: { lock: Lock & { archivedAt?: string | null; serverNow?: string }; onChanged: (message: string) => void }) {
  const [shown, setShown] = useState<Reveal | null>(null);
  const [withheldUntil, setWithheldUntil] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'archive' | 'recover' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (lock.role !== 'wearer') return null;
  const running = lock.status === 'locked';
  const archived = !!lock.archivedAt;

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'combination_withheld') setWithheldUntil((e.details as { recoverableAt?: string } | undefined)?.recoverableAt ?? null);
      else setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  const view = () => run(async () => setShown(await api<Reveal>(`/api/locks/${lock.id}/combination`)));
  const archive = () =>
    run(async () => {
      const r = await api<ArchiveResult>(`/api/locks/${lock.id}/archive`, { method: 'POST' });
      setConfirming(null);
      if (r.deserted) setWithheldUntil(r.combinationRecoverableAt);
      onChanged(r.deserted ? 'Lock deserted: the combination is withheld.' : 'Lock archived.');
    });
  const recover = () =>
    run(async () => {
      await api(`/api/locks/${lock.id}/combination/recover`, { method: 'POST' });
      setConfirming(null);
      setWithheldUntil(null);
      onChanged('Combination recovered.');
      await view();
    });
  const recoverable = withheldUntil !== null && Date.parse(withheldUntil) <= (Date.parse(lock.serverNow ?? '') || Date.now());

  return (
    <section className="card stack" aria-labelledby="combination-h" data-testid="combination-panel">
      <h2 id="combination-h">Combination</h2>
      {running ? <p className="muted small">Sealed until the lock is unlocked.</p> : null}
      {!running && !shown ? (
        <div className="row">
          <button type="button" className="primary" disabled={busy} onClick={() => void view()} data-testid="view-combination">
            View the combination
          </button>
        </div>
      ) : null}
      {shown?.type === 'code' ? (
        <p>
          <output className="combination-code" data-testid="combination-code">
            {shown.code}
          </output>
        </p>
      ) : null}
      {shown?.type === 'picture' ? <img className="combination-picture" src={shown.url} alt="Your combination picture" data-testid="combination-picture" /> : null}
      {withheldUntil ? (
        <div className="stack" data-testid="combination-withheld">
          <p>You deserted this lock: its combination is withheld{recoverable ? '.' : ` until ${formatDate(withheldUntil)}.`}</p>
          {recoverable && confirming !== 'recover' ? (
            <div className="row">
              <button type="button" disabled={busy} onClick={() => setConfirming('recover')} data-testid="recover-combination">
                Recover the combination
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      {confirming === 'recover' ? (
        <div role="alertdialog" aria-labelledby="recover-q" className="stack confirm">
          <p id="recover-q">You abandoned this lock. Recovering its combination is recorded for good and the lock stays deserted. Recover it?</p>
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => void recover()} data-testid="confirm-recover">
              Recover the combination
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {!archived && confirming !== 'archive' ? (
        <div className="row">
          <button type="button" className={running ? 'danger' : undefined} disabled={busy} onClick={() => setConfirming('archive')} data-testid="archive-lock">
            {running ? 'Desert this lock' : 'Archive'}
          </button>
        </div>
      ) : null}
      {confirming === 'archive' ? (
        <div role="alertdialog" aria-labelledby="archive-q" className="stack confirm" data-testid="confirm-archive-dialog">
          <p id="archive-q">
            {running
              ? `The lock is still running: archiving it now deserts it. It ends at once, ${lock.keyholder ? 'your keyholder sees it deserted, ' : ''}and your combination is withheld for 7 days. This cannot be undone.`
              : 'Archive this lock? You can still view its combination afterwards.'}
          </p>
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => void archive()} data-testid="confirm-archive">
              {running ? 'Desert the lock' : 'Archive'}
            </button>
            <button type="button" onClick={() => setConfirming(null)} data-testid="cancel-archive">
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      <ErrorNote error={error} testId="combination-panel-error" />
    </section>
  );
}
