/** packages/protocol/src/scopes.ts (the web bundle does not pull in the server's schema library). */
export const SCOPE_LABELS: Record<string, string> = {
  'locks:write': 'Change the lock: time, freeze, pillory, tasks, hygienic opening, settings, device commands',
  'state:write': 'Write the extension state of a session',
  'metadata:write': 'Set unlock blockers and home actions',
  'logs:write': 'Write custom entries to the lock history',
  'notifications:write': 'Send notifications to the wearer or keyholder',
  'regular_actions:write': 'Submit regular actions and change their configuration',
  'requirements:write': 'Record progress for required actions and run attempts',
  'files:write': 'Upload and delete extension files',
  'sessions:background': 'Act on a session without an open launch (needs the lock owner’s approval)',
};

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
