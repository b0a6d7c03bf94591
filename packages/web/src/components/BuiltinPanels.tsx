import { useCallback, useEffect, useState } from 'react';
import { api, upload } from '../api.js';
import type { Lock, PilloryVotes, VerificationPicture } from '../types.js';
import { ErrorNote, formatDate, humanDuration } from './ui.js';

const may = (lock: Lock, action: string) => lock.allowedActions.includes(action);

/** Loads `path` again whenever `version` moves (an action on the page, a live update). */
function useResults<T>(path: string, version: number, enabled: boolean): [T[], () => Promise<void>, unknown] {
  const [results, setResults] = useState<T[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setResults((await api<{ results: T[] }>(path)).results);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [path]);
  useEffect(() => {
    if (enabled) void load();
  }, [enabled, load, version]);
  return [results, load, error];
}

const byWhom = (p: VerificationPicture, lock: Lock) => (p.requestedBy.role === 'extension' ? `the extension ${p.requestedBy.extensionSlug ?? ''}` : p.requestedBy.userId === lock.keyholder?.id ? 'the keyholder' : 'the wearer');

/**
 * Verification pictures on the lock page (issue 13): whoever may asks for one (a fresh code);
 * the wearer photographs the device with the code on a note and uploads it; both see them.
 */
export function VerificationPanel({ lock, version, onChanged }: { lock: Lock; version: number; onChanged: (message: string) => void }) {
  const enabled = lock.settings.verificationPicture.enabled;
  const [pictures, reload, loadError] = useResults<VerificationPicture>(`/api/locks/${lock.id}/verification-pictures`, version, true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!enabled && pictures.length === 0) return null;
  const open = [...pictures].reverse().find((p) => p.status === 'requested');

  async function run(work: () => Promise<unknown>, message: string) {
    setBusy(true);
    setError(null);
    try {
      await work();
      await reload();
      onChanged(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="verification-h" data-testid="verification-panel">
      <h2 id="verification-h">Verification pictures</h2>
      {lock.status === 'locked' && enabled && may(lock, 'verification_picture.request') && lock.role === 'keyholder' ? (
        <button type="button" disabled={busy} onClick={() => void run(() => api(`/api/locks/${lock.id}/verification-pictures/request`, { method: 'POST' }), 'Verification picture requested.')} data-testid="verification-request">
          Request a verification picture
        </button>
      ) : null}
      {open ? (
        <div className="stack">
          <p>
            Requested by {byWhom(open, lock)} on {formatDate(open.requestedAt)}. Code: <strong data-testid="verification-code">{open.code}</strong>
          </p>
          {may(lock, 'verification_picture.submit') ? (
            <div className="field">
              <label htmlFor="verification-file">Photograph the device with the code written on a note, then upload it</label>
              <input
                id="verification-file"
                type="file"
                accept="image/png,image/jpeg,image/webp,image/gif"
                disabled={busy}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file) void run(() => upload(`/api/locks/${lock.id}/verification-pictures`, file, file.name), 'Verification picture sent.');
                }}
                data-testid="verification-upload"
              />
            </div>
          ) : (
            <p className="muted small">Waiting for the wearer’s picture.</p>
          )}
        </div>
      ) : null}
      <ul className="stack" data-testid="verification-list">
        {pictures
          .filter((p) => p.imageUrl)
          .map((p) => (
            <li key={p.id}>
              <p className="small">
                Code {p.code} — sent {formatDate(p.submittedAt)} (asked by {byWhom(p, lock)})
              </p>
              <img className="verification-picture" src={p.imageUrl!} alt={`Verification picture with code ${p.code}`} />
            </li>
          ))}
      </ul>
      <ErrorNote error={error ?? loadError} testId="verification-error" />
    </section>
  );
}

/** The votes on the wearer's running pillory, on the lock page (issue 13). */
export function PilloryVotesPanel({ lock, version }: { lock: Lock; version: number }) {
  const [pillories, , error] = useResults<PilloryVotes>(`/api/locks/${lock.id}/pillory/votes`, version, !!lock.pillory);
  const current = lock.pillory ? pillories[0] : undefined;
  if (!current) return null;
  return (
    <section className="card stack" aria-labelledby="pillory-votes-h" data-testid="pillory-votes">
      <h2 id="pillory-votes-h">Pillory votes</h2>
      <p>
        {current.votes} vote{current.votes === 1 ? '' : 's'} so far, {humanDuration(current.secondsAdded)} added ({humanDuration(current.secondsPerVote)} a vote); voting ends {formatDate(current.endsAt)}.
      </p>
      <p className="muted small">Anyone signed in can vote on the public <a href="/pillory">pillory page</a>.</p>
      <ErrorNote error={error} />
    </section>
  );
}

/** The public pillory (issue 13): everyone in it now; a signed-in visitor votes once per pillory to add time. */
export function PilloryPage() {
  const [version, setVersion] = useState(0);
  const [pillories, , loadError] = useResults<PilloryVotes>('/api/pillory', version, true);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');

  async function vote(p: PilloryVotes) {
    setError(null);
    try {
      await api(`/api/pillory/${p.id}/votes`, { method: 'POST' });
      setStatus(`You added ${humanDuration(p.secondsPerVote)} to ${p.wearer}’s lock.`);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="stack">
      <h1>Pillory</h1>
      <p className="muted">Each vote adds time to the wearer’s lock, once per pillory.</p>
      {pillories.length === 0 ? <p className="muted">Nobody is in the pillory right now.</p> : null}
      <ul className="stack" data-testid="pillory-list">
        {pillories.map((p) => (
          <li key={p.id} className="card stack">
            <p>
              <strong>{p.wearer}</strong>
              {p.reason ? ` — “${p.reason}”` : ''}
            </p>
            <p className="small">
              {p.votes} vote{p.votes === 1 ? '' : 's'}, {humanDuration(p.secondsAdded)} added; ends {formatDate(p.endsAt)}
            </p>
            <button type="button" onClick={() => void vote(p)} data-testid="pillory-vote">
              Vote: add {humanDuration(p.secondsPerVote)}
            </button>
          </li>
        ))}
      </ul>
      <p role="status">{status}</p>
      <ErrorNote error={error ?? loadError} />
    </section>
  );
}
