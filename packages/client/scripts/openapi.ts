/**
 * Produces `src/generated/openapi.ts` from the live OpenAPI document: the server app is built
 * in-process (dev mode, so the sandbox routes are included; no port, no database writes) and
 * `GET /api/openapi.json`, narrowed to the routes the client covers, is turned into types by
 * openapi-typescript. Used by
 * `npm run generate -w @latch/client` and by the test that fails when the checked-in file drifts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { pino } from 'pino';
import { buildApp, createIdGenerator, ManualClock, openDatabase, testConfig } from '@latch/server';

const here = path.dirname(fileURLToPath(import.meta.url));
export const GENERATED_FILE = path.resolve(here, '../src/generated/openapi.ts');
/** The bridge SDK's copy: only the read routes the iframe bridge runs (no runtime dependency on this package). */
export const BRIDGE_GENERATED_FILE = path.resolve(here, '../../bridge/src/generated/openapi.ts');

/** A fixed server URL, so the document (and so the output) does not depend on where it was built. */
const PUBLIC_URL = 'http://127.0.0.1:3000';

export async function fetchOpenApiDocument(): Promise<OpenAPI3> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-openapi-'));
  const database = await openDatabase(`sqlite:${path.join(dir, 'openapi.db')}`);
  const clock = new ManualClock();
  try {
    const app = await buildApp({
      config: testConfig({ publicUrl: PUBLIC_URL, dev: true }),
      database,
      clock,
      ids: createIdGenerator(clock),
      logger: pino({ level: 'silent' }),
      runScheduler: false,
    });
    try {
      await app.ready();
      const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      if (res.statusCode !== 200) throw new Error(`GET /api/openapi.json answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
      return res.json() as OpenAPI3;
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const HEADER = `/**
 * GENERATED FILE: do not edit. Types of the latch HTTP API, produced from the OpenAPI document
 * (GET /api/openapi.json) by openapi-typescript. Regenerate with:
 *
 *   npm run generate -w @latch/client
 *
 * A test (packages/client/test/generated.test.ts) fails when this file and the server drift apart.
 */

`;

/** The surfaces the client covers: the extension session API and the External API. */
export const INCLUDED_PATH_PREFIXES = ['/api/extensions/sessions/', '/api/apps/v1/'];

/** The Chaster dialect's operations and arms (the server marks them; the client speaks Chastify). */
const CHASTER_TAG = 'extension sessions (Chaster)';
const DIALECT_MARK = 'x-latch-dialect';

/** A schema without the members of `anyOf` marked as Chaster's (an `anyOf` of one becomes that one). */
function withoutChasterArms(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutChasterArms);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = withoutChasterArms(v);
  if (Array.isArray(out.anyOf)) {
    const kept = (out.anyOf as Array<Record<string, unknown>>).filter((s) => s?.[DIALECT_MARK] !== 'chaster');
    if (kept.length === 1) {
      const { anyOf: _arms, ...rest } = out;
      return { ...rest, ...kept[0] };
    }
    out.anyOf = kept;
  }
  return out;
}

/** Chastify's operations only: Chaster-only operations dropped, shared paths without their Chaster arm. */
function chastifyPaths(paths: NonNullable<OpenAPI3['paths']>): NonNullable<OpenAPI3['paths']> {
  const out: Record<string, unknown> = {};
  for (const [p, item] of Object.entries(paths)) {
    const ops = Object.fromEntries(Object.entries(item as Record<string, { tags?: string[] }>).filter(([, op]) => !op?.tags?.includes(CHASTER_TAG)));
    if (Object.keys(ops).length > 0) out[p] = withoutChasterArms(ops);
  }
  return out as NonNullable<OpenAPI3['paths']>;
}

/** The document narrowed to the client's surfaces (the first-party and sandbox routes are not its business). */
export function clientDocument(doc: OpenAPI3): OpenAPI3 {
  const paths = chastifyPaths(Object.fromEntries(Object.entries(doc.paths ?? {}).filter(([p]) => INCLUDED_PATH_PREFIXES.some((prefix) => p.startsWith(prefix)))));
  if (Object.keys(paths).length === 0) throw new Error("the OpenAPI document has none of the client's routes");
  return { ...doc, paths };
}

/** Session routes behind the bridge's read actions (DECISIONS §9); only their GET operations. */
export const BRIDGE_READ_PATHS = [
  '/api/extensions/sessions/{sessionId}',
  '/api/extensions/sessions/{sessionId}/state',
  '/api/extensions/sessions/{sessionId}/metadata',
  '/api/extensions/sessions/{sessionId}/regular-actions',
  '/api/extensions/sessions/{sessionId}/files/capabilities',
  '/api/extensions/sessions/{sessionId}/files',
  '/api/extensions/sessions/{sessionId}/files/{fileId}',
];

export function bridgeDocument(doc: OpenAPI3): OpenAPI3 {
  const paths: NonNullable<OpenAPI3['paths']> = {};
  for (const p of BRIDGE_READ_PATHS) {
    const item = doc.paths?.[p] as Record<string, unknown> | undefined;
    if (item?.get) paths[p] = { get: item.get } as NonNullable<OpenAPI3['paths']>[string];
  }
  return { ...doc, paths: chastifyPaths(paths) };
}

export async function generateOpenApiTypes(doc?: OpenAPI3): Promise<string> {
  const ast = await openapiTS(clientDocument(doc ?? (await fetchOpenApiDocument())), { silent: true, alphabetize: false });
  return HEADER + astToString(ast);
}

export async function generateBridgeTypes(doc?: OpenAPI3): Promise<string> {
  const ast = await openapiTS(bridgeDocument(doc ?? (await fetchOpenApiDocument())), { silent: true, alphabetize: false });
  return HEADER.replace('Types of the latch HTTP API', 'Types of the API routes behind the bridge read actions') + astToString(ast);
}

/** The wire constants both SDKs ship (`@latch/protocol`'s `src/sdk.ts`, a file with no imports), copied so neither SDK depends on the protocol package at run time. */
export const WIRE_SOURCE = path.resolve(here, '../../protocol/src/sdk.ts');
export const WIRE_COPIES = [path.resolve(here, '../src/generated/wire.ts'), path.resolve(here, '../../bridge/src/generated/wire.ts')];

export function generateWireCopy(): string {
  const source = fs.readFileSync(WIRE_SOURCE, 'utf8');
  if (/^\s*(import|export \*|export \{[^}]*\} from)/m.test(source)) throw new Error(`${WIRE_SOURCE} must not import anything: the SDKs copy it as is`);
  return `// GENERATED FILE: do not edit. A copy of packages/protocol/src/sdk.ts; regenerate with \`npm run generate -w @latch/client\`.\n\n${source}`;
}

/** Every generated file: the OpenAPI types (from one build of the document) and the wire copies. */
export async function generateAll(): Promise<Array<{ file: string; text: string }>> {
  const doc = await fetchOpenApiDocument();
  const wire = generateWireCopy();
  return [
    { file: GENERATED_FILE, text: await generateOpenApiTypes(structuredClone(doc)) },
    { file: BRIDGE_GENERATED_FILE, text: await generateBridgeTypes(structuredClone(doc)) },
    ...WIRE_COPIES.map((file) => ({ file, text: wire })),
  ];
}
