import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { Link, navigate } from '../router.js';
import type { ExtensionSummary, Lock, PublicSharedLink, SharedLock, SharedLockTemplate } from '../types.js';
import { DEFAULT_TERMS, DurationFields, termsBody, termsProblem, type DurationTermsValue } from '../components/DurationFields.js';
import { Badge, copyText, ErrorNote, formatDate, formatDuration, humanDuration } from '../components/ui.js';
import { CombinationStep, combinationBody, initialCombination, useCreatedLock } from '../components/CombinationStep.js';

const sharedUrl = (id: string) => `${location.origin}/shared/${id}`;

/** The template in sentences, as the wearer reads it before loading it. */
function TemplateSummary({ t }: { t: SharedLockTemplate }) {
  const lines: string[] = [];
  if (t.randomDuration) lines.push(`Initial duration: random between ${humanDuration(t.randomDuration.minSeconds)} and ${humanDuration(t.randomDuration.maxSeconds)}.`);
  else if (t.durationSeconds !== undefined) lines.push(`Initial duration: ${humanDuration(t.durationSeconds)}.`);
  lines.push(t.maxDurationSeconds !== undefined ? `Limit lock time: ${humanDuration(t.maxDurationSeconds)}.` : 'No limit lock time.');
  if (t.minLimitDurationSeconds !== undefined) lines.push(`Minimum lock time: ${humanDuration(t.minLimitDurationSeconds)}.`);
  lines.push(t.hiddenTimer ? 'The remaining time is hidden from you.' : 'You see the remaining time.');
  if (t.hideTimeLogs) lines.push('Time changes are hidden from your history.');
  if (t.settings?.tasks?.enabled) lines.push('Tasks are on.');
  if (t.extensions?.length) lines.push(`Extensions: ${t.extensions.map((e) => e.slug).join(', ')}.`);
  return (
    <ul className="plain stack small" data-testid="template-summary">
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}

/** The keyholder's shared locks: publish one, copy its link, disable or delete it. */
export function SharedLocks() {
  const [mine, setMine] = useState<SharedLock[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [copied, setCopied] = useState('');

  const reload = () =>
    api<{ results: SharedLock[] }>('/api/shared-locks')
      .then((r) => setMine(r.results))
      .catch((e: unknown) => setError(e));
  useEffect(() => void reload(), []);

  async function change(id: string, run: () => Promise<unknown>) {
    setBusy(id);
    setError(null);
    try {
      await run();
      setConfirming(null);
      await reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="stack">
      <h1>Shared locks</h1>
      <p className="muted">A shared lock is a lock template behind a link: whoever loads it wears a new lock with you as the keyholder.</p>
      <PublishForm onPublished={() => void reload()} />
      <section className="card stack" aria-labelledby="mine-h">
        <h2 id="mine-h">Published</h2>
        <ErrorNote error={error} />
        {mine === null && !error ? <p className="muted">Loading…</p> : null}
        {mine?.length === 0 ? <p className="muted">You have not published a shared lock yet.</p> : null}
        <ul className="plain stack">
          {mine?.map((s) => (
            <li key={s.id} className="card stack" data-testid={`shared-lock-${s.id}`}>
              <div className="row wrap">
                <strong>{s.name}</strong>
                {s.requiresPassword ? <Badge>Password</Badge> : null}
                {s.disabled ? <Badge tone="warn">Disabled</Badge> : <Badge tone="ok">Open</Badge>}
              </div>
              <p className="small">
                <a href={`/shared/${s.id}`} data-testid="shared-lock-url">
                  {sharedUrl(s.id)}
                </a>{' '}
                <button type="button" className="small-btn" onClick={() => void copyText(sharedUrl(s.id)).then((ok) => setCopied(ok ? 'Link copied.' : 'Copy the link by hand.'))}>
                  Copy
                </button>
              </p>
              {s.template ? <TemplateSummary t={s.template} /> : null}
              <div className="row wrap">
                <button type="button" className="small-btn" disabled={busy === s.id} onClick={() => void change(s.id, () => api(`/api/shared-locks/${s.id}`, { method: 'PATCH', body: { disabled: !s.disabled } }))}>
                  {s.disabled ? 'Enable' : 'Disable'}
                </button>
                {confirming === s.id ? (
                  <>
                    <span className="small">Delete “{s.name}”? Locks loaded from it keep running.</span>
                    <button type="button" className="small-btn danger" disabled={busy === s.id} onClick={() => void change(s.id, () => api(`/api/shared-locks/${s.id}`, { method: 'DELETE' }))} data-testid="confirm-delete-shared">
                      Delete
                    </button>
                    <button type="button" className="small-btn" onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" className="small-btn" onClick={() => setConfirming(s.id)}>
                    Delete…
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
        <p role="status" className="small">
          {copied}
        </p>
      </section>
    </section>
  );
}

function PublishForm({ onPublished }: { onPublished: (s: SharedLock) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [password, setPassword] = useState('');
  const [terms, setTerms] = useState<DurationTermsValue>(DEFAULT_TERMS);
  const [tasks, setTasks] = useState(false);
  const [catalog, setCatalog] = useState<ExtensionSummary[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [published, setPublished] = useState<SharedLock | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<{ results: ExtensionSummary[] }>('/api/extensions')
      .then((r) => setCatalog(r.results))
      .catch(() => setCatalog([]));
  }, []);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setLocalError(null);
    if (!name.trim()) return setLocalError('Give the shared lock a name.');
    const problem = termsProblem(terms);
    if (problem) return setLocalError(problem);
    setBusy(true);
    try {
      const s = await api<SharedLock>('/api/shared-locks', {
        method: 'POST',
        body: {
          name: name.trim(),
          ...(description.trim() ? { description: description.trim() } : {}),
          ...(password ? { password } : {}),
          template: { ...termsBody(terms), settings: { tasks: { enabled: tasks } }, extensions: chosen.map((slug) => ({ slug })) },
        },
      });
      setPublished(s);
      setPassword('');
      onPublished(s);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="publish-h">
      <h2 id="publish-h">Publish a shared lock</h2>
      <div className="field">
        <label htmlFor="shared-name">Name</label>
        <input id="shared-name" maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="shared-description">Description (optional)</label>
        <textarea id="shared-description" maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="shared-password">Password (optional)</label>
        <input id="shared-password" type="password" autoComplete="new-password" maxLength={200} value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby="shared-password-hint" />
        <p id="shared-password-hint" className="muted small">
          With a password, only those you give it to can see and load the lock.
        </p>
      </div>
      <DurationFields value={terms} onChange={setTerms} idPrefix="shared" forWearer={false} showTestLock={false} />
      <div className="check">
        <input id="shared-tasks" type="checkbox" checked={tasks} onChange={(e) => setTasks(e.target.checked)} />
        <label htmlFor="shared-tasks">Tasks</label>
      </div>
      {catalog.length ? (
        <fieldset>
          <legend>Extensions (with their default configuration)</legend>
          {catalog.map((x) => (
            <div className="check" key={x.slug}>
              <input id={`shared-ext-${x.slug}`} type="checkbox" checked={chosen.includes(x.slug)} onChange={(e) => setChosen((c) => (e.target.checked ? [...c, x.slug] : c.filter((s) => s !== x.slug)))} />
              <label htmlFor={`shared-ext-${x.slug}`}>{x.name}</label>
            </div>
          ))}
        </fieldset>
      ) : null}
      {localError ? (
        <p role="alert" className="error">
          {localError}
        </p>
      ) : null}
      <ErrorNote error={error} testId="publish-error" />
      {published ? (
        <p role="status" className="notice info" data-testid="published">
          Published: <a href={`/shared/${published.id}`}>{sharedUrl(published.id)}</a>
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={busy} data-testid="publish-shared">
          {busy ? 'Publishing…' : 'Publish'}
        </button>
      </div>
    </form>
  );
}

/** `/shared/:id`: a signed-in wearer gives the password (if any), reads the template and locks with it. */
export function SharedLockLoad({ id }: { id: string }) {
  const [shared, setShared] = useState<SharedLock | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [password, setPassword] = useState('');
  const [title, setTitle] = useState('');
  const [testLock, setTestLock] = useState(false);
  const [busy, setBusy] = useState(false);
  // The combination is the wearer's, sealed at loading as at creation (the keyholder never sees it).
  const [combination, setCombination] = useState(initialCombination);
  const [localError, setLocalError] = useState<string | null>(null);
  const { created, generatedView } = useCreatedLock();

  useEffect(() => {
    api<SharedLock>(`/api/shared-locks/${id}`)
      .then((s) => {
        setShared(s);
        setTitle(s.name);
      })
      .catch((e: unknown) => setError(e));
  }, [id]);

  async function open(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setShared(await api<SharedLock>(`/api/shared-locks/${id}/open`, { method: 'POST', body: { password } }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function load() {
    setError(null);
    setLocalError(null);
    const sealed = combinationBody(combination);
    if (typeof sealed === 'string') return setLocalError(sealed);
    setBusy(true);
    try {
      const lock = await api<Lock & { generatedCombination?: string }>(`/api/shared-locks/${id}/locks`, {
        method: 'POST',
        body: { ...(password ? { password } : {}), ...(title.trim() ? { title: title.trim() } : {}), isTestLock: testLock, combination: sealed },
      });
      created(lock);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  if (generatedView) return generatedView;
  if (!shared) {
    return (
      <section>
        <h1>Shared lock</h1>
        {error ? <ErrorNote error={error} /> : <p className="muted">Loading…</p>}
      </section>
    );
  }
  return (
    <section className="stack">
      <h1>{shared.name}</h1>
      <p className="muted">
        Shared by <strong data-testid="shared-keyholder">{shared.keyholder.username}</strong>, who becomes your keyholder as soon as you lock.
      </p>
      {shared.description ? <p>{shared.description}</p> : null}
      {shared.template === null ? (
        <form className="card stack" onSubmit={open}>
          <div className="field">
            <label htmlFor="shared-open-password">Password</label>
            <input id="shared-open-password" type="password" autoComplete="off" maxLength={200} value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          <ErrorNote error={error} testId="shared-open-error" />
          <div className="row">
            <button type="submit" className="primary" disabled={busy || !password} data-testid="shared-open">
              Show the lock
            </button>
          </div>
        </form>
      ) : (
        <div className="card stack">
          <TemplateSummary t={shared.template} />
          <div className="field">
            <label htmlFor="shared-title">Title of your lock</label>
            <input id="shared-title" maxLength={120} value={title} onChange={(e) => setTitle(e.target.value)} />
          </div>
          <div className="check">
            <input id="shared-test-lock" type="checkbox" checked={testLock} onChange={(e) => setTestLock(e.target.checked)} />
            <label htmlFor="shared-test-lock">Test lock</label>
          </div>
          <CombinationStep value={combination} onChange={setCombination} />
          {localError ? (
            <p className="error" role="alert" data-testid="shared-load-problem">
              {localError}
            </p>
          ) : null}
          <ErrorNote error={error} testId="shared-load-error" />
          <div className="row">
            <button type="button" className="primary" disabled={busy} onClick={() => void load()} data-testid="shared-load">
              {busy ? 'Locking…' : 'Lock myself with it'}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** `/link/:id`: visitors (no account needed) vote to add or remove time. */
export function PublicLinkPage({ id }: { id: string }) {
  const [link, setLink] = useState<PublicSharedLink | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);

  const reload = () =>
    api<PublicSharedLink>(`/api/links/${id}`)
      .then(setLink)
      .catch((e: unknown) => setError(e));
  useEffect(() => void reload(), [id]);

  async function vote(choice: 'add' | 'remove' | 'random') {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ choice: 'add' | 'remove'; seconds: number; nextVoteAt: string }>(`/api/links/${id}/vote`, { method: 'POST', body: { choice } });
      setResult(`You ${r.choice === 'add' ? 'added' : 'removed'} ${humanDuration(r.seconds)}. You can vote again after ${formatDate(r.nextVoteAt)}.`);
      await reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (!link) {
    return (
      <section>
        <h1>Shared link</h1>
        {error ? <ErrorNote error={error} /> : <p className="muted">Loading…</p>}
      </section>
    );
  }
  const open = link.enabled && link.status === 'locked';
  return (
    <section className="stack">
      <h1>{link.lockTitle}</h1>
      <p className="muted">
        Worn by <strong>{link.wearer}</strong> · {link.votes} votes{link.requiredVotes ? ` (${link.requiredVotes} needed before unlocking)` : ''}
      </p>
      <p className="timer" data-testid="link-remaining">
        {link.status !== 'locked' ? 'This lock has ended.' : link.timeRemainingSeconds === null ? 'The remaining time is hidden.' : `${formatDuration(link.timeRemainingSeconds)} left${link.frozen ? ' (frozen)' : ''}`}
      </p>
      {open ? (
        <div className="row wrap">
          {link.addSeconds > 0 ? (
            <button type="button" className="primary" disabled={busy} onClick={() => void vote('add')} data-testid="vote-add">
              Add {humanDuration(link.addSeconds)}
            </button>
          ) : null}
          {link.removeSeconds > 0 ? (
            <button type="button" disabled={busy} onClick={() => void vote('remove')} data-testid="vote-remove">
              Remove {humanDuration(link.removeSeconds)}
            </button>
          ) : null}
          {link.allowRandom ? (
            <button type="button" disabled={busy} onClick={() => void vote('random')} data-testid="vote-random">
              Random
            </button>
          ) : null}
        </div>
      ) : (
        <p className="muted">Voting is closed.</p>
      )}
      <p className="muted small">
        One vote per visitor every {humanDuration(link.periodSeconds)}
        {link.signedInOnly ? ', signed-in visitors only' : ''}. <Link to="/">latch</Link>
      </p>
      <p role="status" data-testid="vote-result">
        {result}
      </p>
      <ErrorNote error={error} testId="vote-error" />
    </section>
  );
}
