import { DurationInput, humanDuration } from './ui.js';

const TEN_YEARS = 10 * 365 * 86400;

/** The duration and limit options of a new lock (Chaster's "Lock options"), as the form holds them. */
export interface DurationTermsValue {
  /** Draw the initial duration between `duration` and `maxDuration`. */
  random: boolean;
  duration: number;
  maxDuration: number;
  /** Limit lock time (ceiling). */
  limit: boolean;
  limitDuration: number;
  /** Minimum lock time (floor). */
  floor: boolean;
  floorDuration: number;
  displayRemainingTime: boolean;
  showTimeLogs: boolean;
  testLock: boolean;
}

export const DEFAULT_TERMS: DurationTermsValue = {
  random: false,
  duration: 86400,
  maxDuration: 2 * 86400,
  limit: false,
  limitDuration: 7 * 86400,
  floor: false,
  floorDuration: 3600,
  displayRemainingTime: true,
  showTimeLogs: true,
  testLock: false,
};

/** What is wrong with the terms, in a sentence, or null (the server checks the same). */
export function termsProblem(v: DurationTermsValue): string | null {
  const longest = v.random ? v.maxDuration : v.duration;
  if (longest > TEN_YEARS) return 'A duration may be at most 10 years.';
  if (v.random && v.maxDuration < v.duration) return 'The maximum duration must be at least the minimum duration.';
  if (v.limit && v.limitDuration < longest) return 'The limit lock time must be at least the longest initial duration.';
  if (v.floor && v.limit && v.floorDuration > v.limitDuration) return 'The minimum lock time cannot be longer than the limit lock time.';
  return null;
}

/** The request body fields (POST /api/locks, a shared lock's template). */
export function termsBody(v: DurationTermsValue) {
  return {
    ...(v.random ? { randomDuration: { minSeconds: v.duration, maxSeconds: v.maxDuration } } : { durationSeconds: v.duration }),
    ...(v.limit ? { maxDurationSeconds: v.limitDuration } : {}),
    ...(v.floor ? { minLimitDurationSeconds: v.floorDuration } : {}),
    hiddenTimer: !v.displayRemainingTime,
    hideTimeLogs: !v.showTimeLogs,
  };
}

/**
 * Initial duration (fixed or random between two), limit lock time, minimum lock time, display
 * remaining time, time changes in the history, and (for a lock, not a template) test lock.
 */
export function DurationFields({ value, onChange, idPrefix, forWearer = true, showTestLock = true }: { value: DurationTermsValue; onChange: (v: DurationTermsValue) => void; idPrefix: string; forWearer?: boolean; showTestLock?: boolean }) {
  const set = <K extends keyof DurationTermsValue>(key: K, v: DurationTermsValue[K]) => onChange({ ...value, [key]: v });
  const check = (key: 'random' | 'limit' | 'floor' | 'displayRemainingTime' | 'showTimeLogs' | 'testLock', label: string, hint?: string) => (
    <div className="check">
      <input id={`${idPrefix}-${key}`} type="checkbox" checked={value[key]} onChange={(e) => set(key, e.target.checked)} aria-describedby={hint ? `${idPrefix}-${key}-hint` : undefined} />
      <label htmlFor={`${idPrefix}-${key}`}>{label}</label>
      {hint ? (
        <p id={`${idPrefix}-${key}-hint`} className="muted small">
          {hint}
        </p>
      ) : null}
    </div>
  );
  const wearer = forWearer ? 'me' : 'the wearer';
  return (
    <div className="stack" data-testid={`${idPrefix}-fields`}>
      {check('random', 'Random initial duration', 'The end is drawn between a minimum and a maximum when the lock starts.')}
      {value.random ? (
        <>
          <DurationInput legend="Minimum duration" idPrefix={`${idPrefix}-min`} value={value.duration} onChange={(s) => set('duration', s)} hint={humanDuration(value.duration)} />
          <DurationInput legend="Maximum duration" idPrefix={`${idPrefix}-max`} value={value.maxDuration} onChange={(s) => set('maxDuration', s)} hint={humanDuration(value.maxDuration)} />
        </>
      ) : (
        <DurationInput legend="Duration" idPrefix={`${idPrefix}-duration`} value={value.duration} onChange={(s) => set('duration', s)} hint={humanDuration(value.duration)} />
      )}
      {check('limit', 'Limit lock time', 'A safety limit: released at the latest after this, whatever time is added. Only the wearer can move it, and only later.')}
      {value.limit ? <DurationInput legend="Limit lock time" idPrefix={`${idPrefix}-limit`} value={value.limitDuration} onChange={(s) => set('limitDuration', s)} hint={`Never longer than ${humanDuration(value.limitDuration)}.`} /> : null}
      {check('floor', 'Minimum lock time', 'Nobody, the keyholder included, can unlock before this.')}
      {value.floor ? <DurationInput legend="Minimum lock time" idPrefix={`${idPrefix}-floor`} value={value.floorDuration} onChange={(s) => set('floorDuration', s)} hint={`At least ${humanDuration(value.floorDuration)}.`} /> : null}
      {check('displayRemainingTime', 'Display remaining time', value.displayRemainingTime ? undefined : `The timer is hidden from ${wearer}; the keyholder still sees it.`)}
      {check('showTimeLogs', 'Show time changes in history', value.showTimeLogs ? undefined : `Time added or removed is left out of the history ${wearer === 'me' ? 'I see' : 'the wearer sees'}.`)}
      {showTestLock ? check('testLock', 'Test lock', 'Try latch without it counting: marked “Test” and left out of statistics.') : null}
    </div>
  );
}
