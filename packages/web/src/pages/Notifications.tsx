import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { BellIcon } from '../components/icons.js';
import { api } from '../api.js';
import { useSession } from '../session.js';
import type { Notification } from '../types.js';
import { Badge, NavLink, StatusLine, formatDate, useTitle } from '../components/ui.js';

interface Page {
  results: Notification[];
  unreadCount: number;
  hasMore: boolean;
}

/* The unread count and live notifications, shared by the stream (top of every page) and the list page. */
let unread = 0;
const unreadListeners = new Set<() => void>();
function setUnread(n: number) {
  unread = Math.max(0, n);
  unreadListeners.forEach((l) => l());
}
function useUnread(): number {
  return useSyncExternalStore(
    (l) => {
      unreadListeners.add(l);
      return () => unreadListeners.delete(l);
    },
    () => unread,
  );
}
const liveListeners = new Set<(n: Notification) => void>();

async function markRead(ids?: string[]): Promise<number> {
  const res = await api<{ updated: number }>('/api/notifications/read', { method: 'POST', body: ids ? { ids } : {} });
  return res.updated;
}

/** My notifications, newest first: mark one or all read. */
export function Notifications() {
  useTitle('Notifications');
  const [items, setItems] = useState<Notification[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const count = useUnread();

  const load = useCallback(async () => {
    try {
      const page = await api<Page>(`/api/notifications?limit=25${onlyUnread ? '&unread=true' : ''}`);
      setItems(page.results);
      setHasMore(page.hasMore);
      setUnread(page.unreadCount);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [onlyUnread]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const onLive = (n: Notification) => setItems((prev) => (prev && !prev.some((p) => p.id === n.id) ? [n, ...prev] : prev));
    liveListeners.add(onLive);
    return () => {
      liveListeners.delete(onLive);
    };
  }, []);

  async function more() {
    const last = items?.[items.length - 1];
    if (!last) return;
    setBusy(true);
    try {
      const page = await api<Page>(`/api/notifications?limit=25&before=${last.id}${onlyUnread ? '&unread=true' : ''}`);
      setItems((prev) => [...(prev ?? []), ...page.results.filter((n) => !(prev ?? []).some((p) => p.id === n.id))]);
      setHasMore(page.hasMore);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function readOne(n: Notification) {
    setError(null);
    try {
      await markRead([n.id]);
      const at = new Date().toISOString();
      setItems((prev) => (onlyUnread ? (prev ?? []).filter((p) => p.id !== n.id) : (prev ?? []).map((p) => (p.id === n.id ? { ...p, readAt: p.readAt ?? at } : p))));
      if (!n.readAt) setUnread(unread - 1);
      setStatus(`Marked “${n.title}” read.`);
    } catch (e) {
      setError(e);
    }
  }

  async function readAll() {
    setBusy(true);
    setError(null);
    try {
      const updated = await markRead();
      setStatus(updated ? `Marked ${updated} notification${updated === 1 ? '' : 's'} read.` : 'Nothing was unread.');
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <div className="page-head">
        <h1>Notifications</h1>
        <button type="button" onClick={() => void readAll()} disabled={busy || count === 0} data-testid="mark-all-read">
          Mark all read
        </button>
      </div>
      <div className="row wrap">
        <p className="muted" data-testid="unread-total">
          {count} unread
        </p>
        <div className="check">
          <input id="only-unread" type="checkbox" checked={onlyUnread} onChange={(e) => setOnlyUnread(e.target.checked)} />
          <label htmlFor="only-unread">Unread only</label>
        </div>
      </div>
      <StatusLine status={status} error={error} />
      {items === null && !error ? <p className="muted">Loading…</p> : null}
      {items?.length === 0 ? <p className="muted">No notifications.</p> : null}
      {items?.length ? (
        <ul className="plain stack" data-testid="notification-list">
          {items.map((n) => (
            <li key={n.id} className={`card notification ${n.readAt ? 'read' : 'unread'}`} data-testid={`notification-${n.id}`}>
              <div className="notification-head">
                <h2 className="h3">
                  {n.readAt ? null : <span className="visually-hidden">Unread: </span>}
                  {n.title}
                </h2>
                {n.readAt ? null : <Badge tone="info">New</Badge>}
              </div>
              {n.message ? <p>{n.message}</p> : null}
              <p className="muted small">
                <time dateTime={n.createdAt}>{formatDate(n.createdAt)}</time>
                {n.lockId ? (
                  <>
                    {' · '}
                    <NavLink to={`/locks/${n.lockId}`}>Open the lock</NavLink>
                  </>
                ) : null}
              </p>
              {n.readAt ? null : (
                <button type="button" className="small-btn" onClick={() => void readOne(n)} aria-label={`Mark “${n.title}” read`}>
                  Mark read
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {hasMore ? (
        <button type="button" onClick={() => void more()} disabled={busy}>
          Load more
        </button>
      ) : null}
    </section>
  );
}

interface Toast {
  key: string;
  n: Notification;
}

const TOAST_MS = 8000;
const MAX_TOASTS = 4;

/** The modal for `showPageOverlay` notifications: focus stays on its close button; Escape closes. */
function Overlay({ n, onClose }: { n: Notification; onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      } else if (e.key === 'Tab') {
        e.preventDefault();
        closeRef.current?.focus();
      }
    };
    const onFocus = (e: FocusEvent) => {
      if (closeRef.current && e.target !== closeRef.current) closeRef.current.focus();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('focusin', onFocus);
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('focusin', onFocus);
      document.body.style.overflow = overflow;
      before?.focus();
    };
  }, [onClose]);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={`ov-title-${n.id}`} aria-describedby={`ov-msg-${n.id}`} data-testid="notification-overlay">
        <h2 id={`ov-title-${n.id}`}>{n.title}</h2>
        <p id={`ov-msg-${n.id}`}>{n.message}</p>
        <div className="row end">
          <button ref={closeRef} type="button" className="primary" onClick={onClose} data-testid="overlay-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * Live notifications for the signed-in user (`/api/events`): the unread count, a toast for each
 * new one, and a modal overlay for those sent with `showPageOverlay`.
 */
export function NotificationStream() {
  const { me } = useSession();
  const userId = me?.id ?? null;
  const count = useUnread();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [overlays, setOverlays] = useState<Notification[]>([]);
  const timers = useRef(new Map<string, number>());

  const dismiss = useCallback((key: string) => {
    setToasts((t) => t.filter((x) => x.key !== key));
    const timer = timers.current.get(key);
    if (timer !== undefined) window.clearTimeout(timer);
    timers.current.delete(key);
  }, []);

  useEffect(() => {
    if (!userId) return;
    let live = true;
    api<Page>('/api/notifications?unread=true&limit=1')
      .then((p) => live && setUnread(p.unreadCount))
      .catch(() => undefined);
    const seen = new Set<string>();
    const source = new EventSource('/api/events');
    source.addEventListener('notification', (ev) => {
      let n: Notification;
      try {
        n = JSON.parse((ev as MessageEvent<string>).data) as Notification;
      } catch {
        return;
      }
      if (!live || seen.has(n.id)) return;
      seen.add(n.id);
      if (!n.readAt) setUnread(unread + 1);
      liveListeners.forEach((l) => l(n));
      const key = `${n.id}-${Date.now()}`;
      setToasts((t) => [...t.slice(-(MAX_TOASTS - 1)), { key, n }]);
      timers.current.set(
        key,
        window.setTimeout(() => dismiss(key), TOAST_MS),
      );
      if (n.showPageOverlay) setOverlays((o) => [...o, n]);
    });
    const pending = timers.current;
    return () => {
      live = false;
      source.close();
      pending.forEach((t) => window.clearTimeout(t));
      pending.clear();
      setToasts([]);
      setOverlays([]);
    };
  }, [userId, dismiss]);

  const closeOverlay = useCallback(() => setOverlays((o) => o.slice(1)), []);
  const overlay = overlays[0];

  return (
    <>
      <div className="toast-area">
        <div className="toasts" data-testid="toasts" aria-live="polite" aria-relevant="additions" aria-label="New notifications">
        {toasts.map(({ key, n }) => (
          <div key={key} className="toast" data-testid="toast">
            <div className="toast-body">
              <strong>{n.title}</strong>
              {n.message ? <span>{n.message}</span> : null}
              {n.lockId ? (
                <NavLink to={`/locks/${n.lockId}`} className="small">
                  Open the lock
                </NavLink>
              ) : null}
            </div>
            <button type="button" className="ghost toast-close" aria-label={`Dismiss “${n.title}”`} onClick={() => dismiss(key)}>
              ×
            </button>
          </div>
        ))}
        </div>
        {count > 0 ? (
          <NavLink to="/notifications" className="unread-pill" testId="unread-badge" label={`${count} unread notification${count === 1 ? '' : 's'}`}>
            <BellIcon />{' '}
            {count}
          </NavLink>
        ) : null}
      </div>
      {overlay ? <Overlay key={overlay.id} n={overlay} onClose={closeOverlay} /> : null}
    </>
  );
}
