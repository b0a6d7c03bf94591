import { Badge, ErrorNote, formatDate, humanDuration } from '../../components/ui.js';
import type { Lock } from '../../types.js';
import { useAction, type Done } from './actions.js';

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
      {mayReport && t.verificationRequired ? <p className="muted small">This task is done with a verification picture; sending one from this page is not available yet.</p> : null}
      <ErrorNote error={error} />
    </section>
  );
}
