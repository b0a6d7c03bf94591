import { Type } from '@sinclair/typebox';

/**
 * Chaster's answers, for the OpenAPI document. The field-level contract is chaster-js's types,
 * which the mappers in `dialects/chaster/` satisfy at compile time; here they are named, not
 * repeated field by field.
 */
const named = (description: string) => Type.Unsafe<unknown>({ type: 'object', description, additionalProperties: true });

export const ChasterSession = named('chaster-js `ExtensionSessionForPartner` plus `sessionId`, `data`, `metadata` and the complete `lock` (DECISIONS §14)');
export const ChasterSessionEnvelope = Type.Object({ session: ChasterSession }, { description: 'Chaster: `GetPartnerSessionRepDto`' });
export const ChasterSessionSearch = named('chaster-js `GetSessionsRepDto`: `{count, hasMore, results: ExtensionSessionForSearch[]}`');
export const ChasterHistoryPage = named('chaster-js `GetHistoryRepDto`: `{results: ActionLogForPublic[], count, hasMore}`');
export const ChasterRegularActions = named('chaster-js `GetRegularActionsRepDto`: `{mode, regularity, nbActionsRemaining, nextActionDate, actions: [{date, payload}]}`');
export const ChasterNoBody = Type.Null({ description: 'No body (Chaster answers 201 without one)' });
