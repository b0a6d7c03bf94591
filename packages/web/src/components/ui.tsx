import { useEffect, useState } from 'react';
import { ErrorNotice } from './ErrorNotice.js';
import { navigate } from '../router.js';

/** Small building blocks shared by the pages. */

/** `1d 02:03:04` / `02:03:04` / `03:04`. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(h)}:${pad(m)}:${pad(sec)}`;
  return d > 0 ? `${d}d ${clock}` : clock;
}

/** `2 days 3 hours`, for durations people choose (not countdowns). */
export function humanDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s === 0) return '0 minutes';
  const parts: string[] = [];
  const units: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  let rest = s;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Re-renders every `ms` (one shared timer per component). */
export function useTick(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(t);
  }, [ms]);
  return now;
}

/**
 * The remaining time of a lock, counted down locally from the server's `timeRemainingSeconds`
 * (the server may run on a virtual clock, so absolute dates are not compared with ours).
 */
export function remainingNow(timeRemainingSeconds: number, receivedAt: number, now: number): number {
  // `now` may come from a tick taken just before the data arrived: never count up.
  return Math.max(0, timeRemainingSeconds - Math.floor(Math.max(0, now - receivedAt) / 1000));
}

/** The browser tab's title for this page: "<what> · latch" (each page names itself). */
export function useTitle(what: string | null | undefined) {
  useEffect(() => {
    document.title = what ? `${what} · latch` : 'latch';
  }, [what]);
}

/** An API error shown inline (see ErrorNotice: a human sentence, the code and request id behind "Details"). */
export const ErrorNote = ErrorNotice;

/** A page's outcome line: what the last thing done did (announced to screen readers), then its error if any. */
export function StatusLine({ status, error, testId, errorTestId }: { status: React.ReactNode; error: unknown; testId?: string; errorTestId?: string }) {
  return (
    <>
      <p role="status" className="status-line" data-testid={testId}>
        {status}
      </p>
      <ErrorNote error={error} testId={errorTestId} />
    </>
  );
}

/** An in-app link that can carry extra attributes (test ids, classes) the router's Link does not. */
export function NavLink({ to, children, className, testId, label }: { to: string; children: React.ReactNode; className?: string; testId?: string; label?: string }) {
  return (
    <a
      href={to}
      className={className}
      data-testid={testId}
      aria-label={label}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/** Days / hours / minutes inputs for one duration, in seconds. */
export function DurationInput({
  legend,
  value,
  onChange,
  idPrefix,
  units = ['d', 'h', 'm'],
  hint,
}: {
  legend: string;
  value: number;
  onChange: (seconds: number) => void;
  idPrefix: string;
  units?: Array<'d' | 'h' | 'm'>;
  hint?: string;
}) {
  const size = { d: 86400, h: 3600, m: 60 } as const;
  const label = { d: 'Days', h: 'Hours', m: 'Minutes' } as const;
  const max = { d: 3650, h: 23, m: 59 } as const;
  const parts = { d: 0, h: 0, m: 0 };
  let rest = Math.max(0, value);
  for (const u of units) {
    parts[u] = Math.floor(rest / size[u]);
    rest -= parts[u] * size[u];
  }
  const set = (unit: 'd' | 'h' | 'm', raw: string) => {
    const n = Math.max(0, Math.floor(Number(raw) || 0));
    const next = { ...parts, [unit]: n };
    onChange(units.reduce((sum, u) => sum + next[u] * size[u], 0));
  };
  return (
    <fieldset className="duration">
      <legend>{legend}</legend>
      <div className="duration-fields">
        {units.map((u) => (
          <label key={u} htmlFor={`${idPrefix}-${u}`}>
            <span>{label[u]}</span>
            <input
              id={`${idPrefix}-${u}`}
              type="number"
              inputMode="numeric"
              min={0}
              max={u === units[0] ? undefined : max[u]}
              value={parts[u]}
              onChange={(e) => set(u, e.target.value)}
            />
          </label>
        ))}
      </div>
      {hint ? <p className="muted small">{hint}</p> : null}
    </fieldset>
  );
}

export function Badge({ children, tone = 'neutral', testId }: { children: React.ReactNode; tone?: 'neutral' | 'info' | 'warn' | 'danger' | 'ok'; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

export function JsonView({ value, label, testId }: { value: unknown; label: string; testId?: string }) {
  return (
    <pre className="json" aria-label={label} tabIndex={0} data-testid={testId}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** Copies text, answering whether it worked (clipboard access can be refused). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** GET /api/health's `dev`, read once per page load. */
let devPromise: Promise<boolean> | null = null;
export function useDevMode(): boolean | null {
  const [dev, setDev] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    devPromise ??= fetch('/api/health', { headers: { accept: 'application/json' } })
      .then((r) => r.json() as Promise<{ dev?: boolean }>)
      .then((h) => h.dev === true)
      .catch(() => {
        devPromise = null;
        return false;
      });
    void devPromise.then((d) => live && setDev(d));
    return () => {
      live = false;
    };
  }, []);
  return dev;
}

/**
 * A secret shown once (a new key, a webhook signing secret): select or copy it, then "Done" hides
 * it for good. `testId` names the panel; its field is `<testId>-value`.
 */
export function ShownOnce({ value, label, what, testId, onDone, children }: { value: string; label: string; what: string; testId: string; onDone: () => void; children: React.ReactNode }) {
  const [copied, setCopied] = useState('');
  return (
    <div className="notice warn stack" data-testid={testId}>
      <p>{children}</p>
      <div className="row wrap">
        <label htmlFor={`${testId}-value`} className="visually-hidden">
          {label}
        </label>
        <input id={`${testId}-value`} className="mono grow" readOnly value={value} onFocus={(e) => e.currentTarget.select()} data-testid={`${testId}-value`} />
        <button type="button" onClick={() => void copyText(value).then((ok) => setCopied(ok ? 'Copied to the clipboard.' : `Copying was refused; select the ${what} and copy it.`))}>
          Copy
        </button>
        <button type="button" className="ghost" onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status" className="small">
        {copied}
      </p>
    </div>
  );
}
