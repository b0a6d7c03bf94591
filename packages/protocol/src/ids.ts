/** Public ids are 24 lowercase hex chars shaped like a MongoDB ObjectId (DECISIONS §2). */
export const OBJECT_ID_PATTERN = '^[0-9a-f]{24}$';
const objectIdRe = new RegExp(OBJECT_ID_PATTERN);

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && objectIdRe.test(value);
}
