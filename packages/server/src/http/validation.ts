import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const base = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false } as const;
// Bodies are JSON and must carry the right types; query strings and path params are text.
const bodyAjv = () => addFormats(new Ajv({ ...base, coerceTypes: false }));

/** Fastify's validator compiler (one per app): one Ajv for bodies, one that coerces text for the rest. */
export function validators() {
  const body = bodyAjv();
  const text = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? body : text).compile(schema);
}

const bodies = bodyAjv();

const compiled = new WeakMap<object, ValidateFunction>();

/** A body checked against one schema with the routes' own body validator (formats included). */
export function bodyErrors(schema: object, body: unknown): Array<{ path: string; message: string }> {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = bodies.compile(schema)));
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'is invalid' }));
}
