import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../api.js';
import { humanError } from '../errorMessages.js';
import { useTitle } from '../components/ui.js';
import { BridgeHost } from '../bridge/parent.js';
import { createNonce, frameableOrigin, launchUrl, type LaunchPayload } from '../bridge/protocol.js';
import { logBridge } from '../bridgeLog.js';
import { chasterMainPageUrl } from '../bridge/chasterConfiguration.js';
import { Link, useLocation } from '../router.js';
import { bridgeUi, useTheme } from '../theme.js';
import type { HomeAction } from '../types.js';
import { MAIN_TOKEN_HEADER } from '@latch/protocol/wire';

interface Launch {
  sessionId: string;
  lockId: string;
  role: 'wearer' | 'keyholder';
  mainToken: string;
  expiresAt: string;
  extension: { slug: string; name: string; iframeUrl: string | null; allowedOrigins: string[]; dialect: 'chastify' | 'chaster' };
  homeActions: HomeAction[];
  homeAction: HomeAction | null;
  regularActionsSummary: unknown;
}

/** The intent handed to the iframe: the action's own, filled in from the action (spec 002). */
function normalizedIntent(a: HomeAction) {
  const i = a.intent;
  return { type: i?.type ?? 'open', title: i?.title ?? a.title, message: i?.message ?? a.description ?? '', payload: i?.payload ?? {} };
}

/**
 * Hosts an installed extension in an iframe behind the bridge (DECISIONS §9): a fresh main
 * token and nonce per open, the launch payload in the hash, reads answered through the API with
 * the launch token, mutations refused, answers only to the app's exact origin.
 */
export function ExtensionHostPage({ lockId, sessionId }: { lockId: string; sessionId: string }) {
  const { query } = useLocation();
  const homeActionSlug = query.get('action');
  const theme = useTheme();
  const [launch, setLaunch] = useState<Launch | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [height, setHeight] = useState(480);
  const iframeRef = useRef<HTMLIFrameElement>(null);
  const hostRef = useRef<BridgeHost | null>(null);
  useTitle(launch ? `Extension ${launch.extension.name}` : 'Extension');
  // The nonce and theme at open time belong to this launch; theme changes go over the bridge.
  const nonce = useMemo(() => createNonce(), [launch?.mainToken]);
  const openTheme = useRef(theme);

  useEffect(() => {
    let cancelled = false;
    setLaunch(null);
    setError(null);
    const q = homeActionSlug ? `?homeAction=${encodeURIComponent(homeActionSlug)}` : '';
    api<Launch>(`/api/locks/${lockId}/extensions/${sessionId}/launch${q}`, { method: 'POST', body: {} })
      .then((l) => {
        if (cancelled) return;
        if (!l.extension.iframeUrl) return setError(`${l.extension.name} has no page to open.`);
        const origin = frameableOrigin(l.extension.iframeUrl);
        if (!origin) return setError(`${l.extension.name}: its page is not an http(s) address, so it is not opened.`);
        if (!l.extension.allowedOrigins.includes(origin)) return setError(`${l.extension.name}: its page ${origin} is not one of its registered origins.`);
        openTheme.current = theme;
        setLaunch(l);
      })
      .catch((e: unknown) => !cancelled && setError(e instanceof ApiError ? humanError(e.code, 'Could not open the extension') : 'Could not open the extension'));
    return () => {
      cancelled = true;
    };
    // The theme at open time only seeds the hash; later changes are sent over the bridge.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lockId, sessionId, homeActionSlug]);

  const src = useMemo(() => {
    if (!frameableOrigin(launch?.extension.iframeUrl)) return null;
    if (!launch?.extension.iframeUrl) return null;
    // A Chaster main page reads `{mainToken, extensionSlug}` from its hash and speaks no bridge (DECISIONS §14).
    if (launch.extension.dialect === 'chaster') {
      return chasterMainPageUrl(launch.extension.iframeUrl, { mainToken: launch.mainToken, extensionSlug: launch.extension.slug, ...(launch.homeAction ? { homeActionSlug: launch.homeAction.slug } : {}) });
    }
    const payload: LaunchPayload = {
      bridge: { v: 1, nonce, parentOrigin: location.origin },
      sessionId: launch.sessionId,
      lockId: launch.lockId,
      role: launch.role,
      ui: bridgeUi(openTheme.current),
      mainToken: launch.mainToken,
      regularActionsSummary: launch.regularActionsSummary,
      ...(launch.homeAction ? { homeActionSlug: launch.homeAction.slug, homeAction: launch.homeAction, intent: normalizedIntent(launch.homeAction) } : {}),
    };
    return launchUrl(launch.extension.iframeUrl, payload);
  }, [launch, nonce]);

  useEffect(() => {
    const iframe = iframeRef.current;
    const origin = frameableOrigin(launch?.extension.iframeUrl);
    if (!launch || !origin || !iframe || launch.extension.dialect === 'chaster') return;
    const host = new BridgeHost({
      iframe,
      origin,
      nonce,
      sessionId: launch.sessionId,
      async get(path) {
        const res = await fetch(path, { headers: { accept: 'application/json', [MAIN_TOKEN_HEADER]: launch.mainToken }, credentials: 'omit' });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null, requestId: res.headers.get('x-request-id') };
      },
      onResize: (h) => setHeight(Math.max(120, h)),
      onLog: (entry) => logBridge({ ...entry, sessionId: launch.sessionId }),
    }).start();
    hostRef.current = host;
    return () => {
      host.stop();
      hostRef.current = null;
    };
  }, [launch, nonce]);

  useEffect(() => {
    hostRef.current?.sendTheme(bridgeUi(theme));
  }, [theme]);

  return (
    <section className="extension-host">
      <p>
        <Link to={`/locks/${lockId}`}>← Back to the lock</Link>
      </p>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {launch && src ? (
        <>
          <h1>
            {launch.extension.name}
            {launch.homeAction ? <span className="muted"> · {launch.homeAction.title}</span> : null}
          </h1>
          {launch.homeActions.length > 0 ? (
            <nav aria-label="Extension actions" className="home-actions">
              {launch.homeActions.map((a) => (
                <Link key={a.slug} to={`/locks/${lockId}/extensions/${sessionId}?action=${encodeURIComponent(a.slug)}`} aria-current={a.slug === homeActionSlug ? 'page' : undefined}>
                  {a.title}
                </Link>
              ))}
            </nav>
          ) : null}
          <iframe
            key={src}
            ref={iframeRef}
            src={src}
            title={launch.extension.name}
            data-testid="extension-iframe"
            sandbox="allow-scripts allow-forms allow-same-origin allow-popups"
            referrerPolicy="no-referrer"
            style={{ height, width: '100%', border: '1px solid var(--border)', borderRadius: 8 }}
          />
        </>
      ) : error ? null : (
        <p className="muted">Opening…</p>
      )}
    </section>
  );
}
