import { ApiError } from '../errors.js';

/**
 * One limit for every free-form JSON value latch stores (session state, regular-action payloads,
 * home-action intent payloads, installed and default configs, initial metadata…): at most 32
 * levels of objects and arrays. Deeper values are refused with 400 `invalid_request` before they
 * reach `JSON.stringify`, whose recursion a few thousand levels exhaust (a 500 otherwise).
 */
export const MAX_JSON_DEPTH = 32;

/**
 * A request body may nest this deep: the envelope around a free-form value (`{homeActions:[{intent:
 * {payload: …}}]}`) plus the value's own 32 levels. Checked on the raw text before parsing, so a
 * 10,000-deep body never becomes a JavaScript object at all.
 */
export const MAX_BODY_DEPTH = 64;

/** Container levels of `value` (a scalar 0, `{}` or `[]` 1, `{a:{}}` 2), counted without recursion and no further than `limit + 1`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const level = d + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, level]);
  }
  return deepest;
}

/** Whether JSON text opens more than `limit` objects/arrays inside each other (strings are skipped), in one pass. */
export function jsonTextTooDeep(text: string, limit = MAX_BODY_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

/**
 * Refuses a free-form value that nests deeper than MAX_JSON_DEPTH: 400 `invalid_request` with a
 * detail naming the field (`pointer`, a JSON pointer into the body, e.g. `/payload`).
 */
export function checkJsonDepth(value: unknown, pointer: string, what: string): void {
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    throw new ApiError('invalid_request', `${what} nests deeper than ${MAX_JSON_DEPTH} levels`, [{ in: 'body', path: pointer, message: `nests deeper than ${MAX_JSON_DEPTH} levels` }]);
  }
}

/** The largest config latch stores: an installed extension's config, an app's defaultConfig and other app-level JSON. */
export const MAX_CONFIG_BYTES = 64 * 1024;

/**
 * Checks a free-form value's depth, then its serialized size (400 `invalid_request` naming the
 * field for either); returns the JSON text to store.
 */
export function checkedJson(value: unknown, pointer: string, what: string, maxBytes = MAX_CONFIG_BYTES): string {
  checkJsonDepth(value, pointer, what);
  const text = JSON.stringify(value ?? null);
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) {
    throw new ApiError('invalid_request', `${what} is ${bytes} bytes serialized; at most ${maxBytes} are stored`, [{ in: 'body', path: pointer, message: `larger than ${maxBytes} bytes` }]);
  }
  return text;
}
