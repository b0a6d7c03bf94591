import { useState } from 'react';
import { api, upload } from '../../api.js';
import { Badge, ErrorNote, formatDate, humanDuration } from '../../components/ui.js';
import type { Lock } from '../../types.js';
import { useAction, type Done } from './actions.js';

/** The wearer marks a task that needs proof done by sending its verification picture (§11 image rules). */
function VerificationUpload({ lock, onDone, disabled }: { lock: Lock; onDone: Done; disabled: boolean }) {
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function send(file: File | undefined) {
    if (!file) return;
    setSending(true);
    setError(null);
    try {
      await upload(`/api/locks/${lock.id}/task/verification`, file, file.name);
      onDone(await api<Lock>(`/api/locks/${lock.id}/status`), 'Task marked done with its verification picture.');
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  }
  return (
    <div className="field">
      <label htmlFor="task-verification">Mark task done: verification picture</label>
      <input id="task-verification" type="file" accept="image/png,image/jpeg,image/gif,image/webp" disabled={disabled || sending} onChange={(e) => void send(e.target.files?.[0])} data-testid="task-verification" />
      {sending ? <p className="muted small">Sending…</p> : null}
      <ErrorNote error={error} />
    </div>
  );
}

/**
 * The open task. The wearer does it: they start its timer and report it done or failed (the
 * engine lets the wearer do these on any lock); the keyholder may report it too.
 */
export function TaskPanel({ lock, onDone }: { lock: Lock; onDone: Done }) {
  const t = lock.currentTask;
  const { busy, error, run } = useAction(lock.id, onDone);
  if (!t) return null;
  // What the lock's policy table lets this user do now (the server's `allowedActions`).
  const mayReport = lock.status === 'locked' && lock.allowedActions.includes('task.complete');
  const mayStart = lock.allowedActions.includes('task.start_timer');
  const mayVerify = lock.allowedActions.includes('task.verify');
  return (
    <section className="card stack" aria-labelledby="task-h" data-testid="current-task">
      <h2 id="task-h">Current task</h2>
      <p className="task-text">{t.text}</p>
      <div className="row wrap badges">
        <Badge tone="info">{t.points} points</Badge>
        {t.durationSeconds ? <Badge>{humanDuration(t.durationSeconds)} timer</Badge> : null}
        {t.verificationRequired ? <Badge tone="warn">Needs a verification picture</Badge> : null}
      </div>
      <p className="muted small">
        Assigned by {t.assignedBy} on {formatDate(t.createdAt)}
        {t.timerEndsAt ? ` · timer ends ${formatDate(t.timerEndsAt)}` : ''}
      </p>
      {mayReport ? (
        <div className="row wrap">
          {t.durationSeconds && !t.timerEndsAt && mayStart ? (
            <button type="button" disabled={!!busy} onClick={() => void run('task.start_timer', undefined, 'Task timer started.')} data-testid="task-start-timer">
              Start the task timer
            </button>
          ) : null}
          {t.verificationRequired ? null : (
            <button type="button" className="primary" disabled={!!busy} onClick={() => void run('task.complete', { successful: true }, 'Task marked done.')} data-testid="task-done">
              Mark task done
            </button>
          )}
          <button type="button" disabled={!!busy} onClick={() => void run('task.complete', { successful: false }, 'Task marked failed.')} data-testid="task-failed">
            Mark task failed
          </button>
        </div>
      ) : null}
      {mayReport && mayVerify && t.verificationRequired ? <VerificationUpload lock={lock} onDone={onDone} disabled={!!busy} /> : null}
      <ErrorNote error={error} />
    </section>
  );
}
