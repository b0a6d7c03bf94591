import { useState } from 'react';
import { upload } from '../api.js';
import { navigate } from '../router.js';
import { ErrorNote } from './ui.js';

/** What the creation form sends as `combination` (issue 14). */
export type CombinationBody = { type: 'code'; code: string } | { type: 'generate'; digits: number } | { type: 'picture'; pictureId: string };

export interface CombinationChoice {
  mode: 'picture' | 'generate' | 'code';
  code: string;
  digits: number;
  picture: { pictureId: string; name: string; size: number } | null;
}

export const initialCombination: CombinationChoice = { mode: 'picture', code: '', digits: 6, picture: null };

/** The body for `POST /api/locks`, or what is still missing. */
export function combinationBody(c: CombinationChoice): CombinationBody | string {
  if (c.mode === 'code') return c.code.trim() ? { type: 'code', code: c.code.trim() } : 'Type the combination you set on your lockbox.';
  if (c.mode === 'generate') return { type: 'generate', digits: c.digits };
  return c.picture ? { type: 'picture', pictureId: c.picture.pictureId } : 'Upload the picture of your combination.';
}

const MODES: Array<{ mode: CombinationChoice['mode']; label: string; hint: string }> = [
  { mode: 'picture', label: 'Combination picture (recommended)', hint: 'Set the dials without looking, photograph them without reading the numbers, and upload the photo: you never see the code.' },
  { mode: 'generate', label: 'Generate a code', hint: 'latch generates a code and shows it once: set it on your lockbox, then scramble the dials.' },
  { mode: 'code', label: 'Type my code', hint: 'The code you set on your lockbox.' },
];

/**
 * The combination step of the creation form: the lockbox code (typed or generated) or a picture
 * of it. It is sealed on the server and comes back only once the lock is unlocked.
 */
export function CombinationStep({ value, onChange }: { value: CombinationChoice; onChange: (c: CombinationChoice) => void }) {
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function choose(file: File | undefined) {
    if (!file) return;
    setError(null);
    setUploading(true);
    try {
      const r = await upload<{ pictureId: string; size: number }>('/api/combinations/pictures', file, file.name);
      onChange({ ...value, picture: { pictureId: r.pictureId, name: file.name, size: r.size } });
    } catch (e) {
      onChange({ ...value, picture: null });
      setError(e);
    } finally {
      setUploading(false);
    }
  }

  return (
    <fieldset className="card stack" data-testid="combination-step">
      <legend>
        <h2>Combination</h2>
      </legend>
      <p className="muted small">latch keeps your lockbox combination sealed: nobody, not even a keyholder, sees it until the lock is unlocked.</p>
      {MODES.map((m) => (
        <div key={m.mode} className="check">
          <input id={`combination-mode-${m.mode}`} type="radio" name="combination-mode" checked={value.mode === m.mode} onChange={() => onChange({ ...value, mode: m.mode })} aria-describedby={`combination-mode-${m.mode}-hint`} />
          <label htmlFor={`combination-mode-${m.mode}`}>{m.label}</label>
          <p id={`combination-mode-${m.mode}-hint`} className="muted small">
            {m.hint}
          </p>
        </div>
      ))}
      {value.mode === 'code' ? (
        <div className="field">
          <label htmlFor="combination-code">Combination</label>
          <input id="combination-code" autoComplete="off" spellCheck={false} maxLength={64} value={value.code} onChange={(e) => onChange({ ...value, code: e.target.value })} />
        </div>
      ) : null}
      {value.mode === 'generate' ? (
        <div className="field">
          <label htmlFor="combination-digits">Digits on your lockbox</label>
          <select id="combination-digits" value={value.digits} onChange={(e) => onChange({ ...value, digits: Number(e.target.value) })}>
            {[3, 4, 5, 6, 7, 8].map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {value.mode === 'picture' ? (
        <div className="field">
          <label htmlFor="combination-picture">Picture of the combination (PNG, JPEG, WebP or GIF, up to 10 MiB)</label>
          <input id="combination-picture" type="file" accept="image/png,image/jpeg,image/webp,image/gif" disabled={uploading} onChange={(e) => void choose(e.target.files?.[0])} />
          <p className="muted small" role="status" data-testid="combination-picture-status">
            {uploading ? 'Uploading…' : value.picture ? `Sealed: ${value.picture.name} (${Math.ceil(value.picture.size / 1024)} KiB)` : ''}
          </p>
        </div>
      ) : null}
      <ErrorNote error={error} testId="combination-error" />
    </fieldset>
  );
}

/** The generated code, shown once right after the lock is created. */
export function GeneratedCombination({ code, onDone }: { code: string; onDone: () => void }) {
  return (
    <section className="card stack" aria-labelledby="generated-h" data-testid="generated-combination">
      <h2 id="generated-h">Set this combination on your lockbox now</h2>
      <p>
        <output className="combination-code" data-testid="generated-code">
          {code}
        </output>
      </p>
      <p className="muted small">It is not shown again until the lock is unlocked. Set it, close the lockbox and scramble the dials.</p>
      <div className="row">
        <button type="button" className="primary" onClick={onDone} data-testid="generated-done">
          It is set: go to my lock
        </button>
      </div>
    </section>
  );
}

/**
 * After a lock is created (the form, or from a shared lock): go to it, unless the server generated
 * its combination, which is shown once first. While it is, `generatedView` replaces the form.
 */
export function useCreatedLock() {
  const [generated, setGenerated] = useState<{ code: string; lockId: string } | null>(null);
  const created = (lock: { id: string; generatedCombination?: string }) => {
    if (lock.generatedCombination) setGenerated({ code: lock.generatedCombination, lockId: lock.id });
    else navigate(`/locks/${lock.id}`);
  };
  const generatedView = generated ? <GeneratedCombination code={generated.code} onDone={() => navigate(`/locks/${generated.lockId}`)} /> : null;
  return { created, generatedView };
}
