import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type { ExtensionSession, ExtensionSessionClient, LatchApiError, RequestBody, SuccessBody } from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '..');

/** Compile-time checks: the shapes come from the generated types (not `any`, not `unknown`). */
type IsAny<T> = 0 extends 1 & T ? true : false;
type Expect<T extends true> = T;
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
export type TypeChecks = [
  Expect<Equal<IsAny<ExtensionSession>, false>>,
  Expect<Equal<ExtensionSession['lockData']['lockTitle'], string>>,
  Expect<Equal<ExtensionSession['lockData']['timeRemainingSeconds'], number | null>>,
  Expect<Equal<Awaited<ReturnType<ExtensionSessionClient['state']['get']>>['etag'], string | null>>,
  Expect<Equal<RequestBody<'/api/apps/v1/lock/apply-time', 'post'>, { deltaSeconds: number }>>,
  Expect<Equal<SuccessBody<'/api/extensions/sessions/{sessionId}/attempts/fail-expired', 'post'>['failed'], boolean>>,
  Expect<Equal<LatchApiError['status'], number>>,
];

describe('@latch/client: the package as published', () => {
  it('builds to ESM + .d.ts with no Node-only APIs (lib DOM, no @types/node) and loads from dist', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-client-dist-'));
    try {
      const tsc = path.resolve(pkgDir, '../../node_modules/typescript/bin/tsc');
      execFileSync(process.execPath, [tsc, '-p', path.join(pkgDir, 'tsconfig.build.json'), '--outDir', out], { stdio: 'pipe' });
      const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
      assert.deepEqual(pkg.exports['.'], { types: './dist/index.d.ts', import: './dist/index.js' });
      assert.equal(pkg.dependencies, undefined, 'no runtime dependencies');
      for (const f of ['index.js', 'index.d.ts', 'generated/openapi.d.ts']) assert.ok(fs.existsSync(path.join(out, f)), f);
      const mod = await import(pathToFileURL(path.join(out, 'index.js')).href);
      assert.equal(typeof mod.createExtensionClient, 'function');
      assert.equal(typeof mod.createExternalClient, 'function');
      assert.equal(typeof mod.LatchApiError, 'function');
      assert.doesNotMatch(fs.readFileSync(path.join(out, 'http.js'), 'utf8'), /from 'node:/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
