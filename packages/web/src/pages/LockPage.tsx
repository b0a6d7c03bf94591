import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api.js';
import { Link, navigate } from '../router.js';
import type { HistoryEntry, Lock, Metadata } from '../types.js';
import { HomeActionIcon } from '../components/icons.js';
import { Badge, DurationInput, ErrorNote, NavLink, formatDate, formatDuration, humanDuration, remainingNow, useTick, useTitle } from '../components/ui.js';
import { ManageExtensions } from './ManageExtensions.js';
import { useAction, type Done } from './lock/actions.js';
import { coalesce, useLockLive } from './lock/LockLive.js';
import { TaskPanel } from './lock/TaskPanel.js';
import { CombinationPanel } from '../components/CombinationPanel.js';
import { PenaltiesPanel, PilloryVotesPanel, VerificationPanel } from '../components/BuiltinPanels.js';
import { LockTermsCard, SharedLinkCard } from '../components/LockTermsCard.js';

/** A sentence for each reason the server gives for holding the lock. */
export function reasonText(reason: string, lock: Lock): string {
  switch (reason) {
    case 'time_remaining':
      return 'Time is still left on the timer.';
    case 'frozen':
      return 'The lock is frozen.';
    case 'pillory':
      return 'The wearer is in the pillory.';
    case 'extension_blocker':
      return 'An extension is holding the lock.';
    case 'requirement_unsatisfied':
      return 'Actions an extension requires are not done yet.';
    case 'task_points':
      return `Not enough task points: ${lock.taskPoints} of ${lock.settings.requiredTaskPoints} earned.`;
    case 'not_locked':
      return 'The lock is not locked any more.';
    case 'visitor_votes':
      return 'Not enough visitors have voted on the shared link yet.';
    case 'min_lock_time':
      return `The minimum lock time runs until ${formatDate(lock.minLimitDate)}: nobody can unlock before.`;
    default:
      return reason.replace(/_/g, ' ');
  }
}

/** Whether the server's lock policy lets the signed-in user do `action` now (`allowedActions`). */
const may = (lock: Lock, action: string) => lock.allowedActions.includes(action);
const mayAny = (lock: Lock, actions: string[]) => actions.some((a) => may(lock, a));
const EXTENSION_ACTIONS = ['extension.install', 'extension.configure', 'extension.remove'];
const CONTROL_ACTIONS = ['add_time', 'remove_time', 'freeze', 'unfreeze', 'pillory', 'pillory.end', 'task.assign', 'hygienic_unlock.start', 'settings.patch', ...EXTENSION_ACTIONS];

function Countdown({ lock, receivedAt }: { lock: Lock; receivedAt: number }) {
  const now = useTick(1000);
  let text: string;
  let state: string;
  if (lock.status !== 'locked') {
    text = lock.status === 'unlocked' ? 'Unlocked' : 'Ended';
    state = 'ended';
  } else if (lock.frozenAt) {
    text = 'Frozen';
    state = 'frozen';
  } else if (lock.timeRemainingSeconds === null) {
    text = 'Hidden';
    state = 'hidden';
  } else {
    const left = remainingNow(lock.timeRemainingSeconds, receivedAt, now);
    text = left === 0 ? '00:00:00' : formatDuration(left);
    state = left === 0 ? 'done' : 'running';
  }
  return (
    <div className="countdown-box">
      <p className="muted small" id="countdown-label">
        Time left
      </p>
      {/* Not a live region: a ticking clock would be read out every second. */}
      <p className={`countdown countdown-${state}`} data-testid="countdown" data-state={state} aria-labelledby="countdown-label">
        {text}
      </p>
      {lock.status === 'locked' && lock.frozenAt && lock.timeRemainingSeconds !== null ? (
        <p className="muted small">{formatDuration(lock.timeRemainingSeconds)} left when it thaws</p>
      ) : null}
      {lock.status === 'locked' && lock.maxEndsAt ? <p className="muted small">Ends no later than {formatDate(lock.maxEndsAt)}</p> : null}
    </div>
  );
}

