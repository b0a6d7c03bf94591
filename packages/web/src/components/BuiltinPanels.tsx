import { useCallback, useEffect, useState } from 'react';
import { api, upload } from '../api.js';
import type { Lock, LockHabitInput, LockPenalties, PenaltyPunishment, PilloryVotes, VerificationPicture } from '../types.js';
import { Badge, DurationInput, ErrorNote, formatDate, humanDuration } from './ui.js';

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

const punishmentText = (p: PenaltyPunishment) =>
  p.name === 'add_time' ? `add ${humanDuration(Number(p.params))}` : p.name === 'freeze' ? 'freeze' : `pillory for ${humanDuration(Number((p.params as { duration?: number } | undefined)?.duration ?? 0))}`;
const STATUS_TONE = { ongoing: 'info', validated: 'ok', punished: 'danger', cancelled: 'neutral' } as const;
/** Chaster's recurring periods: whole hours up to a day, then whole days up to a week. */
const FREQUENCIES = [...Array.from({ length: 24 }, (_, i) => (i + 1) * 3600), ...Array.from({ length: 6 }, (_, i) => (i + 2) * 86400)];

/** One habit's settings in the controller's form. */
interface HabitDraft {
  enabled: boolean;
  nbActions: number;
  frequency: number;
  timeLimit: number;
  punishment: 'add_time' | 'freeze' | 'pillory';
  seconds: number;
}

/**
 * Penalties on the lock page (issue 13, Chaster's built-in): the habits enabled on the lock, the
 * running periods (done / required, when they end) and the latest outcomes; the lock's
 * controller enables its extensions' habits with their params and punishment.
 */
