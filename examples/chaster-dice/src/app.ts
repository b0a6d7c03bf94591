/**
 * How the dice is registered with latch (`POST /api/developer/apps`, dialect `chaster`) and the
 * session metadata it keeps in line with the rolls (Chaster's "Session metadata" page).
 */
import type { PartnerMetadata } from '@chasterapp/chaster-js';
import { DEFAULT_CONFIG, reasonFor } from './config.js';

export const SLUG = 'chaster-dice';
export const APP_NAME = 'Dice tax';
export const ROLL_ACTION_SLUG = 'roll';

/** The body of `POST /api/developer/apps` for the extension served from `origin`. */
export function appDefinition(origin: string) {
  return {
    slug: SLUG,
    name: APP_NAME,
    description: 'Roll the dice a number of times before you may unlock; every roll adds time.',
    // Chaster's wire: the developer token alone, `{session}` answers, NestJS errors (DECISIONS §14).
    dialect: 'chaster' as const,
    // Chaster's main page and configuration page.
    iframeUrl: `${origin}/main.html`,
    setupUrl: `${origin}/configuration.html`,
    allowedOrigins: [origin],
    scopes: ['locks:write', 'state:write', 'metadata:write', 'logs:write'],
    defaultConfig: { ...DEFAULT_CONFIG },
  };
}

/**
 * The metadata after `rolls` of `required` rolls: a reason preventing unlocking and a home
 * action with the rolls left while any are missing; nothing holding the lock afterwards.
 */
export function desiredMetadata(rolls: number, required: number): PartnerMetadata {
  const left = Math.max(0, required - rolls);
  if (left === 0) return { reasonsPreventingUnlocking: [], homeActions: [] };
  return {
    reasonsPreventingUnlocking: [reasonFor(left)],
    homeActions: [{ slug: ROLL_ACTION_SLUG, title: 'Roll the dice', description: `${rolls} of ${required} rolls made.`, icon: 'dice', badge: `${left} left` }],
  };
}
