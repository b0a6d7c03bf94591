import { useEffect, useRef, useState } from 'react';
import { api } from '../api.js';
import { frameableOrigin } from '../bridge/protocol.js';
import { SetupHost } from '../bridge/setup.js';
import { logBridge } from '../bridgeLog.js';
import { bridgeUi, useTheme } from '../theme.js';
import type { ExtensionSummary } from '../types.js';

export type Config = Record<string, unknown>;

/** The catalog entry with its default config whole (lists leave large ones out). */
export async function withWholeDefaultConfig(ext: ExtensionSummary): Promise<ExtensionSummary> {
  return ext.defaultConfigOmitted ? api<ExtensionSummary>(`/api/extensions/${encodeURIComponent(ext.slug)}`) : ext;
}

export const asConfig = (v: unknown): Config => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Config) : {});

/**
 * An extension's setup page in a sandboxed iframe, spoken to with the setup protocol
 * (`setup:init` on load and on `setup:ready`; the page answers `setup:config`). The frame takes
 * the height the page reports with `chastify:ext:resize`, like the extension iframe does.
 */
export function SetupFrame({
  ext,
  role,
  initialConfig,
  onConfig,
}: {
  ext: ExtensionSummary;
  role: 'wearer' | 'keyholder';
  /** The config the page starts from (default: the app's default config). */
  initialConfig?: Config;
  onConfig: (config: Config) => void;
}) {
  const theme = useTheme();
  const iframeRef = useRef<HTMLIFrameElement>(null);
  const hostRef = useRef<SetupHost | null>(null);
  const onConfigRef = useRef(onConfig);
  onConfigRef.current = onConfig;
  const [height, setHeight] = useState<number | null>(null);
  const setupUrl = ext.setupUrl!;
  // http(s) only: a javascript:/data: page is never framed, and "null" is never an app's origin.
  const origin = frameableOrigin(setupUrl);
  // The theme and config when the page opened seed its init; they are not re-sent on every change.
  const themeAtOpen = useRef(theme);
  const configAtOpen = useRef(initialConfig ?? asConfig(ext.defaultConfig));

  const ensureHost = () => {
    const iframe = iframeRef.current;
    if (!iframe || !origin) return null;
    if (!hostRef.current) {
      hostRef.current = new SetupHost({
        iframe,
        origin,
        config: configAtOpen.current,
        context: { slug: ext.slug, role, theme: bridgeUi(themeAtOpen.current) },
        onConfig: (c) => onConfigRef.current(c),
        onResize: setHeight,
        onLog: (reason) => logBridge({ at: Date.now(), direction: 'drop', type: 'setup', reason: `${ext.slug}: ${reason}` }),
      }).start();
    }
    return hostRef.current;
  };

  useEffect(() => {
    // Listen from the start: a page may say `setup:ready` before the load event fires.
    ensureHost();
    return () => {
      hostRef.current?.stop();
      hostRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ext.slug, setupUrl]);

  if (!origin) return <p className="error">The setup page address of {ext.name} is not an http(s) URL, so it is not opened.</p>;
  return (
    <div className="setup-frame">
      <iframe
        ref={iframeRef}
        src={setupUrl}
        title={`${ext.name} setup`}
        data-testid={`setup-iframe-${ext.slug}`}
        sandbox="allow-scripts allow-forms allow-same-origin"
        referrerPolicy="no-referrer"
        style={height === null ? undefined : { height }}
        onLoad={() => ensureHost()?.loaded()}
      />
      <div className="row">
        <button type="button" className="small-btn" onClick={() => ensureHost()?.requestConfig()}>
          Ask the page for its configuration
        </button>
      </div>
    </div>
  );
}
