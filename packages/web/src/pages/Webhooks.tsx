import { useCallback, useEffect, useState } from 'react';
import { usePagedList } from '../usePagedList.js';
import { api } from '../api.js';
import { Badge, JsonView, ShownOnce, StatusLine, formatDate } from '../components/ui.js';
import { CHASTER_WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@latch/protocol/wire';
import { Table } from '../components/Table.js';
import type { WebhookDeliveryDetail, WebhookDeliveryView, WebhookEndpointView } from '../types.js';

/** How the form names each event type of DECISIONS §10 (`WEBHOOK_EVENTS` in @latch/protocol has the long form). */
const EVENT_LABELS: Record<WebhookEventType, string> = {
  'extension_session.created': 'installed on a lock',
  'extension_session.updated': 'state, metadata or regular-actions config written',
  'extension_session.deleted': 'removed from a lock',
  'action_log.created': 'a history entry on a lock it runs on',
  'requirement.window_evaluated': 'a required-progress window evaluated',
  'attempt.failed': 'an attempt ran past its deadline',
  'regular_action.created': 'a regular action accepted',
  'lock.unlocked': 'a lock it runs on unlocked',
};
export const WEBHOOK_EVENTS: Array<[type: WebhookEventType, what: string]> = WEBHOOK_EVENT_TYPES.map((t) => [t, EVENT_LABELS[t]]);
/** A Chaster app's endpoints take Chaster's four events (DECISIONS §14), with Chaster's bodies. */
const CHASTER_EVENTS: Array<[type: WebhookEventType, what: string]> = CHASTER_WEBHOOK_EVENT_TYPES.map((t) => [t, EVENT_LABELS[t]]);

type Endpoint = WebhookEndpointView;
type Delivery = WebhookDeliveryView;
type DeliveryDetail = WebhookDeliveryDetail;

const STATUS_TONE = { pending: 'info', succeeded: 'ok', failed: 'danger' } as const;

/** The delivery log of one endpoint: status, attempts, payload, redeliver. */
function Deliveries({ appId, endpoint, version }: { appId: string; endpoint: Endpoint; version: number }) {
  const base = `/api/developer/apps/${appId}/webhooks/${endpoint.id}/deliveries`;
  const { rows, hasMore, error, setError, load } = usePagedList<Delivery>(base, 25);
  const [open, setOpen] = useState<DeliveryDetail | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    void load();
  }, [load, version]);

  async function show(d: Delivery) {
    if (open?.id === d.id) return setOpen(null);
    try {
      setOpen(await api<DeliveryDetail>(`${base}/${d.id}`));
    } catch (e) {
      setError(e);
    }
  }

  async function redeliver(d: Delivery) {
    setError(null);
    try {
      await api(`${base}/${d.id}/redeliver`, { method: 'POST', body: {} });
      setStatus(`Delivery of ${d.eventType} queued again.`);
      setOpen(null);
      await load();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="stack" data-testid={`deliveries-${endpoint.id}`}>
      <div className="page-head">
        <h3 className="small-heading">Deliveries to {endpoint.url}</h3>
        <button type="button" className="small-btn" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <StatusLine status={status} error={error} />
      {rows ? (
        <Table
          label="Deliveries"
          rows={rows}
          rowKey={(d) => d.id}
          rowAttributes={(d) => ({ 'data-testid': `delivery-${d.id}`, 'data-event': d.eventType, 'data-status': d.status })}
          empty={
            <p className="muted small">
              Nothing delivered yet. “Send test” queues a <code>webhook.test</code> event.
            </p>
          }
          columns={[
            { header: 'Event', cell: (d) => <code>{d.eventType}</code> },
            {
              header: 'Status',
              cell: (d) => (
                <>
                  <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge>
                  {d.status === 'pending' && d.nextAttemptAt ? <span className="muted small"> next {formatDate(d.nextAttemptAt)}</span> : null}
                </>
              ),
            },
            { header: 'Attempts', cell: (d) => d.attemptCount },
            { header: 'Last answer', className: 'small', cell: (d) => (d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '—')) },
            { header: 'Created', cell: (d) => formatDate(d.createdAt) },
            {
              header: 'Actions',
              hideHeader: true,
              className: 'row',
              cell: (d) => (
                <>
                  <button type="button" className="small-btn" aria-expanded={open?.id === d.id} onClick={() => void show(d)}>
                    Details
                  </button>
                  <button type="button" className="small-btn" onClick={() => void redeliver(d)} aria-label={`Redeliver ${d.eventType}`}>
                    Redeliver
                  </button>
                </>
              ),
            },
          ]}
        />
      ) : null}
      {hasMore && rows?.length ? (
        <button type="button" onClick={() => void load(rows[rows.length - 1]!.id)}>
          Older deliveries
        </button>
      ) : null}
      {open ? (
        <div className="card stack" data-testid="delivery-detail">
          <p className="small">
            <code>webhook-id: {open.messageId}</code>
          </p>
          <ol className="small">
            {open.attempts.map((a) => (
              <li key={a.attempt}>
                {formatDate(a.attemptedAt)}: {a.succeeded ? 'delivered' : 'failed'}
                {a.statusCode !== null ? ` · HTTP ${a.statusCode}` : ''}
                {a.error ? ` · ${a.error}` : ''} · {a.durationMs} ms
              </li>
            ))}
          </ol>
          <JsonView value={open.payload} label="Payload" />
        </div>
      ) : null}
    </div>
  );
}

