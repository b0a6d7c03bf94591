import { useState } from 'react';
import { api } from '../api.js';
import { Link, navigate, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { ErrorNote, useDevMode, useTitle } from '../components/ui.js';

const PERSONAS = ['wearer', 'keyholder', 'developer'] as const;
const PERSONA_PASSWORD = 'latch-sandbox';

/** Only same-site paths: `?next=//evil.example` or `?next=https://…` fall back to `/`. */
function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

function AuthForm({ mode }: { mode: 'signin' | 'signup' }) {
  const { refresh } = useSession();
  const { query } = useLocation();
  const dev = useDevMode();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(query.get('next'));
  const signup = mode === 'signup';

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = signup ? { username, password, ...(displayName.trim() ? { profile: { displayName: displayName.trim() } } : {}) } : { username, password };
      await api(signup ? '/api/auth/register' : '/api/auth/login', { method: 'POST', body });
      await refresh();
      navigate(next, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const otherQuery = next !== '/' ? `?next=${encodeURIComponent(next)}` : '';
  useTitle(signup ? 'Create an account' : 'Sign in');
  return (
    <section className="narrow">
      <h1>{signup ? 'Create an account' : 'Sign in'}</h1>
      <form className="card stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor="auth-username">Username</label>
          <input
            id="auth-username"
            name="username"
            autoComplete="username"
            required
            minLength={signup ? 3 : undefined}
            maxLength={signup ? 32 : undefined}
            pattern={signup ? '[A-Za-z0-9_.\\-]+' : undefined}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-describedby={signup ? 'auth-username-hint' : undefined}
          />
          {signup ? (
            <p id="auth-username-hint" className="muted small">
              3–32 letters, digits, dots, dashes or underscores.
            </p>
          ) : null}
        </div>
        {signup ? (
          <div className="field">
            <label htmlFor="auth-display">Display name (optional)</label>
            <input id="auth-display" name="displayName" autoComplete="nickname" maxLength={64} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="auth-password">Password</label>
          <input
            id="auth-password"
            name="password"
            type="password"
            autoComplete={signup ? 'new-password' : 'current-password'}
            required
            minLength={signup ? 8 : undefined}
            maxLength={256}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby={signup ? 'auth-password-hint' : undefined}
          />
          {signup ? (
            <p id="auth-password-hint" className="muted small">
              At least 8 characters.
            </p>
          ) : null}
        </div>
        <ErrorNote error={error} testId="auth-error" />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? (signup ? 'Creating…' : 'Signing in…') : signup ? 'Create account' : 'Sign in'}
          </button>
        </div>
        <p className="muted">
          {signup ? (
            <>
              Already have an account? <Link to={`/signin${otherQuery}`}>Sign in</Link>
            </>
          ) : (
            <>
              New here? <Link to={`/signup${otherQuery}`}>Create an account</Link>
            </>
          )}
        </p>
      </form>
      {dev && !signup ? (
        <aside className="card hint" aria-labelledby="dev-hint-title" data-testid="dev-hint">
          <h2 id="dev-hint-title">Sandbox personas</h2>
          <p>
            This server runs in dev mode. Sign in as <strong>wearer</strong>, <strong>keyholder</strong> or <strong>developer</strong> with the password{' '}
            <code>{PERSONA_PASSWORD}</code>.
          </p>
          <div className="row wrap">
            {PERSONAS.map((p) => (
              <button
                key={p}
                type="button"
                onClick={() => {
                  setUsername(p);
                  setPassword(PERSONA_PASSWORD);
                }}
              >
                Fill in {p}
              </button>
            ))}
          </div>
        </aside>
      ) : null}
    </section>
  );
}

export function SignIn() {
  return <AuthForm mode="signin" />;
}

export function SignUp() {
  return <AuthForm mode="signup" />;
}
