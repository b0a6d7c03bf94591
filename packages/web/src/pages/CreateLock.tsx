import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { navigate } from '../router.js';
import type { ExtensionSummary, Lock } from '../types.js';
import { DurationInput, ErrorNote, JsonView, humanDuration, useTitle } from '../components/ui.js';
import { DEFAULT_TERMS, DurationFields, termsBody, termsProblem, type DurationTermsValue } from '../components/DurationFields.js';
import { SetupFrame, asConfig, withWholeDefaultConfig, type Config } from '../components/SetupFrame.js';
import { BackgroundChoice } from '../components/BackgroundChoice.js';
import { ChasterConfigureButton } from '../components/ChasterConfigModal.js';
import { Permissions } from '../components/Permissions.js';
import { CombinationStep, combinationBody, initialCombination, useCreatedLock } from '../components/CombinationStep.js';

/** Lock yourself: timer, keyholder, modules, extensions with their setup pages. */
export function CreateLock() {
  useTitle('New lock');
  const [title, setTitle] = useState('');
  const [terms, setTerms] = useState<DurationTermsValue>(DEFAULT_TERMS);
  const [keyholder, setKeyholder] = useState('');
  const [tasks, setTasks] = useState(false);
  const [hygienic, setHygienic] = useState(false);
  const [hygienicDuration, setHygienicDuration] = useState(900);
  const [pillory, setPillory] = useState(false);
  const [verification, setVerification] = useState(false);
  const [penalties, setPenalties] = useState(false);
  const [pilloryMax, setPilloryMax] = useState(86400);
  const [requiredPoints, setRequiredPoints] = useState(0);
  const [catalog, setCatalog] = useState<ExtensionSummary[] | null>(null);
  const [catalogError, setCatalogError] = useState<unknown>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [configs, setConfigs] = useState<Record<string, Config>>({});
  const [background, setBackground] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [combination, setCombination] = useState(initialCombination);
  const { created, generatedView } = useCreatedLock();

  useEffect(() => {
    api<{ results: ExtensionSummary[] }>('/api/extensions')
      .then((r) => setCatalog(r.results))
      .catch((e: unknown) => setCatalogError(e));
  }, []);

  const toggleExtension = (ext: ExtensionSummary, on: boolean) => {
    setChosen((c) => (on ? [...c.filter((s) => s !== ext.slug), ext.slug] : c.filter((s) => s !== ext.slug)));
    if (!on) return;
    void withWholeDefaultConfig(ext)
      .then((whole) => {
        if (whole !== ext) setCatalog((all) => all?.map((x) => (x.slug === whole.slug ? whole : x)) ?? all);
        setConfigs((c) => (c[whole.slug] ? c : { ...c, [whole.slug]: asConfig(whole.defaultConfig) }));
      })
      .catch((e: unknown) => setCatalogError(e));
  };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setLocalError(null);
    if (!title.trim()) return setLocalError('Give the lock a title.');
    const problem = termsProblem(terms);
    if (problem) return setLocalError(problem);
    if (hygienic && (hygienicDuration < 60 || hygienicDuration > 86400)) return setLocalError('A hygienic opening lasts from 1 minute to 24 hours.');
    if (pillory && (pilloryMax < 60 || pilloryMax > 604800)) return setLocalError('The longest pillory is from 1 minute to 7 days.');
    const sealed = combinationBody(combination);
    if (typeof sealed === 'string') return setLocalError(sealed);
    const exts = (catalog ?? []).filter((x) => chosen.includes(x.slug));
    setBusy(true);
    try {
      const lock = await api<Lock & { generatedCombination?: string }>('/api/locks', {
        method: 'POST',
        body: {
          title: title.trim(),
          ...termsBody(terms),
          isTestLock: terms.testLock,
          ...(keyholder.trim() ? { keyholderUsername: keyholder.trim() } : {}),
          settings: {
            tasks: { enabled: tasks },
            hygienicOpening: hygienic ? { enabled: true, durationSeconds: hygienicDuration } : { enabled: false },
            pillory: pillory ? { enabled: true, maxDurationSeconds: pilloryMax } : { enabled: false },
            verificationPicture: { enabled: verification },
            penalties: { enabled: penalties },
            requiredTaskPoints: requiredPoints,
          },
          extensions: exts.map((x) => ({ slug: x.slug, ...(configs[x.slug] || !x.defaultConfigOmitted ? { config: configs[x.slug] ?? asConfig(x.defaultConfig) } : {}), ...(x.requestsBackground && background[x.slug] ? { background: true } : {}) })),
          combination: sealed,
        },
      });
      created(lock);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  if (generatedView) return generatedView;

  return (
    <section>
      <h1>New lock</h1>
      <form className="stack" onSubmit={submit} aria-describedby="create-note">
        <p id="create-note" className="muted">
          You will wear this lock. With a keyholder, they must accept before they control it.
        </p>
        <div className="card stack">
          <h2>Timer</h2>
          <div className="field">
            <label htmlFor="lock-title">Title</label>
            <input id="lock-title" required maxLength={120} value={title} onChange={(e) => setTitle(e.target.value)} />
          </div>
          <DurationFields value={terms} onChange={setTerms} idPrefix="lock" />
        </div>

        <CombinationStep value={combination} onChange={setCombination} />

        <div className="card stack">
          <h2>Keyholder</h2>
          <div className="field">
            <label htmlFor="lock-keyholder">Keyholder username (optional)</label>
            <input id="lock-keyholder" autoComplete="off" maxLength={32} value={keyholder} onChange={(e) => setKeyholder(e.target.value)} aria-describedby="lock-keyholder-hint" />
            <p id="lock-keyholder-hint" className="muted small">
              Leave empty for a self-lock: you control it yourself.
            </p>
          </div>
        </div>

        <div className="card stack">
          <h2>Modules</h2>
          <div className="check">
            <input id="mod-tasks" type="checkbox" checked={tasks} onChange={(e) => setTasks(e.target.checked)} />
            <label htmlFor="mod-tasks">Tasks</label>
          </div>
          <div className="field">
            <label htmlFor="mod-points">Required task points to unlock</label>
            <input id="mod-points" type="number" inputMode="numeric" min={0} max={100000} value={requiredPoints} onChange={(e) => setRequiredPoints(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
          </div>
          <div className="check">
            <input id="mod-hygienic" type="checkbox" checked={hygienic} onChange={(e) => setHygienic(e.target.checked)} />
            <label htmlFor="mod-hygienic">Hygienic opening</label>
          </div>
          {hygienic ? <DurationInput legend="Length of one hygienic opening" idPrefix="mod-hygienic-duration" units={['h', 'm']} value={hygienicDuration} onChange={setHygienicDuration} hint="1 minute to 24 hours" /> : null}
          <div className="check">
            <input id="mod-pillory" type="checkbox" checked={pillory} onChange={(e) => setPillory(e.target.checked)} />
            <label htmlFor="mod-pillory">Pillory</label>
          </div>
          {pillory ? <DurationInput legend="Longest pillory" idPrefix="mod-pillory-max" value={pilloryMax} onChange={setPilloryMax} hint="1 minute to 7 days" /> : null}
          <div className="check">
            <input id="mod-verification" type="checkbox" checked={verification} onChange={(e) => setVerification(e.target.checked)} />
            <label htmlFor="mod-verification">Verification pictures</label>
          </div>
          <div className="check">
            <input id="mod-penalties" type="checkbox" checked={penalties} onChange={(e) => setPenalties(e.target.checked)} />
            <label htmlFor="mod-penalties">Penalties (habits of the extensions, set on the lock page)</label>
          </div>
        </div>

        <div className="card stack">
          <h2>Extensions</h2>
          <ErrorNote error={catalogError} />
          {catalog === null && !catalogError ? <p className="muted">Loading extensions…</p> : null}
          {catalog?.length === 0 ? <p className="muted">No extensions are available.</p> : null}
          {catalog?.length ? (
            <ul className="plain stack">
              {catalog.map((ext) => {
                const on = chosen.includes(ext.slug);
                return (
                  <li key={ext.slug} className="ext-choice" data-testid={`ext-choice-${ext.slug}`}>
                    <div className="check">
                      <input id={`ext-${ext.slug}`} type="checkbox" checked={on} onChange={(e) => toggleExtension(ext, e.target.checked)} aria-describedby={`ext-${ext.slug}-desc`} />
                      <label htmlFor={`ext-${ext.slug}`}>{ext.name}</label>
                    </div>
                    <p id={`ext-${ext.slug}-desc`} className="muted small">
                      {ext.description || ext.slug}
                    </p>
                    {on ? (
                      <div className="stack ext-setup">
                        {ext.defaultConfigOmitted ? (
                          <p className="muted small">Loading its default configuration…</p>
                        ) : ext.setupUrl && ext.dialect === 'chaster' ? (
                          <div className="row">
                            <ChasterConfigureButton ext={ext} config={configs[ext.slug] ?? asConfig(ext.defaultConfig)} onSaved={(c) => c && setConfigs((all) => ({ ...all, [ext.slug]: c }))} />
                          </div>
                        ) : ext.setupUrl ? (
                          <SetupFrame ext={ext} role="wearer" onConfig={(c) => setConfigs((all) => ({ ...all, [ext.slug]: c }))} />
                        ) : (
                          <p className="muted small">This extension has no setup page; it uses its default configuration.</p>
                        )}
                        <h3 className="small-heading">Configuration</h3>
                        <JsonView value={configs[ext.slug] ?? asConfig(ext.defaultConfig)} label={`${ext.name} configuration`} testId={`config-${ext.slug}`} />
                        <Permissions scopes={ext.scopes ?? []} label={`Adding ${ext.name} lets it`} testId={`scopes-${ext.slug}`} />
                        {ext.requestsBackground ? (
                          <BackgroundChoice id={ext.slug} name={ext.name} checked={background[ext.slug] === true} onChange={(on) => setBackground((b) => ({ ...b, [ext.slug]: on }))} />
                        ) : null}
                      </div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          ) : null}
        </div>

        {localError ? (
          <p role="alert" className="error">
            {localError}
          </p>
        ) : null}
        <ErrorNote error={error} testId="create-error" />
        <div className="row">
          <button type="submit" className="primary" disabled={busy} data-testid="create-lock">
            {busy ? 'Locking…' : 'Lock'}
          </button>
          <button type="button" onClick={() => navigate('/')}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