/**
 * An app's webhook endpoints (DECISIONS §10): add, turn on/off, rotate the secret, test, delete,
 * and each one's delivery log. A Chaster app's endpoints take Chaster's events and Basic auth (§14).
 */
export function AppWebhooks({ appId, dialect }: { appId: string; dialect: 'chastify' | 'chaster' }) {
  const base = `/api/developer/apps/${appId}/webhooks`;
  const chaster = dialect === 'chaster';
  const offered = chaster ? CHASTER_EVENTS : WEBHOOK_EVENTS;
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(offered.map(([t]) => t));
  const [authUser, setAuthUser] = useState('');
  const [authPassword, setAuthPassword] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setEndpoints((await api<{ results: Endpoint[] }>(base)).results);
    } catch (e) {
      setError(e);
    }
  }, [base]);
  useEffect(() => {
    void load();
  }, [load]);
  // The dialect is known once the app has loaded: offer its events.
  useEffect(() => setEvents(offered.map(([t]) => t)), [offered]);

  async function run(work: () => Promise<string>) {
    setBusy(true);
    setError(null);
    try {
      setStatus(await work());
      await load();
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const add = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const created = await api<Endpoint & { secret: string }>(base, {
        method: 'POST',
        body: {
          url: url.trim(),
          events,
          ...(description.trim() ? { description: description.trim() } : {}),
          ...(chaster && authUser ? { basicAuth: { username: authUser, password: authPassword } } : {}),
        },
      });
      setSecret(created.secret);
      setSelected(created.id);
      setUrl('');
      setDescription('');
      setAuthUser('');
      setAuthPassword('');
      return `Endpoint ${created.url} added.`;
    });
  };
  const toggle = (ep: Endpoint) =>
    run(async () => {
      await api(`${base}/${ep.id}`, { method: 'PATCH', body: { enabled: !ep.enabled } });
      return ep.enabled ? `${ep.url} turned off.` : `${ep.url} turned on.`;
    });
  const rotate = (ep: Endpoint) =>
    run(async () => {
      const r = await api<{ secret: string }>(`${base}/${ep.id}/rotate-secret`, { method: 'POST', body: {} });
      setSecret(r.secret);
      return `New secret for ${ep.url}.`;
    });
  const test = (ep: Endpoint) =>
    run(async () => {
      await api(`${base}/${ep.id}/test`, { method: 'POST', body: {} });
      setSelected(ep.id);
      return `Test event queued for ${ep.url}.`;
    });
  const removeBasicAuth = (ep: Endpoint) =>
    run(async () => {
      await api(`${base}/${ep.id}`, { method: 'PATCH', body: { basicAuth: null } });
      return `Basic auth removed from ${ep.url}.`;
    });
  const remove = (ep: Endpoint) =>
    run(async () => {
      await api(`${base}/${ep.id}`, { method: 'DELETE' });
      setConfirming(null);
      if (selected === ep.id) setSelected(null);
      return `${ep.url} deleted.`;
    });

  const chosen = endpoints?.find((ep) => ep.id === selected) ?? null;

  return (
    <section className="card stack" aria-labelledby="webhooks-h" data-testid="webhooks">
      <h2 id="webhooks-h">Webhooks</h2>
      <p className="muted small">
        latch POSTs events to your backend, signed the Standard Webhooks way (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>), and
        retries failures with backoff.
      </p>
      <StatusLine status={status} error={error} errorTestId="webhooks-error" />
      {secret ? (
        // Shown after adding an endpoint or rotating its secret.
        <ShownOnce value={secret} label="Signing secret" what="secret" testId="webhook-secret" onDone={() => setSecret(null)}>
          <strong>Copy this signing secret now.</strong> It is shown only once. Verify each delivery’s <code>webhook-signature</code> with it.
        </ShownOnce>
      ) : null}

      {endpoints?.length ? (
        <ul className="plain stack">
          {endpoints.map((ep) => (
            <li key={ep.id} className="stack" data-testid={`webhook-${ep.id}`}>
              <div className="row wrap">
                <code className="grow break">{ep.url}</code>
                {ep.enabled ? <Badge tone="ok">on</Badge> : <Badge>off</Badge>}
                {ep.enabled && ep.failingSince ? <Badge tone="danger">failing since {formatDate(ep.failingSince)}</Badge> : null}
                {ep.hasBasicAuth ? <Badge tone="info">Basic auth</Badge> : null}
                <span className="muted small">
                  {ep.events.length === offered.length ? 'all events' : `${ep.events.length} event${ep.events.length === 1 ? '' : 's'}`}
                </span>
              </div>
              {ep.description ? <p className="muted small">{ep.description}</p> : null}
              {ep.disabledReason ? (
                <p className="notice warn small" data-testid={`webhook-disabled-${ep.id}`}>
                  {ep.disabledReason}. Fix the receiver, turn the endpoint on, then redeliver what it missed.
                </p>
              ) : null}
              <div className="row wrap">
                <button type="button" className="small-btn" aria-pressed={selected === ep.id} onClick={() => setSelected(selected === ep.id ? null : ep.id)}>
                  Deliveries
                </button>
                <button type="button" className="small-btn" disabled={busy || !ep.enabled} onClick={() => void test(ep)} data-testid={`webhook-test-${ep.id}`}>
                  Send test
                </button>
                <button type="button" className="small-btn" disabled={busy} onClick={() => void toggle(ep)}>
                  {ep.enabled ? 'Turn off' : 'Turn on'}
                </button>
                <button type="button" className="small-btn" disabled={busy} onClick={() => void rotate(ep)}>
                  Rotate secret
                </button>
                {ep.hasBasicAuth ? (
                  <button type="button" className="small-btn" disabled={busy} onClick={() => void removeBasicAuth(ep)}>
                    Remove Basic auth
                  </button>
                ) : null}
                {confirming === ep.id ? (
                  <>
                    <button type="button" className="small-btn danger" disabled={busy} onClick={() => void remove(ep)}>
                      Delete {ep.url} and its log
                    </button>
                    <button type="button" className="small-btn" onClick={() => setConfirming(null)}>
                      Keep it
                    </button>
                  </>
                ) : (
                  <button type="button" className="small-btn" disabled={busy} onClick={() => setConfirming(ep.id)}>
                    Delete…
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {endpoints?.length === 0 ? <p className="muted small">No endpoint yet.</p> : null}
      {chosen ? <Deliveries appId={appId} endpoint={chosen} version={version} /> : null}

      <form className="stack" onSubmit={add} aria-labelledby="webhook-add-h">
        <h3 id="webhook-add-h" className="small-heading">
          Add an endpoint
        </h3>
        <div className="field">
          <label htmlFor="webhook-url">URL</label>
          <input id="webhook-url" type="url" required maxLength={2048} placeholder="https://my-extension.example/webhooks" value={url} onChange={(e) => setUrl(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="webhook-description">Description (optional)</label>
          <input id="webhook-description" maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
        {chaster ? (
          <fieldset className="stack" aria-describedby="webhook-auth-hint">
            <legend>Basic auth (optional)</legend>
            <p id="webhook-auth-hint" className="muted small">
              Sent as <code>Authorization: Basic …</code> with every delivery, as Chaster does. Stored encrypted and never shown again.
            </p>
            <div className="field">
              <label htmlFor="webhook-auth-user">Username</label>
              <input id="webhook-auth-user" maxLength={200} pattern="[^:]*" autoComplete="off" value={authUser} onChange={(e) => setAuthUser(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="webhook-auth-password">Password</label>
              <input id="webhook-auth-password" type="password" maxLength={500} autoComplete="new-password" required={authUser !== ''} value={authPassword} onChange={(e) => setAuthPassword(e.target.value)} />
            </div>
          </fieldset>
        ) : null}
        <fieldset className="stack">
          <legend>Events</legend>
          {offered.map(([type, what]) => (
            <div key={type} className="check">
              <input
                id={`webhook-event-${type}`}
                type="checkbox"
                value={type}
                checked={events.includes(type)}
                onChange={(e) => setEvents((all) => (e.target.checked ? [...all, type] : all.filter((t) => t !== type)))}
              />
              <label htmlFor={`webhook-event-${type}`}>
                <code>{type}</code> <span className="muted small">{what}</span>
              </label>
            </div>
          ))}
        </fieldset>
        <div className="row">
          <button type="submit" className="primary" disabled={busy || events.length === 0} data-testid="webhook-add">
            Add endpoint
          </button>
        </div>
      </form>
    </section>
  );
}
