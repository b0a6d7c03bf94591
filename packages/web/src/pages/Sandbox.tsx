import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useSession } from '../session.js';
import type { ClockView, SandboxWorld } from '../types.js';
import { JsonView, NavLink, StatusLine, formatDate, useDevMode, useTitle } from '../components/ui.js';
import { Table } from '../components/Table.js';

const PERSONAS = ['wearer', 'keyholder', 'developer'] as const;
const PERSONA_PASSWORD = 'latch-sandbox';

const STEPS: Array<[string, number]> = [
  ['+15 min', 15 * 60],
  ['+1 h', 3600],
  ['+1 day', 86400],
  ['+7 days', 7 * 86400],
];

type World = SandboxWorld;

/** The dev-mode sandbox: switch persona, build a fresh world, move the virtual clock. */
export function Sandbox() {
  useTitle('Sandbox');
  const dev = useDevMode();
  const { me, refresh } = useSession();
  const [clock, setClock] = useState<ClockView | null>(null);
  const [jobs, setJobs] = useState<ClockView['jobsRun'] | null>(null);
  const [world, setWorld] = useState<World | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState<string | null>(null);

  const loadClock = useCallback(async () => {
    try {
      setClock(await api<ClockView>('/api/dev/clock'));
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    if (dev) void loadClock();
  }, [dev, loadClock]);

  async function signInAs(username: string, password: string) {
    setBusy(`as-${username}`);
    setError(null);
    try {
      await api('/api/auth/login', { method: 'POST', body: { username, password } });
      await refresh();
      setStatus(`Signed in as ${username}.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function newWorld() {
    setBusy('world');
    setError(null);
    try {
      const w = await api<World>('/api/dev/fixtures', { method: 'POST', body: {} });
      setWorld(w);
      setStatus(`A new world: wearer ${w.wearer.username}, keyholder ${w.keyholder?.username ?? '—'}, developer ${w.developer.username}.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function advance(label: string, seconds: number) {
    setBusy(`clock-${seconds}`);
    setError(null);
    try {
      const c = await api<ClockView>('/api/dev/clock/advance', { method: 'POST', body: { seconds } });
      setClock(c);
      setJobs(c.jobsRun ?? []);
      const n = c.jobsRun?.length ?? 0;
      setStatus(`Clock moved ${label}; ${n} job${n === 1 ? '' : 's'} ran.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  if (dev === null) return <p className="muted">Loading…</p>;
  if (!dev) {
    return (
      <section>
        <h1>Sandbox</h1>
        <p>The sandbox is only available when the server runs with LATCH_DEV=1.</p>
      </section>
    );
  }

  return (
    <section>
      <h1>Sandbox</h1>
      <p className="muted">Dev mode: fixtures, personas and a virtual clock. Never expose this server.</p>
      <StatusLine status={status} error={error} testId="sandbox-status" />

      <section className="card stack" aria-labelledby="persona-h">
        <h2 id="persona-h">Persona</h2>
        <p>
          Signed in as <strong data-testid="sandbox-who">{me?.username ?? '—'}</strong>.
        </p>
        <div className="row wrap" role="group" aria-label="Sign in as">
          {PERSONAS.map((p) => (
            <button key={p} type="button" aria-pressed={me?.username === p} disabled={!!busy} onClick={() => void signInAs(p, PERSONA_PASSWORD)} data-testid={`persona-${p}`}>
              Sign in as {p}
            </button>
          ))}
        </div>
      </section>

      <section className="card stack" aria-labelledby="clock-h">
        <h2 id="clock-h">Virtual clock</h2>
        <p>
          Now: <strong data-testid="clock-now">{clock ? formatDate(clock.now) : '—'}</strong>
          {clock ? <span className="muted small"> ({clock.now})</span> : null}
        </p>
        {clock && !clock.advanceable ? <p className="muted">This server runs on the real clock.</p> : null}
        <div className="row wrap" role="group" aria-label="Advance the clock">
          {STEPS.map(([label, seconds]) => (
            <button key={seconds} type="button" disabled={!!busy || clock?.advanceable === false} onClick={() => void advance(label, seconds)} data-testid={`advance-${seconds}`}>
              {label}
            </button>
          ))}
        </div>
        {jobs ? (
          <Table
            label="Jobs that ran"
            caption="Jobs that ran"
            testId="jobs-run"
            rows={jobs}
            rowKey={(j) => j.id}
            empty={
              <p className="muted" data-testid="jobs-run">
                No jobs fell due.
              </p>
            }
            columns={[
              { header: 'Kind', cell: (j) => <code>{j.kind}</code> },
              { header: 'Due', cell: (j) => formatDate(j.runAt) },
              { header: 'Outcome', cell: (j) => j.outcome },
            ]}
          />
        ) : null}
      </section>

      <section className="card stack" aria-labelledby="world-h">
        <h2 id="world-h">Worlds</h2>
        <p className="muted small">A fresh wearer, keyholder (who accepted), developer, extension app, lock and session, with every credential.</p>
        <div className="row">
          <button type="button" className="primary" disabled={!!busy} onClick={() => void newWorld()} data-testid="new-world">
            {busy === 'world' ? 'Building…' : 'New world'}
          </button>
        </div>
        {world ? (
          <div className="stack">
            <div className="row wrap" role="group" aria-label="Sign in to the new world">
              <button type="button" disabled={!!busy} onClick={() => void signInAs(world.wearer.username, world.wearer.password)}>
                Sign in as {world.wearer.username}
              </button>
              {world.keyholder ? (
                <button type="button" disabled={!!busy} onClick={() => void signInAs(world.keyholder!.username, world.keyholder!.password)}>
                  Sign in as {world.keyholder.username}
                </button>
              ) : null}
              <button type="button" disabled={!!busy} onClick={() => void signInAs(world.developer.username, world.developer.password)}>
                Sign in as {world.developer.username}
              </button>
            </div>
            <p className="small">
              Its lock: <NavLink to={`/locks/${world.lock.id}`}>{world.lock.id}</NavLink> (open it as the wearer or keyholder)
            </p>
            <JsonView value={world} label="The new world with its credentials" testId="world-json" />
          </div>
        ) : null}
      </section>
    </section>
  );
}
