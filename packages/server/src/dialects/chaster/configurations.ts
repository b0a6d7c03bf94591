import type { PartnerConfigurationForPublic } from '@chasterapp/chaster-js';
import type { ExtensionAppRow, PartnerConfigurationRow } from '../../db/types.js';
import type { Wire } from './wire.js';

/** The SDK types `config` as `object`; it is a JSON object. */
export type ChasterConfiguration = Wire<PartnerConfigurationForPublic> & { config: Record<string, unknown> };

/** `GET|PUT /api/extensions/configurations/:token`: the config being edited and who edits it where. */
export function chasterConfiguration(row: PartnerConfigurationRow, app: Pick<ExtensionAppRow, 'slug'>, config: Record<string, unknown>): ChasterConfiguration {
  return {
    config,
    role: row.role,
    user: row.user_id,
    sessionId: row.session_id,
    extensionSlug: app.slug,
    createdAt: new Date(row.created_at).toISOString(),
  } satisfies ChasterConfiguration;
}
