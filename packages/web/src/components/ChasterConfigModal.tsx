import { useEffect, useRef, useState } from 'react';
import iframeResize from 'iframe-resizer/js/iframeResizer.js';
import { api } from '../api.js';
import { ChasterConfigurationHost, configurationPageUrl, type ConfigurationEvent } from '../bridge/chasterConfiguration.js';
import { frameableOrigin } from '../bridge/protocol.js';
import { logBridge } from '../bridgeLog.js';
import { ErrorNote } from './ui.js';
import type { Config } from './SetupFrame.js';

interface IssuedConfiguration {
  id: string;
  partnerConfigurationToken: string;
  extensionSlug: string;
  configurationUrl: string | null;
  allowedOrigins: string[];
}

/**
 * A Chaster extension's configuration page in a modal (DECISIONS §14): a fresh configuration
 * token for its hash, the docs' postMessage protocol (Save → `partner_configuration_save`,
 * `save_success` closes) and iframe-resizer's parent library for its height. With `lockId` the
 * page saves into the installed session itself; without (a lock being created, or an extension
 * being added), what it saved is read back and handed to `onSaved` for the install.
 */
export function ChasterConfigModal({
  ext,
  lockId,
  config,
  onSaved,
  onClose,
}: {
  ext: { slug: string; name: string };
  lockId?: string;
  /** The config the form holds (not for an installed extension: its session's config is used). */
  config?: Config;
  onSaved: (config: Config | null) => void;
  onClose: () => void;
}) {
  const [issued, setIssued] = useState<IssuedConfiguration | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [canSave, setCanSave] = useState(false);
  const [saving, setSaving] = useState(false);
  const iframeRef = useRef<HTMLIFrameElement>(null);
  const hostRef = useRef<ChasterConfigurationHost | null>(null);
  const latest = useRef({ onSaved, onClose });
  latest.current = { onSaved, onClose };
  const origin = frameableOrigin(issued?.configurationUrl);

  useEffect(() => {
    let cancelled = false;
    api<IssuedConfiguration>('/api/partner-configurations', { method: 'POST', body: { slug: ext.slug, ...(lockId ? { lockId } : config ? { config } : {}) } })
      .then((i) => {
        if (cancelled) return;
        const o = frameableOrigin(i.configurationUrl);
        if (!o) return setProblem(`${ext.name} has no http(s) configuration page.`);
        if (!i.allowedOrigins.includes(o)) return setProblem(`${ext.name}: its configuration page ${o} is not one of its registered origins.`);
        setIssued(i);
      })
      .catch((e: unknown) => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
    // One token per opening of the modal.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ext.slug, lockId]);

  useEffect(() => {
    const iframe = iframeRef.current;
    if (!issued || !origin || !iframe) return;
    const finish = async () => {
      try {
        const saved = lockId ? null : (await api<{ config: Config }>(`/api/partner-configurations/${issued.id}`)).config;
        latest.current.onSaved(saved);
        latest.current.onClose();
      } catch (e) {
        setSaving(false);
        setError(e);
      }
    };
    const onEvent = (event: ConfigurationEvent, payload: unknown) => {
      if (event === 'capabilities') {
        const features = (payload as { features?: { save?: unknown } } | null)?.features;
        setCanSave(features?.save === true);
      } else if (event === 'save_loading') setSaving(true);
      else if (event === 'save_failed') {
        setSaving(false);
        setProblem(`${ext.name} could not save its configuration.`);
      } else void finish();
    };
    const host = new ChasterConfigurationHost({ iframe, origin, onEvent, onLog: (reason) => logBridge({ at: Date.now(), direction: 'drop', type: 'chaster-configuration', reason: `${ext.slug}: ${reason}` }) }).start();
    hostRef.current = host;
    // checkOrigin: the frame's own origin only, and iframe-resizer then posts to that origin, never '*'.
    const [resized] = iframeResize({ checkOrigin: true, warningTimeout: 0 }, iframe);
    return () => {
      host.stop();
      hostRef.current = null;
      resized?.iFrameResizer.removeListeners();
    };
  }, [issued, origin, lockId, ext.slug, ext.name]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && latest.current.onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const save = () => {
    setProblem(null);
    if (canSave) hostRef.current?.requestSave();
    else latest.current.onClose();
  };

  return (
    <div className="modal-backdrop">
      <div className="modal modal-wide stack" role="dialog" aria-modal="true" aria-labelledby="chaster-config-title" data-testid={`chaster-config-${ext.slug}`}>
        <h2 id="chaster-config-title">Configure {ext.name}</h2>
        <ErrorNote error={error} />
        {problem ? (
          <p role="alert" className="error" data-testid="chaster-config-problem">
            {problem}
          </p>
        ) : null}
        {issued && origin ? (
          <iframe
            ref={iframeRef}
            src={configurationPageUrl(issued.configurationUrl!, issued.partnerConfigurationToken, issued.extensionSlug)}
            title={`${ext.name} configuration`}
            data-testid={`chaster-config-iframe-${ext.slug}`}
            className="chaster-config-frame"
            sandbox="allow-scripts allow-forms allow-same-origin"
            referrerPolicy="no-referrer"
          />
        ) : error || problem ? null : (
          <p className="muted">Opening…</p>
        )}
        <div className="row end">
          <button type="button" onClick={onClose} disabled={saving}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={save} disabled={!issued || saving} data-testid="chaster-config-save">
            {saving ? 'Saving…' : canSave ? 'Save' : 'Done'}
          </button>
        </div>
      </div>
    </div>
  );
}

/** The "Configure" button of a Chaster extension (where Chastify apps show their setup frame) and its modal. */
export function ChasterConfigureButton({
  ext,
  lockId,
  config,
  onSaved,
  label = 'Configure',
}: {
  ext: { slug: string; name: string };
  lockId?: string;
  config?: Config;
  onSaved: (config: Config | null) => void;
  label?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="small-btn" onClick={() => setOpen(true)} data-testid={`chaster-configure-${ext.slug}`}>
        {label}
      </button>
      {open ? <ChasterConfigModal ext={ext} {...(lockId ? { lockId } : {})} {...(config ? { config } : {})} onSaved={onSaved} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
