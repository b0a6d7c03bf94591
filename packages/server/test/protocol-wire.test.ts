import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import * as esbuild from 'esbuild';

const protocolSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../protocol/src');

describe('@latch/protocol/wire', () => {
  it('bundles for the browser from the protocol sources alone (no TypeBox, no Node built-in)', async () => {
    const out = await esbuild.build({ entryPoints: [path.join(protocolSrc, 'wire.ts')], bundle: true, write: false, metafile: true, platform: 'browser', format: 'esm', logLevel: 'silent' });
    const inputs = Object.keys(out.metafile.inputs).map((f) => path.resolve(f));
    assert.ok(inputs.length > 1);
    for (const f of inputs) assert.ok(f.startsWith(protocolSrc + path.sep), `${f} is pulled into the browser entry`);
  });
});
