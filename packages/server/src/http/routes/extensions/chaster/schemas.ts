import { Type } from '@sinclair/typebox';

/**
 * Chaster's answers, for the OpenAPI document. The field-level contract is chaster-js's types,
 * which the mappers in `dialects/chaster/` satisfy at compile time; here they are named, not
 * repeated field by field.
 */
export const ChasterSession = Type.Unsafe<unknown>({
  type: 'object',
  description: 'chaster-js `ExtensionSessionForPartner` plus `sessionId`, `data`, `metadata` and the complete `lock` (DECISIONS §14)',
  additionalProperties: true,
});

export const ChasterSessionEnvelope = Type.Object({ session: ChasterSession }, { description: 'Chaster: `GetPartnerSessionRepDto`' });