function ControlCard({ title, children, error }: { title: string; children: React.ReactNode; error: unknown }) {
  const id = `ctl-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section className="card stack control" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
      <ErrorNote error={error} />
    </section>
  );
}

function TimeControl({ lock, onDone }: { lock: Lock; onDone: Done }) {
  const [amount, setAmount] = useState(3600);
  const { busy, error, run } = useAction(lock.id, onDone);
  return (
    <ControlCard title="Time" error={error}>
      <DurationInput legend="Amount" idPrefix="ctl-time" value={amount} onChange={setAmount} />
      <div className="row wrap">
        {may(lock, 'add_time') ? (
          <button type="button" disabled={!!busy || amount < 1} onClick={() => void run('add_time', { seconds: amount }, `Added ${humanDuration(amount)}.`)} data-testid="add-time">
            Add time
          </button>
        ) : null}
        {may(lock, 'remove_time') ? (
          <button type="button" disabled={!!busy || amount < 1} onClick={() => window.confirm(`Remove ${humanDuration(amount)} from the timer?`) && void run('remove_time', { seconds: amount }, `Removed ${humanDuration(amount)}.`)} data-testid="remove-time">
            Remove time
          </button>
        ) : null}
      </div>
    </ControlCard>
  );
}

function FreezeControl({ lock, onDone }: { lock: Lock; onDone: Done }) {
  const [duration, setDuration] = useState(3600);
  const { busy, error, run } = useAction(lock.id, onDone);
  return (
    <ControlCard title="Freeze" error={error}>
      {lock.frozenAt ? (
        <>
          <p>Frozen since {formatDate(lock.frozenAt)}{lock.frozenUntil ? `, until ${formatDate(lock.frozenUntil)}` : ''}.</p>
          {may(lock, 'unfreeze') ? (
            <button type="button" disabled={!!busy} onClick={() => void run('unfreeze', undefined, 'Unfrozen.')} data-testid="unfreeze">
              Unfreeze
            </button>
          ) : null}
        </>
      ) : (
        <>
          <DurationInput legend="Freeze for" idPrefix="ctl-freeze" units={['h', 'm']} value={duration} onChange={setDuration} hint="1 minute to 24 hours; the timer stops meanwhile." />
          <button type="button" disabled={!!busy} onClick={() => void run('freeze', { durationSeconds: duration }, `Frozen for ${humanDuration(duration)}.`)} data-testid="freeze">
            Freeze
          </button>
        </>
      )}
    </ControlCard>
  );
}

function PilloryControl({ lock, onDone }: { lock: Lock; onDone: Done }) {
  const [duration, setDuration] = useState(Math.min(3600, lock.settings.pillory.maxDurationSeconds));
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction(lock.id, onDone);
  return (
    <ControlCard title="Pillory" error={error}>
      {lock.pillory ? (
        <>
          <p>In the pillory until {formatDate(lock.pillory.until)}{lock.pillory.reason ? ` — “${lock.pillory.reason}”` : ''}.</p>
          {may(lock, 'pillory.end') ? (
            <button type="button" disabled={!!busy} onClick={() => void run('pillory.end', undefined, 'The pillory ended.')} data-testid="end-pillory">
              End pillory
            </button>
          ) : null}
        </>
      ) : (
        <>
          <DurationInput legend="Pillory for" idPrefix="ctl-pillory" value={duration} onChange={setDuration} hint={`At most ${humanDuration(lock.settings.pillory.maxDurationSeconds)}.`} />
          <div className="field">
            <label htmlFor="ctl-pillory-reason">Reason (optional)</label>
            <input id="ctl-pillory-reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <button
            type="button"
            disabled={!!busy}
            onClick={() => void run('pillory', { durationSeconds: duration, ...(reason.trim() ? { reason: reason.trim() } : {}) }, `In the pillory for ${humanDuration(duration)}.`).then((ok) => ok && setReason(''))}
            data-testid="pillory"
          >
            Put in pillory
          </button>
        </>
      )}
    </ControlCard>
  );
}

function TaskControl({ lock, onDone }: { lock: Lock; onDone: Done }) {
  const [text, setText] = useState('');
  const [points, setPoints] = useState(10);
  const [duration, setDuration] = useState(0);
  const [verification, setVerification] = useState(false);
  const { busy, error, run } = useAction(lock.id, onDone);
  return (
    <ControlCard title="Assign a task" error={error}>
      {lock.currentTask ? <p className="muted small">Assigning replaces the open task.</p> : null}
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void run('task.assign', { taskText: text, points, durationSeconds: duration, verificationRequired: verification }, 'Task assigned.').then((ok) => ok && setText(''));
        }}
      >
        <div className="field">
          <label htmlFor="ctl-task-text">Task</label>
          <textarea id="ctl-task-text" required maxLength={2000} rows={2} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="ctl-task-points">Points (0–100)</label>
          <input id="ctl-task-points" type="number" inputMode="numeric" min={0} max={100} value={points} onChange={(e) => setPoints(Math.max(0, Math.min(100, Math.floor(Number(e.target.value) || 0))))} />
        </div>
        <DurationInput legend="Timer (optional)" idPrefix="ctl-task-duration" units={['h', 'm']} value={duration} onChange={setDuration} hint="0 for none; otherwise 1 minute to 24 hours." />
        <div className="check">
          <input id="ctl-task-verify" type="checkbox" checked={verification} onChange={(e) => setVerification(e.target.checked)} />
          <label htmlFor="ctl-task-verify">Needs verification</label>
        </div>
        <button type="submit" disabled={!!busy} data-testid="assign-task">
          Assign task
        </button>
      </form>
    </ControlCard>
  );
}

function HygienicControl({ lock, onDone }: { lock: Lock; onDone: Done }) {
  const [duration, setDuration] = useState(lock.settings.hygienicOpening.durationSeconds);
  const { busy, error, run } = useAction(lock.id, onDone);
  return (
    <ControlCard title="Hygienic opening" error={error}>
      {lock.hygienicOpening ? (
        <p>Open since {formatDate(lock.hygienicOpening.startedAt)}; relock by {formatDate(lock.hygienicOpening.relockBy)}.</p>
      ) : (
        <>
          <DurationInput legend="Open for" idPrefix="ctl-hygienic" units={['h', 'm']} value={duration} onChange={setDuration} hint="1 minute to 24 hours; the timer keeps running." />
          <button type="button" disabled={!!busy} onClick={() => void run('hygienic_unlock.start', { durationSeconds: duration }, `Hygienic opening started for ${humanDuration(duration)}.`)} data-testid="start-hygienic">
            Start hygienic opening
          </button>
        </>
      )}
    </ControlCard>
  );
}

/**
 * The controls of the lock's optional modules, each only while it is on (Settings turns them on):
 * a module that is off offers nothing to press. A pillory still running when it was turned off can
 * still be ended.
 */
function ModuleControls({ lock, onDone }: { lock: Lock; onDone: Done }) {
  const s = lock.settings;
  return (
    <>
      {(s.pillory.enabled || lock.pillory) && mayAny(lock, ['pillory', 'pillory.end']) ? <PilloryControl lock={lock} onDone={onDone} /> : null}
      {s.tasks.enabled && may(lock, 'task.assign') ? <TaskControl lock={lock} onDone={onDone} /> : null}
      {s.hygienicOpening.enabled && may(lock, 'hygienic_unlock.start') ? <HygienicControl lock={lock} onDone={onDone} /> : null}
    </>
  );
}

function SettingsControl({ lock, onDone }: { lock: Lock; onDone: Done }) {
  const s = lock.settings;
  const [tasks, setTasks] = useState(s.tasks.enabled);
  const [points, setPoints] = useState(s.requiredTaskPoints);
  const [hidden, setHidden] = useState(lock.hiddenTimer);
  const [hygienic, setHygienic] = useState(s.hygienicOpening.enabled);
  const [pillory, setPillory] = useState(s.pillory.enabled);
  const [verification, setVerification] = useState(s.verificationPicture.enabled);
  const [penalties, setPenalties] = useState(s.penalties.enabled);
  const { busy, error, run } = useAction(lock.id, onDone);
  const trust = useAction(lock.id, onDone);
  // Follow the server when someone else changes the settings.
  useEffect(() => {
    setTasks(s.tasks.enabled);
    setPoints(s.requiredTaskPoints);
    setHidden(lock.hiddenTimer);
    setHygienic(s.hygienicOpening.enabled);
    setPillory(s.pillory.enabled);
    setVerification(s.verificationPicture.enabled);
    setPenalties(s.penalties.enabled);
  }, [s.tasks.enabled, s.requiredTaskPoints, lock.hiddenTimer, s.hygienicOpening.enabled, s.pillory.enabled, s.verificationPicture.enabled, s.penalties.enabled]);
  const dirty =
    tasks !== s.tasks.enabled || points !== s.requiredTaskPoints || hidden !== lock.hiddenTimer || hygienic !== s.hygienicOpening.enabled || pillory !== s.pillory.enabled || verification !== s.verificationPicture.enabled || penalties !== s.penalties.enabled;
  return (
    <ControlCard title="Settings" error={error ?? trust.error}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void run(
            'settings.patch',
            { tasks: { enabled: tasks }, requiredTaskPoints: points, hiddenTimer: hidden, hygienicOpening: { enabled: hygienic }, pillory: { enabled: pillory }, verificationPicture: { enabled: verification }, penalties: { enabled: penalties } },
            'Settings saved.',
          );
        }}
      >
        <div className="check">
          <input id="set-tasks" type="checkbox" checked={tasks} onChange={(e) => setTasks(e.target.checked)} />
          <label htmlFor="set-tasks">Tasks</label>
        </div>
        <div className="field">
          <label htmlFor="set-points">Required task points</label>
          <input id="set-points" type="number" inputMode="numeric" min={0} max={100000} value={points} onChange={(e) => setPoints(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
        </div>
        <div className="check">
          <input id="set-hidden" type="checkbox" checked={hidden} onChange={(e) => setHidden(e.target.checked)} />
          <label htmlFor="set-hidden">Hide the timer from the wearer</label>
        </div>
        <div className="check">
          <input id="set-hygienic" type="checkbox" checked={hygienic} onChange={(e) => setHygienic(e.target.checked)} />
          <label htmlFor="set-hygienic">Hygienic opening</label>
        </div>
        <div className="check">
          <input id="set-pillory" type="checkbox" checked={pillory} onChange={(e) => setPillory(e.target.checked)} />
          <label htmlFor="set-pillory">Pillory</label>
        </div>
        <div className="check">
          <input id="set-verification" type="checkbox" checked={verification} onChange={(e) => setVerification(e.target.checked)} />
          <label htmlFor="set-verification">Verification pictures</label>
        </div>
        <div className="check">
          <input id="set-penalties" type="checkbox" checked={penalties} onChange={(e) => setPenalties(e.target.checked)} />
          <label htmlFor="set-penalties">Penalties (habits of the extensions)</label>
        </div>
        <button type="submit" disabled={!!busy || !dirty} data-testid="save-settings">
          Save settings
        </button>
      </form>
      <div className="switch-row">
        <button
          type="button"
          role="switch"
          className="switch"
          aria-checked={s.trustExternalPrograms}
          aria-describedby="trust-hint"
          disabled={!!trust.busy}
          data-testid="trust-external"
          onClick={() =>
            void trust.run(
              'settings.patch',
              { trustExternalPrograms: !s.trustExternalPrograms },
              s.trustExternalPrograms ? 'External programs are no longer trusted.' : 'External programs are trusted.',
            )
          }
        >
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          <span>Trust external programs</span>
        </button>
        <p id="trust-hint" className="muted small">
          Lets scripts with a developer key take actions that favour the wearer (remove time, unfreeze, end the pillory…).
        </p>
      </div>
    </ControlCard>
  );
}

function ExtensionCard({ lockId, ext, metadata }: { lockId: string; ext: Lock['extensions'][number]; metadata: Metadata | undefined }) {
  const open = metadata?.unlockRequirements.filter((r) => !r.satisfied) ?? [];
  const base = `/locks/${lockId}/extensions/${ext.sessionId}`;
  return (
    <li className="card ext-card" data-testid={`extension-${ext.slug}`}>
      <div className="ext-card-head">
        <h3>{ext.name}</h3>
        {metadata?.unlockBlockers.length || open.length ? <Badge tone="warn">Holds the lock</Badge> : null}
        {ext.background ? (
          <span title={`Allowed ${new Date(ext.background.grantedAt).toLocaleString()}: it may change this lock while nobody has it open, as the ${ext.background.role}`} data-testid={`extension-background-${ext.slug}`}>
            <Badge tone="info">Acts in the background</Badge>
          </span>
        ) : null}
      </div>
      {open.length ? (
        <ul className="plain small">
          {open.map((r) => (
            <li key={r.metric}>
              <Badge tone="warn">Required</Badge> {r.blocker}: {r.count} of {r.requiredCount}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="row wrap">
        <NavLink to={base} className="button primary" testId={`open-extension-${ext.slug}`} label={`Open ${ext.name}`}>
          Open
        </NavLink>
      </div>
      {metadata?.homeActions.length ? (
        <nav aria-label={`${ext.name} actions`}>
          <ul className="menu">
            {metadata.homeActions.map((a) => {
              // An action named like an unmet requirement's metric is how the wearer makes progress on it.
              const req = open.find((r) => r.metric === a.slug);
              return (
                <li key={a.slug}>
                  <NavLink to={`${base}?action=${encodeURIComponent(a.slug)}`} className="menu-item" testId={`home-action-${a.slug}`}>
                    <span className="menu-title">
                      {a.icon ? <HomeActionIcon icon={a.icon} /> : null}
                      {a.title}
                    </span>
                    {req ? (
                      <Badge tone="warn">
                        Required · {req.count} of {req.requiredCount}
                      </Badge>
                    ) : null}
                    {a.badge ? <Badge tone="info">{a.badge}</Badge> : null}
                    {a.description ? <span className="muted small menu-desc">{a.description}</span> : null}
                  </NavLink>
                </li>
              );
            })}
          </ul>
        </nav>
      ) : null}
    </li>
  );
}

/** A task's verification picture, shown with the history entry that completed it (same-origin, cookie-protected). */
function VerificationPicture({ entry }: { entry: HistoryEntry }) {
  const src = (entry.payload as { verificationPicture?: unknown } | null)?.verificationPicture;
  if (typeof src !== 'string' || !src.startsWith('/api/locks/')) return null;
  return (
    <a href={src} target="_blank" rel="noreferrer">
      <img className="verification-picture" src={src} alt="Verification picture of the task" data-testid="verification-picture" />
    </a>
  );
}

function History({ lockId, version }: { lockId: string; version: number }) {
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const entriesRef = useRef(entries);
  entriesRef.current = entries;

  // The newest page, merged in front of what is already shown (after actions and refreshes).
  useEffect(() => {
    let live = true;
    api<{ results: HistoryEntry[]; hasMore: boolean }>(`/api/locks/${lockId}/history?limit=25`)
      .then((page) => {
        if (!live) return;
        const prev = entriesRef.current;
        if (!prev.length) {
          setHasMore(page.hasMore);
          setEntries(page.results);
        } else {
          const known = new Set(prev.map((e) => e.id));
          const fresh = page.results.filter((e) => !known.has(e.id));
          if (fresh.length) setEntries([...fresh, ...prev]);
        }
        setError(null);
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [lockId, version]);

  async function more() {
    const last = entries[entries.length - 1];
    if (!last) return;
    setLoading(true);
    try {
      const page = await api<{ results: HistoryEntry[]; hasMore: boolean }>(`/api/locks/${lockId}/history?limit=25&before=${last.id}`);
      setEntries((prev) => [...prev, ...page.results.filter((e) => !prev.some((p) => p.id === e.id))]);
      setHasMore(page.hasMore);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="history-h">
      <h2 id="history-h">History</h2>
      <ErrorNote error={error} />
      {entries.length === 0 && !error ? <p className="muted">Nothing yet.</p> : null}
      <ol className="history" data-testid="history">
        {entries.map((h) => (
          <li key={h.id} className="history-entry" style={h.color ? ({ '--entry-color': h.color } as React.CSSProperties) : undefined}>
            <div className="history-head">
              <span className="history-title">{h.title}</span>
              <time className="muted small" dateTime={h.createdAt}>
                {formatDate(h.createdAt)}
              </time>
            </div>
            {h.description ? <p className="small">{h.description}</p> : null}
            <VerificationPicture entry={h} />
            <p className="muted small">
              {h.role}
              {h.actor?.username ? ` · ${h.actor.username}` : ''}
              {h.actor?.extensionSlug && h.role === 'extension' ? ` · ${h.actor.extensionSlug}` : ''}
            </p>
          </li>
        ))}
      </ol>
      {hasMore ? (
        <button type="button" onClick={() => void more()} disabled={loading} data-testid="history-more">
          {loading ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </section>
  );
}

/** One lock: timer, what holds it, the current task, extensions, history and the keyholder's controls. */
export function LockPage({ lockId }: { lockId: string }) {
  // A fresh page (forms, history) for each lock.
  return <LockView key={lockId} lockId={lockId} />;
}

function LockView({ lockId }: { lockId: string }) {
  const [lock, setLock] = useState<Lock | null>(null);
  const [receivedAt, setReceivedAt] = useState(() => Date.now());
  const [loadError, setLoadError] = useState<unknown>(null);
  const [metadata, setMetadata] = useState<Record<string, Metadata>>({});
  const [historyVersion, setHistoryVersion] = useState(0);
  const [status, setStatus] = useState('');
  const [unlockError, setUnlockError] = useState<unknown>(null);
  const [relockError, setRelockError] = useState<unknown>(null);
  const [inviteError, setInviteError] = useState<unknown>(null);
  const [partiesError, setPartiesError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const loadMetadata = useCallback(async (l: Lock) => {
    const entries = await Promise.all(
      l.extensions.map(async (x) => {
        try {
          return [x.sessionId, await api<Metadata>(`/api/extensions/sessions/${x.sessionId}/metadata`)] as const;
        } catch {
          return null;
        }
      }),
    );
    setMetadata(Object.fromEntries(entries.filter((e): e is NonNullable<typeof e> => e !== null)));
  }, []);

  const accept = useCallback(
    (l: Lock) => {
      setLock(l);
      setReceivedAt(Date.now());
      setLoadError(null);
    },
    [],
  );

  /** The lock, its extensions' metadata and the history, fresh: on every pushed change and (re)connect. */
  const load = useMemo(
    () =>
      coalesce(async () => {
        try {
          const l = await api<Lock>(`/api/locks/${lockId}/status`);
          accept(l);
          void loadMetadata(l);
          setHistoryVersion((v) => v + 1);
        } catch (e) {
          setLoadError(e);
        }
      }),
    [lockId, accept, loadMetadata],
  );
  const live = useLockLive(lockId, load);
  useTitle(lock ? `Lock ${lock.title}` : 'Lock');

  const afterAction: Done = (l, message) => {
    accept(l);
    setStatus(message);
    setHistoryVersion((v) => v + 1);
    void loadMetadata(l);
  };

  const afterExtensionsChanged = async (message: string) => {
    afterAction(await api<Lock>(`/api/locks/${lockId}/status`), message);
  };

  /** Unlocking ends the lock for good: it asks first. */
  async function unlock() {
    if (!window.confirm(`Unlock “${lock?.title ?? 'this lock'}” now? The lock ends for good.`)) return;
    setBusy('unlock');
    setUnlockError(null);
    try {
      const l = await api<Lock>(`/api/locks/${lockId}/unlock`, { method: 'POST' });
      afterAction(l, 'Unlocked.');
    } catch (e) {
      setUnlockError(e);
      void load();
    } finally {
      setBusy(null);
    }
  }

  async function answer(accept: boolean) {
    setBusy('invitation');
    setInviteError(null);
    try {
      await api(`/api/locks/${lockId}/invitation`, { method: 'POST', body: { accept } });
      if (!accept) return navigate('/');
      setStatus('You now hold the key.');
      await load();
    } catch (e) {
      setInviteError(e);
    } finally {
      setBusy(null);
    }
  }

  /** Withdraw, trust or resign: each asks first (trust and resign cannot be undone). */
  async function parties(path: string, question: string, message: string) {
    if (!window.confirm(question)) return;
    setBusy('parties');
    setPartiesError(null);
    try {
      const res = await api<Lock | { lockId: string }>(`/api/locks/${lockId}/${path}`, { method: 'POST' });
      if (!('allowedActions' in res)) return navigate('/');
      afterAction(res, message);
    } catch (e) {
      setPartiesError(e);
    } finally {
      setBusy(null);
    }
  }

  async function relock() {
    setBusy('relock');
    setRelockError(null);
    try {
      const res = await api<{ late: boolean; lock: Lock }>(`/api/locks/${lockId}/hygienic/relock`, { method: 'POST' });
      afterAction(res.lock, res.late ? 'Relocked — late; your keyholder is told.' : 'Relocked.');
    } catch (e) {
      setRelockError(e);
    } finally {
      setBusy(null);
    }
  }

  if (!lock) {
    return (
      <section>
        <p>
          <Link to="/">← My locks</Link>
        </p>
        {loadError ? (
          <>
            <h1>Lock</h1>
            <ErrorNote error={loadError} />
          </>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    );
  }

  const locked = lock.status === 'locked';
  const canControl = locked && mayAny(lock, CONTROL_ACTIONS);
  const u = lock.unlock ?? { unlockable: false, reasons: [], blockers: [] };
  const pendingKeyholder = lock.role === 'keyholder' && lock.keyholderStatus === 'pending';
  const unlockDisabled = !!busy || !may(lock, 'unlock');
  const holds = locked && (!u.unlockable || u.blockers.length > 0);

  return (
    <section className="lock-page" data-live={live ? 'on' : 'off'}>
      <p>
        <Link to="/">← My locks</Link>
      </p>
      <div className="page-head">
        <h1>{lock.title}</h1>
        <div className="row wrap badges">
          <Badge tone={locked ? 'info' : 'ok'} testId="lock-status">
            {lock.status}
          </Badge>
          <Badge>{lock.role === 'wearer' ? 'You wear it' : 'You hold the key'}</Badge>
          {locked && lock.frozenAt ? <Badge tone="info">Frozen</Badge> : null}
          {locked && lock.pillory ? <Badge tone="danger">Pillory</Badge> : null}
          {locked && lock.hiddenTimer ? <Badge>Hidden timer</Badge> : null}
          {lock.isTestLock ? <Badge tone="info" testId="test-lock-badge">Test</Badge> : null}
        </div>
      </div>
      <p className="muted">
        Wearer <strong>{lock.wearer.username}</strong>
        {lock.keyholder ? (
          <>
            {' · '}keyholder <strong>{lock.keyholder.username}</strong>
            {lock.keyholderStatus !== 'accepted' ? ` (${lock.keyholderStatus})` : ''}
          </>
        ) : (
          ' · self-lock'
        )}
        {' · '}started {formatDate(lock.startDate)}
        {lock.endDate ? ` · ended ${formatDate(lock.endDate)}` : ''}
      </p>
      <p role="status" className="status-line" data-testid="status-message">
        {status}
      </p>
      {loadError ? <ErrorNote error={loadError} /> : null}
      {locked && may(lock, 'invitation.accept') ? (
        <div className="notice info" role="group" aria-label="Keyholder invitation" data-testid="invitation">
          <p>
            <strong>{lock.wearer.username}</strong> asks you to hold the key of this lock.
          </p>
          <div className="row wrap">
            <button type="button" className="primary" disabled={!!busy} onClick={() => void answer(true)}>
              Accept
            </button>
            <button type="button" disabled={!!busy} onClick={() => void answer(false)}>
              Decline
            </button>
          </div>
          <ErrorNote error={inviteError} />
        </div>
      ) : null}
      {locked && mayAny(lock, ['invitation.withdraw', 'keyholder.trust', 'keyholder.resign']) ? (
        <div className="notice" role="group" aria-label="Keyholder" data-testid="keyholder-parties">
          <div className="row wrap">
            {may(lock, 'invitation.withdraw') ? (
              <button type="button" disabled={!!busy} onClick={() => void parties('invitation/withdraw', `Withdraw the invitation to ${lock.keyholder?.username}? The lock stays a self-lock.`, 'The invitation is withdrawn.')} data-testid="withdraw-invitation">
                Withdraw invitation
              </button>
            ) : null}
            {may(lock, 'keyholder.trust') ? (
              <button type="button" disabled={!!busy} onClick={() => void parties('keyholder/trust', `Trust ${lock.keyholder?.username} with the extensions of this lock? They may then add, change and remove extensions. This cannot be undone.`, 'Your keyholder may now change the extensions.')} data-testid="trust-keyholder">
                Trust my keyholder
              </button>
            ) : null}
            {may(lock, 'keyholder.resign') ? (
              <button type="button" disabled={!!busy} onClick={() => void parties('keyholder/resign', `Give the key back? ${lock.wearer.username}'s lock becomes a self-lock and you lose all control of it.`, '')} data-testid="resign-keyholder">
                Resign as keyholder
              </button>
            ) : null}
          </div>
          <ErrorNote error={partiesError} />
        </div>
      ) : null}

      <div className="grid-2">
        <section className="card stack" aria-labelledby="timer-h">
          <h2 id="timer-h" className="visually-hidden">
            Timer
          </h2>
          <Countdown lock={lock} receivedAt={receivedAt} />
          {lock.settings.requiredTaskPoints > 0 ? (
            <p className="small">
              Task points: {lock.taskPoints} of {lock.settings.requiredTaskPoints}
            </p>
          ) : lock.taskPoints ? (
            <p className="small">Task points: {lock.taskPoints}</p>
          ) : null}
        </section>

        <section className="card stack" aria-labelledby="unlock-h">
          <h2 id="unlock-h">Unlock</h2>
          {holds ? (
            <div id="unlock-blockers">
              <p className="small">{lock.role === 'keyholder' ? 'Holding the lock (you may unlock anyway):' : 'You cannot unlock yet:'}</p>
              <ul className="blockers" data-testid="blockers">
                {u.reasons.map((r) => (
                  <li key={r} data-reason={r}>
                    {reasonText(r, lock)}
                  </li>
                ))}
                {u.blockers.map((b, i) => (
                  <li key={`${b.extensionSlug}-${i}`} className="blocker" data-kind={b.kind}>
                    <strong>{b.extensionName}:</strong> {b.blocker}
                    {b.kind === 'requirement' && b.requiredCount !== undefined ? (
                      <span className="progress-text">
                        {' '}
                        — {b.count ?? 0} of {b.requiredCount}
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : locked ? (
            <p className="small">Nothing holds the lock.</p>
          ) : (
            <p className="small">This lock has ended.</p>
          )}
          {pendingKeyholder && locked ? <p className="muted small">Accept the invitation before acting on this lock.</p> : null}
          <div className="row">
            <button type="button" className="primary" onClick={() => void unlock()} disabled={unlockDisabled} aria-describedby={holds ? 'unlock-blockers' : undefined} data-testid="unlock">
              {busy === 'unlock' ? 'Unlocking…' : 'Unlock'}
            </button>
          </div>
          <ErrorNote error={unlockError} testId="unlock-error" />
        </section>
      </div>

      {locked && lock.frozenAt ? (
        <div className="notice info" data-testid="frozen-notice">
          <strong>Frozen.</strong> The timer is stopped{lock.frozenUntil ? ` until ${formatDate(lock.frozenUntil)}` : ''}.
        </div>
      ) : null}
      {locked && lock.pillory ? (
        <div className="notice danger" data-testid="pillory-notice">
          <strong>In the pillory</strong> until {formatDate(lock.pillory.until)}.{lock.pillory.reason ? <> Reason: “{lock.pillory.reason}”.</> : null}
        </div>
      ) : null}
      {locked && lock.hygienicOpening ? (
        <div className={`notice ${lock.hygienicOpening.overdue ? 'danger' : 'warn'}`} data-testid="hygienic-notice">
          <p>
            <strong>Hygienic opening</strong> since {formatDate(lock.hygienicOpening.startedAt)}; relock by {formatDate(lock.hygienicOpening.relockBy)}.
          </p>
          {lock.hygienicOpening.overdue ? (
            <p role="alert">
              <strong>Overdue:</strong> the opening has run past its end. Relock now.
            </p>
          ) : null}
          {may(lock, 'hygienic.relock') ? (
            <button type="button" className="primary" onClick={() => void relock()} disabled={!!busy} data-testid="relock">
              {busy === 'relock' ? 'Relocking…' : 'Relock'}
            </button>
          ) : null}
          <ErrorNote error={relockError} />
        </div>
      ) : null}

      <LockTermsCard lock={lock} onChanged={afterExtensionsChanged} />
      <SharedLinkCard lock={lock} canControl={may(lock, 'shared_link.configure')} />
      <TaskPanel lock={lock} onDone={afterAction} />
      <PilloryVotesPanel lock={lock} version={historyVersion} />
      <VerificationPanel lock={lock} version={historyVersion} onChanged={(message) => { setStatus(message); setHistoryVersion((v) => v + 1); }} />
      <PenaltiesPanel lock={lock} version={historyVersion} onChanged={(message) => { setStatus(message); setHistoryVersion((v) => v + 1); }} />

      {lock.extensions.length ? (
        <section aria-labelledby="ext-h">
          <h2 id="ext-h">Extensions</h2>
          <ul className="ext-list">
            {lock.extensions.map((x) => (
              <ExtensionCard key={x.sessionId} lockId={lock.id} ext={x} metadata={metadata[x.sessionId]} />
            ))}
          </ul>
        </section>
      ) : null}

      {canControl ? (
        <section aria-labelledby="controls-h" data-testid="keyholder-controls">
          <h2 id="controls-h">{lock.role === 'keyholder' ? 'Keyholder controls' : 'Controls'}</h2>
          <div className="controls-grid">
            {mayAny(lock, ['add_time', 'remove_time']) ? <TimeControl lock={lock} onDone={afterAction} /> : null}
            {mayAny(lock, ['freeze', 'unfreeze']) ? <FreezeControl lock={lock} onDone={afterAction} /> : null}
            <ModuleControls lock={lock} onDone={afterAction} />
            {may(lock, 'settings.patch') ? <SettingsControl lock={lock} onDone={afterAction} /> : null}
          </div>
          {mayAny(lock, EXTENSION_ACTIONS) ? <ManageExtensions lock={lock} onChanged={afterExtensionsChanged} /> : null}
        </section>
      ) : null}

      <CombinationPanel lock={lock} onChanged={(message) => void afterExtensionsChanged(message)} />

      <History lockId={lock.id} version={historyVersion} />
    </section>
  );
}

