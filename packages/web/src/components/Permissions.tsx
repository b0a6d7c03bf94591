import { SCOPES } from '@latch/protocol/wire';

/** What each scope lets an app do, as the protocol says it. */
export const SCOPE_LABELS: Record<string, string> = SCOPES;

/** What an extension may do (at install: what adding it approves; later: what it newly asks for). */
export function Permissions({ scopes, label, testId }: { scopes: string[]; label: string; testId?: string }) {
  if (scopes.length === 0) return <p className="muted small">{label}: nothing beyond reading its own session.</p>;
  return (
    <div className="small" data-testid={testId}>
      <span>{label}:</span>
      <ul className="plain scopes">
        {scopes.map((s) => (
          <li key={s}>
            <code>{s}</code> — {SCOPE_LABELS[s] ?? s}
          </li>
        ))}
      </ul>
    </div>
  );
}
