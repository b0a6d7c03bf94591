import { useCallback, useEffect, useMemo, useState } from 'react';
import { usePagedList } from '../usePagedList.js';
import { api, ApiError, request } from '../api.js';
import { clearBridgeLog, useBridgeLog } from '../bridgeLog.js';
import { Link } from '../router.js';
import type { AppView, AuditEntry, Habit, KeyView } from '../types.js';
import { Badge, ErrorNote, NavLink, ShownOnce, StatusLine, formatDate, useDevMode, useTitle } from '../components/ui.js';
import { AppWebhooks } from './Webhooks.js';
import { Table } from '../components/Table.js';
import { DEFAULT_SCOPES, SCOPES } from '@latch/protocol/wire';

const SCOPE_CHOICES = Object.entries(SCOPES);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function DevNav() {
  return (
    <nav aria-label="Developer" className="subnav">
      <Link to="/developer">Apps and keys</Link>
      <Link to="/developer/inspector">Inspector</Link>
    </nav>
  );
}

interface AppDraft {
  slug: string;
  dialect: AppView['dialect'];
  name: string;
  description: string;
  iframeUrl: string;
  setupUrl: string;
  allowedOrigins: string;
  scopes: string[];
  defaultConfig: string;
  initialMetadata: string;
  habits: Habit[];
}

function draftOf(app: AppView | null): AppDraft {
  return {
    slug: app?.slug ?? '',
    dialect: app?.dialect ?? 'chastify',
    name: app?.name ?? '',
    description: app?.description ?? '',
    iframeUrl: app?.iframeUrl ?? '',
    setupUrl: app?.setupUrl ?? '',
    allowedOrigins: (app?.allowedOrigins ?? []).join('\n'),
    scopes: app?.scopes ?? DEFAULT_SCOPES,
    defaultConfig: JSON.stringify(app?.defaultConfig ?? {}, null, 2),
    initialMetadata: JSON.stringify(app?.initialMetadata ?? {}, null, 2),
    habits: app?.habits ?? [],
  };
}

