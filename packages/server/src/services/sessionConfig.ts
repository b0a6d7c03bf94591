import type { ExtensionAppRow } from '../db/types.js';
import { fromJson } from '../db/json.js';

/** Config keys latch schedules work from: fixed once the extension runs on a lock. */
export const SCHEDULED_CONFIG_KEYS = ['extensionRequirements', 'attemptLimit', 'regularActions'] as const;
export type ScheduledConfigKey = (typeof SCHEDULED_CONFIG_KEYS)[number];

const APP_DEFAULT: Record<ScheduledConfigKey, 'extension_requirements' | 'attempt_limit' | 'regular_actions'> = {
  extensionRequirements: 'extension_requirements',
  attemptLimit: 'attempt_limit',
  regularActions: 'regular_actions',
};

/** The app's default for a scheduled key (null when the app sets none). */
export function appScheduledDefault(app: ExtensionAppRow, key: ScheduledConfigKey): unknown {
  return app[APP_DEFAULT[key]] ?? null;
}

/**
 * The installed session's `config` as every surface shows it (DECISIONS §6): what the setup page
 * saved, plus the keys the platform schedules from when the app sets them and the saved config
 * does not (`extensionRequirements`, `attemptLimit`, `regularActions`), so
 * `config.extensionRequirements` reads back as spec 001 shows it: exactly what the services
 * schedule from (`saved ?? app default`, see requirementConfigOf, attemptLimitOf, regularConfigOf).
 */
export function sessionConfigView(storedConfig: string, app: ExtensionAppRow): Record<string, unknown> {
  const config = fromJson<Record<string, unknown>>(storedConfig, {});
  for (const key of SCHEDULED_CONFIG_KEYS) {
    if (config[key] !== undefined) continue;
    const fallback = appScheduledDefault(app, key);
    if (fallback !== null && fallback !== undefined) config[key] = fallback;
  }
  return config;
}