export function PenaltiesPanel({ lock, version, onChanged }: { lock: Lock; version: number; onChanged: (message: string) => void }) {
  const enabled = lock.settings.penalties.enabled;
  const [data, setData] = useState<LockPenalties | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [drafts, setDrafts] = useState<Record<string, HabitDraft>>({});
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      const next = await api<LockPenalties>(`/api/locks/${lock.id}/penalties`);
      setData(next);
      setError(null);
      setDrafts(
        Object.fromEntries(
          next.available.map((a) => {
            const on = next.habits.find((h) => h.extension.slug === a.extensionSlug && h.habitName === a.habit.name);
            const first = on?.punishments[0];
            const draft: HabitDraft = {
              enabled: a.enabled,
              nbActions: on?.recurringParams?.nbActions ?? 1,
              frequency: on?.recurringParams?.frequency ?? 86400,
              timeLimit: on?.timeLimitParams?.timeLimit ?? 3600,
              punishment: first?.name ?? 'add_time',
              seconds: first?.name === 'add_time' ? Number(first.params) : first?.name === 'pillory' ? Number((first.params as { duration?: number }).duration) : 3600,
            };
            return [`${a.extensionSlug}/${a.habit.name}`, draft];
          }),
        ),
      );
    } catch (e) {
      setError(e);
    }
  }, [lock.id]);
  useEffect(() => {
    void load();
  }, [load, version]);
  if (!data || (!enabled && data.penaltyPeriods.length === 0)) return null;
  const label = (slug: string, name: string) => data.habits.find((h) => h.extension.slug === slug && h.habitName === name)?.label ?? data.available.find((a) => a.extensionSlug === slug && a.habit.name === name)?.habit.label ?? name;
  const running = data.penaltyPeriods.filter((p) => p.status === 'ongoing');
  const settled = data.penaltyPeriods.filter((p) => p.status !== 'ongoing').slice(0, 10);
  const canConfigure = lock.status === 'locked' && enabled && lock.allowedActions.includes('penalties.configure') && data.available.length > 0;

  async function save() {
    setBusy(true);
    setError(null);
    const habits: LockHabitInput[] = data!.available.flatMap((a) => {
      const d = drafts[`${a.extensionSlug}/${a.habit.name}`];
      if (!d?.enabled) return [];
      const punishment: PenaltyPunishment = d.punishment === 'freeze' ? { name: 'freeze' } : d.punishment === 'add_time' ? { name: 'add_time', params: d.seconds } : { name: 'pillory', params: { duration: d.seconds } };
      return [{
        extensionSlug: a.extensionSlug,
        habitName: a.habit.name,
        ...(a.habit.type === 'recurring' ? { recurringParams: { nbActions: d.nbActions, frequency: d.frequency } } : { timeLimitParams: { timeLimit: d.timeLimit } }),
        punishments: [punishment],
      }];
    });
    try {
      await api(`/api/locks/${lock.id}/penalties`, { method: 'PUT', body: { habits } });
      await load();
      onChanged('Penalties saved.');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="penalties-h" data-testid="penalties-panel">
      <h2 id="penalties-h">Penalties</h2>
      {data.habits.length === 0 ? <p className="muted small">No habit is enabled on this lock.</p> : null}
      <ul className="stack" data-testid="penalty-habits">
        {data.habits.map((h) => {
          const period = running.find((p) => p.extensionSlug === h.extension.slug && p.habitName === h.habitName);
          return (
            <li key={`${h.extension.slug}/${h.habitName}`} data-testid={`penalty-habit-${h.habitName}`}>
              <strong>{h.label}</strong> <span className="muted small">({h.extension.displayName})</span>
              <p className="small">
                {h.recurringParams ? `${h.recurringParams.nbActions} every ${humanDuration(h.recurringParams.frequency)}` : `within ${humanDuration(h.timeLimitParams?.timeLimit ?? 0)} when asked`} — if missed: {h.punishments.map(punishmentText).join(', ')}
              </p>
              {period ? (
                <p className="small" data-testid={`penalty-period-${h.habitName}`}>
                  Now: {period.nbActionsDone} / {period.nbActionsRequired} done, ends {formatDate(period.endsAt)}
                </p>
              ) : h.timeLimitParams ? (
                <p className="muted small">No time limit running.</p>
              ) : null}
            </li>
          );
        })}
      </ul>
      {settled.length ? (
        <>
          <h3>Latest periods</h3>
          <ul className="stack" data-testid="penalty-outcomes">
            {settled.map((p) => (
              <li key={p._id} className="small">
                <Badge tone={STATUS_TONE[p.status]}>{p.status}</Badge> {label(p.extensionSlug, p.habitName)}: {p.nbActionsDone} / {p.nbActionsRequired}, ended {formatDate(p.endsAt)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canConfigure ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          data-testid="penalties-form"
        >
          <h3>Habits of this lock’s extensions</h3>
          {data.available.map((a) => {
            const key = `${a.extensionSlug}/${a.habit.name}`;
            const d = drafts[key];
            if (!d) return null;
            const set = (patch: Partial<HabitDraft>) => setDrafts((all) => ({ ...all, [key]: { ...d, ...patch } }));
            const id = `habit-${a.extensionSlug}-${a.habit.name}`;
            return (
              <fieldset key={key} className="stack">
                <div className="check">
                  <input id={id} type="checkbox" checked={d.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid={`${id}-enabled`} />
                  <label htmlFor={id}>
                    {a.habit.label} <span className="muted small">({a.extensionName})</span>
                  </label>
                </div>
                {d.enabled ? (
                  <>
                    {a.habit.type === 'recurring' ? (
                      <div className="field">
                        <label htmlFor={`${id}-count`}>{a.habit.paramsText || 'Actions required'}</label>
                        <input id={`${id}-count`} type="number" min={1} max={1000} value={d.nbActions} onChange={(e) => set({ nbActions: Math.max(1, Math.floor(Number(e.target.value) || 1)) })} />
                        <label htmlFor={`${id}-every`}>every</label>
                        <select id={`${id}-every`} value={d.frequency} onChange={(e) => set({ frequency: Number(e.target.value) })}>
                          {FREQUENCIES.map((f) => (
                            <option key={f} value={f}>
                              {humanDuration(f)}
                            </option>
                          ))}
                        </select>
                      </div>
                    ) : (
                      <DurationInput legend={a.habit.paramsText || 'Time limit'} value={d.timeLimit} onChange={(timeLimit) => set({ timeLimit })} idPrefix={`${id}-limit`} units={['h', 'm']} />
                    )}
                    <div className="field">
                      <label htmlFor={`${id}-punishment`}>{a.habit.punishmentText || 'Punishment'}</label>
                      <select id={`${id}-punishment`} value={d.punishment} onChange={(e) => set({ punishment: e.target.value as HabitDraft['punishment'] })}>
                        <option value="add_time">Add time</option>
                        <option value="freeze">Freeze</option>
                        {lock.settings.pillory.enabled ? <option value="pillory">Pillory</option> : null}
                      </select>
                    </div>
                    {d.punishment !== 'freeze' ? <DurationInput legend={d.punishment === 'add_time' ? 'Time added' : 'Time in the pillory'} value={d.seconds} onChange={(seconds) => set({ seconds })} idPrefix={`${id}-seconds`} /> : null}
                  </>
                ) : null}
              </fieldset>
            );
          })}
          <button type="submit" disabled={busy} data-testid="penalties-save">
            Save penalties
          </button>
        </form>
      ) : null}
      <ErrorNote error={error} testId="penalties-error" />
    </section>
  );
}