function parseJsonObject(text: string, what: string): { value?: Record<string, unknown>; error?: string } {
  if (!text.trim()) return { value: {} };
  try {
    const v: unknown = JSON.parse(text);
    if (!isObject(v)) return { error: `${what} must be a JSON object ({…}).` };
    return { value: v };
  } catch (e) {
    return { error: `${what} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Habits (Chaster's penalties page): what locks may enable and the app's backend counts with
 * `POST …/penalties/increment`. Name 1–20 of a–z, 0–9, “-”, “_”, unique in the app.
 */
function HabitsEditor({ idp, habits, onChange }: { idp: string; habits: Habit[]; onChange: (habits: Habit[]) => void }) {
  const edit = (i: number, patch: Partial<Habit>) => onChange(habits.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    <fieldset className="stack" data-testid="app-habits">
      <legend>Habits (penalties)</legend>
      {habits.length === 0 ? <p className="muted small">None: locks cannot enable penalties for this app.</p> : null}
      {habits.map((h, i) => {
        const id = `${idp}-habit-${i}`;
        return (
          <div key={i} className="stack habit-row">
            <div className="field">
              <label htmlFor={`${id}-name`}>Name</label>
              <input id={`${id}-name`} required maxLength={20} pattern="[a-z0-9_\-]{1,20}" value={h.name} onChange={(e) => edit(i, { name: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-label`}>Label</label>
              <input id={`${id}-label`} required maxLength={80} value={h.label} onChange={(e) => edit(i, { label: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-type`}>Type</label>
              <select id={`${id}-type`} value={h.type} onChange={(e) => edit(i, { type: e.target.value as Habit['type'] })}>
                <option value="recurring">Recurring</option>
                <option value="time_limit">Time limit</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-params`}>Parameters text</label>
              <input id={`${id}-params`} maxLength={200} value={h.paramsText} onChange={(e) => edit(i, { paramsText: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-punishment`}>Punishment text</label>
              <input id={`${id}-punishment`} maxLength={200} value={h.punishmentText} onChange={(e) => edit(i, { punishmentText: e.target.value })} />
            </div>
            <button type="button" className="ghost" onClick={() => onChange(habits.filter((_, j) => j !== i))}>
              Remove habit {h.name || i + 1}
            </button>
          </div>
        );
      })}
      <button type="button" className="ghost" onClick={() => onChange([...habits, { name: '', label: '', type: 'recurring', paramsText: '', punishmentText: '' }])} data-testid="app-habit-add">
        Add a habit
      </button>
    </fieldset>
  );
}

/** The fields of an app, for registering (with slug) or editing (slug fixed). */
function AppForm({ app, onSaved, submitLabel }: { app: AppView | null; onSaved: (app: AppView) => void; submitLabel: string }) {
  const [d, setD] = useState<AppDraft>(() => draftOf(app));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const editing = app !== null;
  const idp = editing ? `app-${app.id}` : 'app-new';
  const set = <K extends keyof AppDraft>(k: K, v: AppDraft[K]) => setD((prev) => ({ ...prev, [k]: v }));
  const config = useMemo(() => parseJsonObject(d.defaultConfig, 'The default config'), [d.defaultConfig]);
  const meta = useMemo(() => parseJsonObject(d.initialMetadata, 'The initial metadata'), [d.initialMetadata]);

  useEffect(() => setD(draftOf(app)), [app]);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (config.error || meta.error) return;
    setBusy(true);
    setError(null);
    const origins = d.allowedOrigins
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const fields = {
      dialect: d.dialect,
      name: d.name.trim(),
      description: d.description,
      iframeUrl: d.iframeUrl.trim() || null,
      setupUrl: d.setupUrl.trim() || null,
      allowedOrigins: origins,
      scopes: d.scopes,
      defaultConfig: config.value ?? {},
      initialMetadata: meta.value ?? {},
      habits: d.habits,
    };
    try {
      const saved = editing
        ? await api<AppView>(`/api/developer/apps/${app.id}`, { method: 'PATCH', body: fields })
        : await api<AppView>('/api/developer/apps', { method: 'POST', body: { slug: d.slug.trim(), ...fields } });
      onSaved(saved);
      if (!editing) setD(draftOf(null));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} data-testid={editing ? 'app-edit-form' : 'app-create-form'}>
      {editing ? (
        <p className="muted small">
          Slug <code>{app.slug}</code> (permanent)
        </p>
      ) : (
        <div className="field">
          <label htmlFor={`${idp}-slug`}>Slug</label>
          <input id={`${idp}-slug`} required minLength={2} maxLength={64} pattern="[a-z0-9][a-z0-9_\-]*" value={d.slug} onChange={(e) => set('slug', e.target.value)} aria-describedby={`${idp}-slug-hint`} />
          <p id={`${idp}-slug-hint`} className="muted small">
            Lowercase letters, digits, “-” and “_”; it cannot be changed later.
          </p>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${idp}-dialect`}>API dialect</label>
        <select id={`${idp}-dialect`} value={d.dialect} onChange={(e) => set('dialect', e.target.value as AppDraft['dialect'])} aria-describedby={`${idp}-dialect-hint`}>
          <option value="chastify">Chastify</option>
          <option value="chaster">Chaster (Partner Extensions API)</option>
        </select>
        <p id={`${idp}-dialect-hint`} className="muted small">
          The request and response shapes your backend gets. Fixed once the app is installed on a lock.
          {app?.clientId ? (
            <>
              {' '}
              Client id (<code>X-Chaster-Client-Id</code>): <code data-testid="app-client-id">{app.clientId}</code>
            </>
          ) : null}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${idp}-name`}>Name</label>
        <input id={`${idp}-name`} required maxLength={80} value={d.name} onChange={(e) => set('name', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${idp}-desc`}>Description</label>
        <textarea id={`${idp}-desc`} maxLength={2000} rows={2} value={d.description} onChange={(e) => set('description', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${idp}-iframe`}>Main page URL (iframe)</label>
        <input id={`${idp}-iframe`} type="url" inputMode="url" placeholder="https://…" value={d.iframeUrl} onChange={(e) => set('iframeUrl', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${idp}-setup`}>Setup page URL</label>
        <input id={`${idp}-setup`} type="url" inputMode="url" placeholder="https://…" value={d.setupUrl} onChange={(e) => set('setupUrl', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${idp}-origins`}>Allowed origins</label>
        <textarea id={`${idp}-origins`} rows={2} value={d.allowedOrigins} onChange={(e) => set('allowedOrigins', e.target.value)} aria-describedby={`${idp}-origins-hint`} />
        <p id={`${idp}-origins-hint`} className="muted small">
          One per line or comma-separated, e.g. <code>https://ext.example.com</code>. Empty: the origins of the two URLs above.
        </p>
      </div>
      <fieldset>
        <legend>Scopes</legend>
        <ul className="plain scopes">
          {SCOPE_CHOICES.map(([scope, desc]) => (
            <li key={scope} className="check">
              <input
                id={`${idp}-scope-${scope}`}
                type="checkbox"
                checked={d.scopes.includes(scope)}
                onChange={(e) => set('scopes', e.target.checked ? [...d.scopes, scope] : d.scopes.filter((s) => s !== scope))}
              />
              <label htmlFor={`${idp}-scope-${scope}`}>
                <code>{scope}</code> <span className="muted small">{desc}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {d.dialect === 'chaster' || d.habits.length ? <HabitsEditor idp={idp} habits={d.habits} onChange={(habits) => set('habits', habits)} /> : null}
      <div className="field">
        <label htmlFor={`${idp}-config`}>Default config (JSON)</label>
        <textarea
          id={`${idp}-config`}
          className="mono"
          rows={5}
          spellCheck={false}
          value={d.defaultConfig}
          onChange={(e) => set('defaultConfig', e.target.value)}
          aria-invalid={config.error ? true : undefined}
          aria-describedby={config.error ? `${idp}-config-error` : undefined}
        />
        {config.error ? (
          <p id={`${idp}-config-error`} className="error small" role="alert">
            {config.error}
          </p>
        ) : null}
      </div>
      <details>
        <summary>Initial metadata (home actions, unlock requirements)</summary>
        <div className="field">
          <label htmlFor={`${idp}-meta`}>Initial metadata (JSON)</label>
          <textarea
            id={`${idp}-meta`}
            className="mono"
            rows={6}
            spellCheck={false}
            value={d.initialMetadata}
            onChange={(e) => set('initialMetadata', e.target.value)}
            aria-invalid={meta.error ? true : undefined}
            aria-describedby={`${idp}-meta-hint`}
          />
          <p id={`${idp}-meta-hint`} className="muted small">
            <code>{'{"homeActions":[{"slug":"log","title":"Log it"}],"unlockRequirements":[{"metric":"log","requiredCount":3}]}'}</code>
          </p>
          {meta.error ? (
            <p className="error small" role="alert">
              {meta.error}
            </p>
          ) : null}
        </div>
      </details>
      <ErrorNote error={error} testId="app-error" />
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !!config.error || !!meta.error}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

function KeysSection({ apps }: { apps: AppView[] }) {
  const [keys, setKeys] = useState<KeyView[] | null>(null);
  const [name, setName] = useState('');
  const [appId, setAppId] = useState('');
  const [created, setCreated] = useState<(KeyView & { key: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setKeys((await api<{ results: KeyView[] }>('/api/developer/keys')).results);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const k = await api<KeyView & { key: string }>('/api/developer/keys', { method: 'POST', body: { name: name.trim(), ...(appId ? { appId } : {}) } });
      setCreated(k);
      setName('');
      setStatus(`Key “${k.name}” created.`);
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(k: KeyView) {
    if (!window.confirm(`Revoke the key “${k.name}”? Every program using it stops working at once; this cannot be undone.`)) return;
    setError(null);
    try {
      await api(`/api/developer/keys/${k.id}/revoke`, { method: 'POST' });
      setStatus(`Key “${k.name}” revoked.`);
      if (created?.id === k.id) setCreated(null);
      await load();
    } catch (err) {
      setError(err);
    }
  }

  async function remove(k: KeyView) {
    if (!window.confirm(`Delete the revoked key “${k.name}” from the list?`)) return;
    setError(null);
    try {
      await api(`/api/developer/keys/${k.id}`, { method: 'DELETE' });
      setStatus(`Key “${k.name}” deleted.`);
      await load();
    } catch (err) {
      setError(err);
    }
  }

  const appName = (id: string | null) => (id ? (apps.find((a) => a.id === id)?.slug ?? id) : null);

  return (
    <section className="card stack" aria-labelledby="keys-h">
      <h2 id="keys-h">Developer keys</h2>
      <p className="muted small">App keys (with an app) call the extension session API for that app; user-wide keys call the External API on your own locks.</p>
      <form className="row wrap align-end" onSubmit={create}>
        <div className="field grow">
          <label htmlFor="key-name">Key name</label>
          <input id="key-name" required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="key-app">App</label>
          <select id="key-app" value={appId} onChange={(e) => setAppId(e.target.value)}>
            <option value="">User-wide (no app)</option>
            {apps.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.slug})
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          Create key
        </button>
      </form>
      {created ? (
        <ShownOnce key={created.id} value={created.key} label="New key" what="key" testId="new-key" onDone={() => setCreated(null)}>
          <strong>Copy this key now.</strong> It is shown only once; latch keeps only its hash.
        </ShownOnce>
      ) : null}
      <StatusLine status={status} error={error} />
      {keys ? (
        <Table
          label="Keys"
          testId="keys-table"
          rows={keys}
          rowKey={(k) => k.id}
          rowAttributes={(k) => ({ 'data-testid': `key-${k.id}` })}
          empty={<p className="muted">No keys yet.</p>}
          columns={[
            { header: 'Name', cell: (k) => k.name },
            {
              header: 'Key',
              cell: (k) => (
                <code>
                  {k.prefix}…{k.last4}
                </code>
              ),
            },
            { header: 'Kind', cell: (k) => (k.kind === 'app' ? `app: ${appName(k.appId)}` : 'user-wide') },
            { header: 'Created', cell: (k) => formatDate(k.createdAt) },
            { header: 'Last used', cell: (k) => (k.lastUsedAt ? formatDate(k.lastUsedAt) : 'never') },
            { header: 'State', cell: (k) => (k.revokedAt ? <Badge tone="danger">revoked {formatDate(k.revokedAt)}</Badge> : <Badge tone="ok">active</Badge>) },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (k) =>
                k.revokedAt ? (
                  <button type="button" className="small-btn" onClick={() => void remove(k)} aria-label={`Delete key ${k.name}`}>
                    Delete
                  </button>
                ) : (
                  <button type="button" className="small-btn danger" onClick={() => void revoke(k)} aria-label={`Revoke key ${k.name}`}>
                    Revoke
                  </button>
                ),
            },
          ]}
        />
      ) : null}
    </section>
  );
}

/** The developer console: my extension apps and my developer keys. */
export function DeveloperConsole() {
  useTitle('Developer console');
  const [apps, setApps] = useState<AppView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');

  const load = useCallback(async () => {
    try {
      setApps((await api<{ results: AppView[] }>('/api/developer/apps')).results);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section>
      <h1>Developer console</h1>
      <DevNav />
      <StatusLine status={status} error={error} />
      <section className="card stack" aria-labelledby="apps-h">
        <h2 id="apps-h">My apps</h2>
        {apps === null && !error ? <p className="muted">Loading…</p> : null}
        {apps?.length === 0 ? <p className="muted">No apps yet. Register one below.</p> : null}
        {apps?.length ? (
          <ul className="plain stack" data-testid="apps">
            {apps.map((a) => (
              <li key={a.id} className="app-row">
                <NavLink to={`/developer/apps/${a.id}`} testId={`app-${a.slug}`}>
                  {a.name}
                </NavLink>{' '}
                <code className="muted">{a.slug}</code> <span className={`badge ${a.dialect === 'chaster' ? 'badge-info' : ''}`}>{a.dialect === 'chaster' ? 'Chaster' : 'Chastify'}</span>
                {a.description ? <p className="muted small">{a.description}</p> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section className="card stack" aria-labelledby="new-app-h">
        <h2 id="new-app-h">Register an app</h2>
        <AppForm
          app={null}
          submitLabel="Register app"
          onSaved={(a) => {
            setStatus(`App “${a.name}” registered.`);
            void load();
          }}
        />
      </section>
      <KeysSection apps={apps ?? []} />
    </section>
  );
}

const outcomeTone = (o: AuditEntry['outcome']) => (o === 'success' ? 'ok' : o === 'refused' ? 'warn' : 'danger');

/** One app: edit it, read its audit trail. */
export function DeveloperApp({ appId }: { appId: string }) {
  const [app, setApp] = useState<AppView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  useTitle(app ? `App ${app.name}` : 'App');
  const { rows: audit, hasMore: auditMore, error: auditError, load: loadAudit } = usePagedList<AuditEntry>(`/api/developer/apps/${appId}/audit`, 50);
  const [filter, setFilter] = useState('');

  useEffect(() => {
    setApp(null);
    api<AppView>(`/api/developer/apps/${appId}`)
      .then(setApp)
      .catch((e: unknown) => setError(e));
  }, [appId]);

  useEffect(() => {
    void loadAudit();
  }, [loadAudit]);

  const shown = (audit ?? []).filter((a) => !filter.trim() || a.requestId.includes(filter.trim()) || (a.errorCode ?? '').includes(filter.trim()));

  return (
    <section>
      <p>
        <Link to="/developer">← Developer console</Link>
      </p>
      <h1>{app ? app.name : 'App'}</h1>
      <ErrorNote error={error} />
      <p role="status" className="status-line">
        {status}
      </p>
      {app ? (
        <section className="card stack" aria-labelledby="edit-h">
          <h2 id="edit-h">Settings</h2>
          <p className="muted small">
            Created {formatDate(app.createdAt)} · updated {formatDate(app.updatedAt)}
          </p>
          <AppForm
            app={app}
            submitLabel="Save changes"
            onSaved={(a) => {
              setApp(a);
              setStatus('Saved.');
            }}
          />
        </section>
      ) : null}
      <AppSessions appId={appId} />
      <AppWebhooks appId={appId} dialect={app?.dialect ?? 'chastify'} />
      <section className="card stack" aria-labelledby="audit-h">
        <div className="page-head">
          <h2 id="audit-h">Audit trail</h2>
          <button type="button" onClick={() => void loadAudit()}>
            Refresh
          </button>
        </div>
        <div className="field">
          <label htmlFor="audit-filter">Filter by request id or error code</label>
          <input id="audit-filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
        <ErrorNote error={auditError} />
        {audit ? (
          <Table
            label="Audit trail"
            testId="audit-table"
            rows={shown}
            rowKey={(a) => a.id}
            empty={<p className="muted">{audit.length ? 'Nothing matches the filter.' : 'No privileged calls yet.'}</p>}
            columns={[
              { header: 'When', cell: (a) => formatDate(a.createdAt) },
              {
                header: 'Call',
                cell: (a) => (
                  <>
                    <code>
                      {a.method} {a.route}
                    </code>
                    {a.action ? <span className="muted small"> ({a.action})</span> : null}
                  </>
                ),
              },
              { header: 'Credential', className: 'small', cell: (a) => a.credential },
              { header: 'Status', cell: (a) => a.status },
              { header: 'Outcome', cell: (a) => <Badge tone={outcomeTone(a.outcome)}>{a.outcome}</Badge> },
              { header: 'Code', cell: (a) => (a.errorCode ? <code>{a.errorCode}</code> : '—') },
              { header: 'Request id', cell: (a) => <code className="small">{a.requestId}</code> },
            ]}
          />
        ) : null}
        {auditMore ? (
          <button type="button" onClick={() => void loadAudit(audit?.[audit.length - 1]?.id)}>
            Load more
          </button>
        ) : null}
      </section>
    </section>
  );
}

/** Shows whatever the server's request inspector returns (its shape is not fixed yet). */
function ServerRequests({ filter }: { filter: string }) {
  const [state, setState] = useState<{ kind: 'loading' } | { kind: 'missing' } | { kind: 'error'; error: unknown } | { kind: 'ok'; rows: Array<Record<string, unknown>> | null; raw: unknown }>({ kind: 'loading' });
  const load = useCallback(async () => {
    try {
      const res = await request<unknown>('/api/dev/inspector');
      if (res.status === 404) return setState({ kind: 'missing' });
      if (res.status >= 400) {
        const b = (isObject(res.body) ? res.body : {}) as { code?: string; message?: string };
        return setState({ kind: 'error', error: new ApiError(res.status, b.code ?? 'internal_error', b.message ?? `HTTP ${res.status}`, res.requestId) });
      }
      const body = res.body;
      const list = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.results) ? body.results : isObject(body) && Array.isArray(body.requests) ? body.requests : null;
      setState({ kind: 'ok', rows: list ? (list.filter(isObject) as Array<Record<string, unknown>>) : null, raw: body });
    } catch (e) {
      setState({ kind: 'error', error: e });
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const rows = state.kind === 'ok' && state.rows ? state.rows.filter((r) => !filter.trim() || JSON.stringify(r).includes(filter.trim())) : [];
  const columns = rows.length ? Array.from(new Set(rows.slice(0, 20).flatMap((r) => Object.keys(r)))).slice(0, 8) : [];
  const cell = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

  return (
    <section className="card stack" aria-labelledby="server-h">
      <div className="page-head">
        <h2 id="server-h">Server requests</h2>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {state.kind === 'loading' ? <p className="muted">Loading…</p> : null}
      {state.kind === 'missing' ? <p className="muted">This server has no request inspector (GET /api/dev/inspector answers 404).</p> : null}
      {state.kind === 'error' ? <ErrorNote error={state.error} /> : null}
      {state.kind === 'ok' && !state.rows ? <pre className="json">{JSON.stringify(state.raw, null, 2)}</pre> : null}
      {state.kind === 'ok' && state.rows && rows.length === 0 ? <p className="muted">No requests{filter ? ' match the filter' : ''}.</p> : null}
      <Table
        label="Server requests"
        testId="server-requests"
        rows={rows}
        rowKey={(_, i) => String(i)}
        columns={columns.map((c) => ({ header: c, className: 'small', cell: (r: Record<string, unknown>) => cell(r[c]) }))}
      />
    </section>
  );
}

/** Recent bridge messages (and the request ids they caused); in dev mode, the server's own request log. */
export function Inspector() {
  useTitle('Bridge inspector');
  const log = useBridgeLog();
  const dev = useDevMode();
  const [filter, setFilter] = useState('');
  const entries = useMemo(() => {
    const f = filter.trim();
    return [...log].reverse().filter((e) => !f || (e.requestId ?? '').includes(f) || (e.id ?? '').includes(f));
  }, [log, filter]);

  return (
    <section>
      <h1>Inspector</h1>
      <DevNav />
      <div className="row wrap align-end">
        <div className="field grow">
          <label htmlFor="inspector-filter">Filter by request id</label>
          <input id="inspector-filter" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="req_…" data-testid="inspector-filter" />
        </div>
        <button type="button" onClick={() => clearBridgeLog()} disabled={log.length === 0}>
          Clear
        </button>
      </div>
      <section className="card stack" aria-labelledby="bridge-h">
        <h2 id="bridge-h">Bridge messages</h2>
        <p className="muted small">This tab’s extension traffic, newest first ({log.length} recorded).</p>
        <Table
          label="Bridge messages"
          testId="bridge-log"
          rows={entries}
          rowKey={(e, i) => `${e.at}-${i}`}
          rowAttributes={(e) => ({ className: e.direction === 'drop' ? 'row-warn' : undefined })}
          empty={<p className="muted">{log.length ? 'Nothing matches the filter.' : 'Nothing yet: open an extension on a lock.'}</p>}
          columns={[
            { header: 'Time', className: 'small', cell: (e) => new Date(e.at).toLocaleTimeString() },
            { header: 'Dir.', cell: (e) => (e.direction === 'in' ? '← in' : e.direction === 'out' ? '→ out' : '✕ dropped') },
            { header: 'Type', className: 'small', cell: (e) => e.type ?? '—' },
            { header: 'Action', cell: (e) => (e.action ? <code>{e.action}</code> : '—') },
            { header: 'Id', className: 'small', cell: (e) => e.id ?? '—' },
            {
              header: 'Result',
              cell: (e) => (
                <>
                  {e.ok === true ? <Badge tone="ok">ok</Badge> : e.ok === false ? <Badge tone="danger">{e.code ?? 'error'}</Badge> : null}
                  {e.reason ? <span className="small"> {e.reason}</span> : null}
                </>
              ),
            },
            { header: 'Request id', cell: (e) => (e.requestId ? <code className="small">{e.requestId}</code> : '—') },
            { header: 'Session', className: 'small', cell: (e) => (e.sessionId ? e.sessionId.slice(-6) : '—') },
          ]}
        />
      </section>
      {dev ? <ServerRequests filter={filter} /> : null}
    </section>
  );
}

interface AppSession {
  sessionId: string;
  lockId: string;
  lockTitle: string;
  lockStatus: string;
  wearerUsername: string | null;
  keyholderUsername: string | null;
  createdAt: string;
}

/** Where the app runs: its sessions, newest installs last, with their locks' state. */
function AppSessions({ appId }: { appId: string }) {
  const [rows, setRows] = useState<AppSession[] | null>(null);
  const [count, setCount] = useState(0);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(
    async (after?: string) => {
      try {
        const page = await api<{ count: number; hasMore: boolean; results: AppSession[] }>(`/api/developer/apps/${appId}/sessions?limit=50${after ? `&after=${after}` : ''}`);
        setRows((prev) => (after ? [...(prev ?? []), ...page.results] : page.results));
        setCount(page.count);
        setMore(page.hasMore);
        setError(null);
      } catch (e) {
        setError(e);
      }
    },
    [appId],
  );
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="card stack" aria-labelledby="sessions-h">
      <div className="page-head">
        <h2 id="sessions-h">Sessions ({count})</h2>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <ErrorNote error={error} />
      {rows ? (
        <Table
          label="Sessions"
          testId="sessions-table"
          rows={rows}
          rowKey={(r) => r.sessionId}
          empty={<p className="muted">No lock runs this app yet.</p>}
          columns={[
            { header: 'Session', className: 'mono small', cell: (r) => r.sessionId },
            { header: 'Lock', cell: (r) => r.lockTitle },
            { header: 'Status', cell: (r) => r.lockStatus },
            { header: 'Wearer', cell: (r) => r.wearerUsername ?? '—' },
            { header: 'Keyholder', cell: (r) => r.keyholderUsername ?? '—' },
            { header: 'Installed', className: 'small', cell: (r) => formatDate(r.createdAt) },
          ]}
        />
      ) : null}
      {more && rows?.length ? (
        <button type="button" onClick={() => void load(rows[rows.length - 1]!.sessionId)}>
          Load more
        </button>
      ) : null}
    </section>
  );
}
