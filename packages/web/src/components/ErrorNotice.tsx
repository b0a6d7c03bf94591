import { ApiError } from '../api.js';
import { humanError } from '../errorMessages.js';

/**
 * An error shown inline: a short human sentence for its code, what was wrong per field, and,
 * behind "Details", the raw code, the server's message and the request id (for a bug report).
 */
export function ErrorNotice({ error, testId }: { error: unknown; testId?: string }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const fields = api && Array.isArray(api.details) ? (api.details as Array<{ path?: string; message?: string }>).filter((d) => d && typeof d.message === 'string') : [];
  const sentence = api ? humanError(api.code) : error instanceof Error && error.name === 'TypeError' ? 'The server could not be reached. Check your connection and try again.' : 'Something went wrong.';
  return (
    <div role="alert" className="error" data-testid={testId} data-code={api?.code}>
      <p>{sentence}</p>
      {fields.length ? (
        <ul>
          {fields.slice(0, 8).map((d, i) => (
            <li key={i}>
              {d.path && d.path !== '/' ? <code>{d.path}</code> : null} {d.message}
            </li>
          ))}
        </ul>
      ) : null}
      <details className="error-details">
        <summary>Details</summary>
        <p className="muted small">
          {api ? (
            <>
              <code className="code">{api.code}</code> {api.message}
              {api.requestId ? (
                <>
                  {' · '}request <code>{api.requestId}</code>
                </>
              ) : null}
            </>
          ) : (
            String(error instanceof Error ? error.message : error)
          )}
        </p>
      </details>
    </div>
  );
}
