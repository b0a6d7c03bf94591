import { useEffect, useState } from 'react';
import { api } from '../api.js';
import type { Lock, SharedLink } from '../types.js';
import { copyText, DurationInput, ErrorNote, formatDate, humanDuration } from './ui.js';

type Changed = (message: string) => Promise<void>;

/**
 * The lock's terms (Chaster's "Lock settings"): the initial range, the minimum lock time, the
 * limit lock time. The wearer moves the limit later, or removes it for good after confirming.
 */
export function LockTermsCard({ lock, onChanged }: { lock: Lock; onChanged: Changed }) {
  const [later, setLater] = useState(86400);
  const [floor, setFloor] = useState(3600);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // What the lock's policy table lets this user do now (the server's `allowedActions`).
  const mayMoveCeiling = lock.allowedActions.includes('max_limit.extend');
  const ranged = lock.minDate && lock.maxDate && lock.minDate !== lock.maxDate;

  async function run(path: string, method: 'PUT' | 'DELETE', body: unknown, message: string) {
    setBusy(true);
    setError(null);
    try {
      await api(path, { method, ...(body === undefined ? {} : { body }) });
      setConfirming(false);
      await onChanged(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const keyholderMaySetFloor = lock.allowedActions.includes('min_limit.change');
  if (!ranged && !lock.minLimitDate && !lock.limitLockTime && !lock.isTestLock && !lock.hideTimeLogs && !keyholderMaySetFloor) return null;
  return (
    <section className="card stack" aria-labelledby="terms-h" data-testid="lock-terms">
      <h2 id="terms-h">Lock terms</h2>
      <ul className="plain stack small">
        {ranged ? (
          <li>
            Initial end drawn between {formatDate(lock.minDate)} and {formatDate(lock.maxDate)}.
          </li>
        ) : null}
        {lock.minLimitDate ? <li data-testid="min-limit">Minimum lock time: nobody can unlock before {formatDate(lock.minLimitDate)}.</li> : null}
        {lock.limitLockTime ? (
          <li data-testid="max-limit">Limit lock time: {lock.maxEndsAt ? `released by ${formatDate(lock.maxEndsAt)} at the latest` : 'set (hidden with the timer)'}.</li>
        ) : (
          <li>No limit lock time.</li>
        )}
        {lock.hideTimeLogs ? <li>Time changes are hidden from the wearer’s history.</li> : null}
        {lock.isTestLock ? <li>Test lock: left out of statistics.</li> : null}
      </ul>
      {mayMoveCeiling ? (
        <div className="stack">
          <DurationInput legend="Move the limit later by" idPrefix="limit-later" value={later} onChange={setLater} hint={humanDuration(later)} />
          <div className="row wrap">
            <button
              type="button"
              disabled={busy || later < 60}
              onClick={() => void run(`/api/locks/${lock.id}/max-limit`, 'PUT', { extendBySeconds: later }, `Limit lock time moved ${humanDuration(later)} later.`)}
              data-testid="extend-limit"
            >
              Move the limit later
            </button>
            {confirming ? (
              <div className="notice warn" role="alertdialog" aria-labelledby="remove-limit-q">
                <p id="remove-limit-q">
                  <strong>Remove the limit lock time?</strong> This cannot be undone: the lock can then run for any time added to it.
                </p>
                <div className="row">
                  <button type="button" className="danger" disabled={busy} onClick={() => void run(`/api/locks/${lock.id}/max-limit`, 'DELETE', undefined, 'Limit lock time removed.')} data-testid="confirm-remove-limit">
                    Remove it for good
                  </button>
                  <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
                    Keep it
                  </button>
                </div>
              </div>
            ) : (
              <button type="button" disabled={busy} onClick={() => setConfirming(true)} data-testid="remove-limit">
                Remove the limit…
              </button>
            )}
          </div>
        </div>
      ) : null}
      {keyholderMaySetFloor ? (
        <div className="stack">
          <DurationInput legend="Minimum lock time, from the start" idPrefix="floor" value={floor} onChange={setFloor} hint={`Nobody unlocks before ${formatDate(new Date(Date.parse(lock.startDate) + floor * 1000).toISOString())}.`} />
          <div className="row wrap">
            <button
              type="button"
              disabled={busy}
              onClick={() => void run(`/api/locks/${lock.id}/min-limit`, 'PUT', { minLimitDate: new Date(Date.parse(lock.startDate) + floor * 1000).toISOString() }, 'Minimum lock time set.')}
              data-testid="set-min-limit"
            >
              Set the minimum lock time
            </button>
            {lock.minLimitDate ? (
              <button type="button" disabled={busy} onClick={() => void run(`/api/locks/${lock.id}/min-limit`, 'PUT', { minLimitDate: null }, 'Minimum lock time removed.')}>
                Remove it
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
      <ErrorNote error={error} testId="terms-error" />
    </section>
  );
}

/** The lock's shared link for visitors: its controller sets the amounts and the vote period. */
export function SharedLinkCard({ lock, canControl }: { lock: Lock; canControl: boolean }) {
  const [link, setLink] = useState<SharedLink | null | undefined>(undefined);
  const [add, setAdd] = useState(3600);
  const [remove, setRemove] = useState(3600);
  const [period, setPeriod] = useState(86400);
  const [random, setRandom] = useState(false);
  const [signedInOnly, setSignedInOnly] = useState(false);
  const [requiredVotes, setRequiredVotes] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [copied, setCopied] = useState('');

  useEffect(() => {
    api<{ link: SharedLink | null }>(`/api/locks/${lock.id}/shared-link`)
      .then((r) => {
        setLink(r.link);
        if (r.link) {
          setAdd(r.link.addSeconds);
          setRemove(r.link.removeSeconds);
          setPeriod(r.link.periodSeconds);
          setRandom(r.link.allowRandom);
          setSignedInOnly(r.link.signedInOnly);
          setRequiredVotes(r.link.requiredVotes);
        }
      })
      .catch((e: unknown) => setError(e));
  }, [lock.id]);

  async function save(enabled: boolean) {
    setBusy(true);
    setError(null);
    try {
      setLink(await api<SharedLink>(`/api/locks/${lock.id}/shared-link`, { method: 'PUT', body: { enabled, addSeconds: add, removeSeconds: remove, periodSeconds: period, allowRandom: random, signedInOnly, requiredVotes } }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (link === undefined && !error) return null;
  if (!link && !canControl) return null;
  const url = link ? `${location.origin}/link/${link.id}` : '';
  return (
    <section className="card stack" aria-labelledby="shared-link-h" data-testid="shared-link">
      <h2 id="shared-link-h">Shared link</h2>
      {link ? (
        <p className="small">
          {link.enabled ? 'Visitors of ' : 'Disabled: '}
          <a href={`/link/${link.id}`} data-testid="shared-link-url">
            {url}
          </a>
          {link.enabled ? ` vote to add ${humanDuration(link.addSeconds)} or remove ${humanDuration(link.removeSeconds)}, once per ${humanDuration(link.periodSeconds)}. ${link.votes} votes so far${link.requiredVotes ? ` of ${link.requiredVotes} required to unlock` : ''}.` : ''}{' '}
          <button type="button" className="small-btn" onClick={() => void copyText(url).then((ok) => setCopied(ok ? 'Copied.' : 'Copy it by hand.'))}>
            Copy
          </button>{' '}
          <span role="status">{copied}</span>
        </p>
      ) : (
        <p className="muted small">Share a link where visitors vote to add or remove time.</p>
      )}
      {canControl && lock.status === 'locked' ? (
        <div className="stack">
          <DurationInput legend="One “add” vote adds" idPrefix="link-add" value={add} onChange={setAdd} units={['h', 'm']} hint="0 for no “add” votes" />
          <DurationInput legend="One “remove” vote removes" idPrefix="link-remove" value={remove} onChange={setRemove} units={['h', 'm']} hint="0 for no “remove” votes" />
          <DurationInput legend="One vote per visitor every" idPrefix="link-period" value={period} onChange={setPeriod} hint={humanDuration(period)} />
          <div className="check">
            <input id="link-random" type="checkbox" checked={random} onChange={(e) => setRandom(e.target.checked)} />
            <label htmlFor="link-random">Visitors may vote at random</label>
          </div>
          <div className="check">
            <input id="link-signed-in" type="checkbox" checked={signedInOnly} onChange={(e) => setSignedInOnly(e.target.checked)} />
            <label htmlFor="link-signed-in">Only signed-in visitors may vote</label>
          </div>
          <div className="field">
            <label htmlFor="link-required">Votes required before unlocking</label>
            <input id="link-required" type="number" inputMode="numeric" min={0} max={100000} value={requiredVotes} onChange={(e) => setRequiredVotes(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
          </div>
          <div className="row wrap">
            <button type="button" className="primary" disabled={busy} onClick={() => void save(true)} data-testid="save-shared-link">
              {link ? 'Save the link' : 'Create the link'}
            </button>
            {link?.enabled ? (
              <button type="button" disabled={busy} onClick={() => void save(false)}>
                Disable the link
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
      <ErrorNote error={error} />
    </section>
  );
}
