import { useEffect, useState } from 'react';
import { api } from '../api.js';
import type { ExtensionSummary, Lock } from '../types.js';
import { Badge, ErrorNote, JsonView } from '../components/ui.js';
import { SetupFrame, asConfig, withWholeDefaultConfig, type Config } from '../components/SetupFrame.js';
import { BackgroundChoice } from '../components/BackgroundChoice.js';
import { ChasterConfigureButton } from '../components/ChasterConfigModal.js';
import { Permissions } from '../components/Permissions.js';

/**
 * Adding an extension to a running lock (with its setup page, like at creation) and removing one.
 * Shown to whoever controls the lock: its keyholder, or the wearer of a self-lock.
 */
export function ManageExtensions({ lock, onChanged }: { lock: Lock; onChanged: (message: string) => Promise<void> }) {
  const [catalog, setCatalog] = useState<ExtensionSummary[] | null>(null);
  const [catalogError, setCatalogError] = useState<unknown>(null);
  const [picked, setPicked] = useState('');
  const [config, setConfig] = useState<Config>({});
  const [background, setBackground] = useState(false);
  /** The installed extension whose setup page is open again, and the config it produced. */
  const [editing, setEditing] = useState<string | null>(null);
  const [editConfig, setEditConfig] = useState<Config>({});
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<{ results: ExtensionSummary[] }>('/api/extensions')
      .then((r) => setCatalog(r.results))
      .catch((e: unknown) => setCatalogError(e));
  }, []);

  const installed = new Set(lock.extensions.map((x) => x.slug));
  const catalogEntry = (slug: string) => catalog?.find((c) => c.slug === slug);
  const available = (catalog ?? []).filter((x) => !installed.has(x.slug));
  const ext = available.find((x) => x.slug === picked) ?? null;
  const role = lock.role === 'keyholder' ? 'keyholder' : 'wearer';

  const pick = (slug: string) => {
    setPicked(slug);
    setBackground(false);
    setError(null);
    const entry = available.find((x) => x.slug === slug);
    setConfig(asConfig(entry?.defaultConfig));
    if (entry?.defaultConfigOmitted) {
      void withWholeDefaultConfig(entry)
        .then((whole) => {
          setCatalog((all) => all?.map((x) => (x.slug === whole.slug ? whole : x)) ?? all);
          setConfig(asConfig(whole.defaultConfig));
        })
        .catch((e: unknown) => setCatalogError(e));
    }
  };

  async function run(work: () => Promise<unknown>, message: string) {
    setBusy(true);
    setError(null);
    try {
      await work();
      setConfirming(null);
      setEditing(null);
      setPicked('');
      await onChanged(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const install = () =>
    ext && run(() => api(`/api/locks/${lock.id}/extensions`, { method: 'POST', body: { slug: ext.slug, ...(ext.defaultConfigOmitted ? {} : { config }), ...(ext.requestsBackground && background ? { background: true } : {}) } }), `${ext.name} added.`);
  const saveConfig = (x: Lock['extensions'][number]) =>
    run(() => api(`/api/locks/${lock.id}/extensions/${encodeURIComponent(x.slug)}/config`, { method: 'PUT', body: { config: editConfig } }), `${x.name} settings saved.`);
  const edit = (x: Lock['extensions'][number]) => {
    setError(null);
    setConfirming(null);
    setEditConfig(asConfig(x.config));
    setEditing(x.slug);
  };
  const setGrant = (x: Lock['extensions'][number], granted: boolean) =>
    run(
      () => api(`/api/locks/${lock.id}/extensions/${encodeURIComponent(x.slug)}/background`, { method: 'PUT', body: { granted } }),
      granted ? `${x.name} may now act while nobody has it open.` : `${x.name} no longer acts while nobody has it open.`,
    );
  const approveScopes = (x: Lock['extensions'][number]) =>
    run(
      () => api(`/api/locks/${lock.id}/extensions/${encodeURIComponent(x.slug)}/scopes/approve`, { method: 'POST', body: { scopes: x.pendingScopes } }),
      `${x.name} may now use its new permissions.`,
    );
  const remove = (x: Lock['extensions'][number]) =>
    run(() => api(`/api/locks/${lock.id}/extensions/${encodeURIComponent(x.slug)}`, { method: 'DELETE' }), `${x.name} removed.`);

  return (
    <section aria-labelledby="manage-ext-h" className="card stack" data-testid="manage-extensions">
      <h2 id="manage-ext-h">Manage extensions</h2>
      {lock.extensions.length ? (
        <ul className="plain stack">
          {lock.extensions.map((x) => (
            <li key={x.sessionId} className="row wrap" data-testid={`installed-${x.slug}`}>
              <span className="grow">
                {x.name}
                {x.background ? (
                  <span title={`Allowed ${new Date(x.background.grantedAt).toLocaleString()}; acts as the ${x.background.role}`}>
                    {' '}
                    <Badge tone="info" testId={`background-badge-${x.slug}`}>
                      Acts in the background
                    </Badge>
                  </span>
                ) : null}
              </span>
              {catalogEntry(x.slug)?.setupUrl && catalogEntry(x.slug)?.dialect === 'chaster' && confirming !== x.slug ? (
                <ChasterConfigureButton ext={x} lockId={lock.id} label="Configure…" onSaved={() => void onChanged(`${x.name} settings saved.`)} />
              ) : catalogEntry(x.slug)?.setupUrl && editing !== x.slug && confirming !== x.slug ? (
                <button type="button" className="small-btn" disabled={busy} onClick={() => edit(x)} data-testid={`edit-${x.slug}`}>
                  Change settings…
                </button>
              ) : null}
              {x.requestsBackground && confirming !== x.slug ? (
                <button type="button" className="small-btn" disabled={busy} onClick={() => setGrant(x, !x.background)} data-testid={`background-toggle-${x.slug}`}>
                  {x.background ? 'Stop background access' : 'Allow background access'}
                </button>
              ) : null}
              {confirming === x.slug ? (
                <>
                  <span className="small" id={`remove-${x.slug}-warn`}>
                    Its state stays on record, but it stops acting on this lock.
                  </span>
                  <button type="button" className="danger" disabled={busy} onClick={() => remove(x)} aria-describedby={`remove-${x.slug}-warn`} data-testid={`confirm-remove-${x.slug}`}>
                    Remove {x.name}
                  </button>
                  <button type="button" disabled={busy} onClick={() => setConfirming(null)}>
                    Keep it
                  </button>
                </>
              ) : (
                <button type="button" className="small-btn" disabled={busy} onClick={() => setConfirming(x.slug)} data-testid={`remove-${x.slug}`}>
                  Remove…
                </button>
              )}
              {x.pendingScopes?.length ? (
                <div className="stack full-row notice" data-testid={`pending-scopes-${x.slug}`}>
                  <Permissions scopes={x.pendingScopes} label={`${x.name} asks for new permissions, unused on this lock until you approve them`} />
                  <div className="row">
                    <button type="button" className="primary" disabled={busy} onClick={() => approveScopes(x)} data-testid={`approve-scopes-${x.slug}`}>
                      Approve new permissions
                    </button>
                  </div>
                </div>
              ) : null}
              {editing === x.slug && catalogEntry(x.slug) ? (
                <div className="stack ext-setup full-row" data-testid={`edit-extension-${x.slug}`}>
                  <p className="muted small">Its setup page, with this lock’s settings. Required progress, attempt limits and regular actions cannot change while the lock runs.</p>
                  <SetupFrame key={`edit-${x.slug}`} ext={catalogEntry(x.slug)!} role={role} initialConfig={asConfig(x.config)} onConfig={setEditConfig} />
                  <h3 className="small-heading">Configuration</h3>
                  <JsonView value={editConfig} label={`${x.name} configuration`} testId={`edit-config-${x.slug}`} />
                  <div className="row">
                    <button type="button" className="primary" disabled={busy} onClick={() => saveConfig(x)} data-testid={`save-config-${x.slug}`}>
                      {busy ? 'Saving…' : 'Save settings'}
                    </button>
                    <button type="button" disabled={busy} onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </div>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No extension is installed on this lock.</p>
      )}

      <ErrorNote error={catalogError} />
      {catalog === null && !catalogError ? <p className="muted small">Loading extensions…</p> : null}
      {catalog && available.length === 0 ? <p className="muted small">Every available extension is installed.</p> : null}
      {available.length ? (
        <div className="stack">
          <div className="field">
            <label htmlFor="add-extension">Add an extension</label>
            <select id="add-extension" value={picked} onChange={(e) => pick(e.target.value)} data-testid="add-extension-select">
              <option value="">Choose…</option>
              {available.map((x) => (
                <option key={x.slug} value={x.slug}>
                  {x.name}
                </option>
              ))}
            </select>
          </div>
          {ext ? (
            <div className="stack ext-setup" data-testid={`add-extension-${ext.slug}`}>
              <p className="muted small">{ext.description || ext.slug}</p>
              {ext.defaultConfigOmitted ? (
                <p className="muted small">Loading its default configuration…</p>
              ) : ext.setupUrl && ext.dialect === 'chaster' ? (
                <div className="row">
                  <ChasterConfigureButton ext={ext} config={config} onSaved={(c) => c && setConfig(c)} />
                </div>
              ) : ext.setupUrl ? (
                <SetupFrame key={ext.slug} ext={ext} role={role} onConfig={setConfig} />
              ) : (
                <p className="muted small">This extension has no setup page; it uses its default configuration.</p>
              )}
              <h3 className="small-heading">Configuration</h3>
              <JsonView value={config} label={`${ext.name} configuration`} testId={`add-config-${ext.slug}`} />
              <Permissions scopes={ext.scopes ?? []} label={`Adding ${ext.name} lets it`} testId={`add-scopes-${ext.slug}`} />
              {ext.requestsBackground ? <BackgroundChoice id={`add-${ext.slug}`} name={ext.name} checked={background} onChange={setBackground} /> : null}
              <div className="row">
                <button type="button" className="primary" disabled={busy} onClick={install} data-testid="install-extension">
                  {busy ? 'Adding…' : `Add ${ext.name}`}
                </button>
              </div>
            </div>
          ) : null}
        </div>
      ) : null}
      <ErrorNote error={error} testId="manage-extensions-error" />
    </section>
  );
}
