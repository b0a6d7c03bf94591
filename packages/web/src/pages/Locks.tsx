import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api.js';
import { navigate } from '../router.js';
import type { Lock } from '../types.js';
import { Badge, ErrorNote, NavLink, StatusLine, formatDate, formatDuration, remainingNow, useTick, useTitle } from '../components/ui.js';

interface Page {
  results: Lock[];
  hasMore: boolean;
}

/** The remaining time of a lock in a list: ticking locally, "Frozen", "hidden" or ended. */
export function LockTimer({ lock, receivedAt, now }: { lock: Lock; receivedAt: number; now: number }) {
  if (lock.status !== 'locked') return <span className="muted">Ended {lock.endDate ? formatDate(lock.endDate) : ''}</span>;
  if (lock.frozenAt) return <span className="timer frozen">Frozen</span>;
  if (lock.timeRemainingSeconds === null) return <span className="timer muted">hidden</span>;
  const left = remainingNow(lock.timeRemainingSeconds, receivedAt, now);
  return <span className="timer">{left === 0 ? 'Time is up' : formatDuration(left)}</span>;
}

function statusTone(s: Lock['status']) {
  return s === 'locked' ? 'info' : s === 'unlocked' ? 'ok' : 'warn';
}

function LockCard({ lock, receivedAt, now, onAnswer }: { lock: Lock; receivedAt: number; now: number; onAnswer?: (accept: boolean) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const other = lock.role === 'wearer' ? lock.keyholder : lock.wearer;
  const invited = lock.role === 'keyholder' && lock.keyholderStatus === 'pending' && lock.status === 'locked';
  const answer = async (accept: boolean) => {
    if (!onAnswer) return;
    setBusy(true);
    setError(null);
    try {
      await onAnswer(accept);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="card lock-card" data-testid={`lock-${lock.id}`}>
      <div className="lock-card-head">
        <h3>
          <NavLink to={`/locks/${lock.id}`}>{lock.title}</NavLink>
        </h3>
        <LockTimer lock={lock} receivedAt={receivedAt} now={now} />
      </div>
      <div className="row wrap badges">
        <Badge tone={statusTone(lock.status)}>{lock.status}</Badge>
        <Badge>{lock.role === 'wearer' ? 'You wear it' : 'You hold the key'}</Badge>
        {lock.frozenAt && lock.status === 'locked' ? <Badge tone="info">Frozen</Badge> : null}
        {lock.pillory && lock.status === 'locked' ? <Badge tone="danger">Pillory</Badge> : null}
        {lock.hygienicOpening && lock.status === 'locked' ? <Badge tone={lock.hygienicOpening.overdue ? 'danger' : 'warn'}>Hygienic opening</Badge> : null}
        {lock.keyholderStatus === 'pending' && lock.role === 'wearer' ? <Badge tone="warn">Invitation pending</Badge> : null}
        {lock.keyholderStatus === 'declined' ? <Badge tone="warn">Keyholder declined</Badge> : null}
      </div>
      <p className="muted small">
        {lock.role === 'wearer' ? (other ? `Keyholder: ${other.profile.displayName || other.username}` : 'Self-lock') : `Wearer: ${lock.wearer.profile.displayName || lock.wearer.username}`}
        {' · '}started {formatDate(lock.startDate)}
      </p>
      {invited ? (
        <div className="invitation" role="group" aria-label={`Invitation to hold the key of ${lock.title}`}>
          <p>
            <strong>{lock.wearer.username}</strong> asks you to hold the key.
          </p>
          <div className="row">
            <button type="button" className="primary" disabled={busy} onClick={() => void answer(true)} data-testid={`accept-${lock.id}`}>
              Accept
            </button>
            <button type="button" disabled={busy} onClick={() => void answer(false)} data-testid={`decline-${lock.id}`}>
              Decline
            </button>
          </div>
          <ErrorNote error={error} />
        </div>
      ) : null}
    </li>
  );
}

/** My locks as wearer and as keyholder, with pending invitations first. */
export function Locks() {
  useTitle('My locks');
  const [locks, setLocks] = useState<Lock[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [receivedAt, setReceivedAt] = useState(() => Date.now());
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  const now = useTick(1000);
  const pages = useRef(1);

  const load = useCallback(async () => {
    try {
      // Re-read as many entries as are on screen, so a refresh does not shrink the list.
      const page = await api<Page>(`/api/locks?limit=${Math.min(100, 25 * pages.current)}`);
      setLocks(page.results);
      setHasMore(page.hasMore);
      setReceivedAt(Date.now());
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    void load();
    const t = window.setInterval(() => void load(), 15_000);
    return () => window.clearInterval(t);
  }, [load]);

  async function loadMore() {
    if (!locks?.length) return;
    setLoadingMore(true);
    try {
      const page = await api<Page>(`/api/locks?limit=25&before=${locks[locks.length - 1]!.id}`);
      pages.current += 1;
      setLocks([...locks, ...page.results.filter((l) => !locks.some((x) => x.id === l.id))]);
      setHasMore(page.hasMore);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  async function answer(lock: Lock, accept: boolean) {
    await api(`/api/locks/${lock.id}/invitation`, { method: 'POST', body: { accept } });
    setStatus(accept ? `You now hold the key of “${lock.title}”.` : `You declined “${lock.title}”.`);
    await load();
  }

  const invitations = (locks ?? []).filter((l) => l.role === 'keyholder' && l.keyholderStatus === 'pending' && l.status === 'locked');
  const active = (locks ?? []).filter((l) => l.status === 'locked' && !invitations.includes(l));
  const wearing = active.filter((l) => l.role === 'wearer');
  const holding = active.filter((l) => l.role === 'keyholder');
  const ended = (locks ?? []).filter((l) => l.status !== 'locked');

  const list = (items: Lock[], empty: string, testId: string) =>
    items.length ? (
      <ul className="lock-list" data-testid={testId}>
        {items.map((l) => (
          <LockCard key={l.id} lock={l} receivedAt={receivedAt} now={now} onAnswer={(a) => answer(l, a)} />
        ))}
      </ul>
    ) : (
      <p className="muted">{empty}</p>
    );

  return (
    <section>
      <div className="page-head">
        <h1>My locks</h1>
        <button type="button" className="primary" onClick={() => navigate('/locks/new')} data-testid="new-lock">
          New lock
        </button>
      </div>
      <StatusLine status={status} error={error} />
      {locks === null && !error ? <p className="muted">Loading…</p> : null}
      {locks !== null ? (
        <>
          {invitations.length ? (
            <section aria-labelledby="inv-h">
              <h2 id="inv-h">Keyholder invitations</h2>
              {list(invitations, '', 'invitations')}
            </section>
          ) : null}
          <section aria-labelledby="wear-h">
            <h2 id="wear-h">Wearing</h2>
            {list(wearing, 'You are not wearing a lock. Start one with “New lock”.', 'locks-wearer')}
          </section>
          <section aria-labelledby="hold-h">
            <h2 id="hold-h">Holding the key</h2>
            {list(holding, 'You hold no keys.', 'locks-keyholder')}
          </section>
          {ended.length ? (
            <section aria-labelledby="ended-h">
              <h2 id="ended-h">Ended</h2>
              {list(ended, '', 'locks-ended')}
            </section>
          ) : null}
          {hasMore ? (
            <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
