import { PilloryPage } from './components/BuiltinPanels.js';
import { useEffect, useState } from 'react';
import { api } from './api.js';
import { Link, match, navigate, useLocation } from './router.js';
import { useSession } from './session.js';
import { useTitle } from './components/ui.js';
import { setTheme, useTheme } from './theme.js';
import { SignIn, SignUp } from './pages/Auth.js';
import { Locks } from './pages/Locks.js';
import { CreateLock } from './pages/CreateLock.js';
import { LockPage } from './pages/LockPage.js';
import { ExtensionHostPage } from './pages/ExtensionHost.js';
import { Notifications, NotificationStream } from './pages/Notifications.js';
import { DeveloperConsole, DeveloperApp, Inspector } from './pages/Developer.js';
import { Sandbox } from './pages/Sandbox.js';
import { PublicLinkPage, SharedLockLoad, SharedLocks } from './pages/SharedLocks.js';
import { MoonIcon, SunIcon } from './components/icons.js';

const ROUTES: Array<{ pattern: string; auth: boolean; render: (p: Record<string, string>) => React.ReactNode }> = [
  { pattern: '/signin', auth: false, render: () => <SignIn /> },
  { pattern: '/signup', auth: false, render: () => <SignUp /> },
  { pattern: '/', auth: true, render: () => <Locks /> },
  { pattern: '/locks/new', auth: true, render: () => <CreateLock /> },
  { pattern: '/locks/:lockId', auth: true, render: (p) => <LockPage lockId={p.lockId!} /> },
  { pattern: '/locks/:lockId/extensions/:sessionId', auth: true, render: (p) => <ExtensionHostPage lockId={p.lockId!} sessionId={p.sessionId!} /> },
  { pattern: '/notifications', auth: true, render: () => <Notifications /> },
  { pattern: '/shared-locks', auth: true, render: () => <SharedLocks /> },
  { pattern: '/shared/:sharedLockId', auth: true, render: (p) => <SharedLockLoad id={p.sharedLockId!} /> },
  { pattern: '/link/:linkId', auth: false, render: (p) => <PublicLinkPage id={p.linkId!} /> },
  { pattern: '/pillory', auth: false, render: () => <PilloryPage /> },
  { pattern: '/developer', auth: true, render: () => <DeveloperConsole /> },
  { pattern: '/developer/apps/:appId', auth: true, render: (p) => <DeveloperApp appId={p.appId!} /> },
  { pattern: '/developer/inspector', auth: true, render: () => <Inspector /> },
  { pattern: '/sandbox', auth: true, render: () => <Sandbox /> },
];

export function App() {
  const { me, loading, signOut } = useSession();
  const theme = useTheme();
  const { path } = useLocation();
  const [devMode, setDevMode] = useState(false);
  useEffect(() => {
    api<{ dev: boolean }>('/api/health')
      .then((h) => setDevMode(h.dev))
      .catch(() => undefined);
  }, []);

  let page: React.ReactNode = <NotFound />;
  for (const r of ROUTES) {
    const params = match(r.pattern, path);
    if (!params) continue;
    if (r.auth && !loading && !me) {
      page = <Redirect to={`/signin?next=${encodeURIComponent(path)}`} />;
    } else page = loading && r.auth ? <p className="muted">Loading…</p> : r.render(params);
    break;
  }
  const nav = (to: string, label: string) => (
    <Link to={to} aria-current={path === to ? 'page' : undefined}>
      {label}
    </Link>
  );

  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          latch
        </Link>
        <nav aria-label="Main">
          {me ? (
            <>
              {nav('/', 'My locks')}
              {nav('/notifications', 'Notifications')}
              {nav('/shared-locks', 'Shared locks')}
              {nav('/developer', 'Developer console')}
              {devMode ? nav('/sandbox', 'Sandbox') : null}
            </>
          ) : null}
        </nav>
        <div className="topbar-end">
          <button
            type="button"
            className="ghost"
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
            data-testid="theme-toggle"
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          >
            {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
          </button>
          {me ? (
            <>
              <span className="muted who" data-testid="who">
                {me.username}
              </span>
              <button
                type="button"
                className="ghost"
                onClick={() => {
                  void signOut().then(() => navigate('/signin'));
                }}
              >
                Sign out
              </button>
            </>
          ) : null}
        </div>
      </header>
      {me ? <NotificationStream /> : null}
      <main id="main">{page}</main>
    </div>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function NotFound() {
  useTitle('Not found');
  return (
    <section>
      <h1>Not found</h1>
      <p>
        <Link to="/">← My locks</Link>
      </p>
    </section>
  );
}
