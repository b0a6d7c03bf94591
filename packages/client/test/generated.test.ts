import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BRIDGE_GENERATED_FILE, GENERATED_FILE, generateAll } from '../scripts/openapi.js';

/**
 * The generated OpenAPI types and wire constants are checked in (client and bridge); they must be
 * exactly what the server's document and `@latch/protocol` produce today, so the SDKs cannot drift
 * from the API.
 */
describe('@latch/client: generated OpenAPI types and wire constants', () => {
  it('regenerating from the live document produces the checked-in files', async () => {
    for (const { file, text } of await generateAll()) {
      const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      assert.ok(text === current, `${path.relative(process.cwd(), file)} is out of date with the server: run \`npm run generate -w @latch/client\` and check the result in`);
    }
  });

  const pathsOf = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/^ {4}"(\/api\/[^"]+)": \{$/gm)].map((m) => m[1]!);

  it('the client covers the extension-session and External API routes, and nothing else', () => {
    const paths = pathsOf(GENERATED_FILE);
    assert.ok(paths.includes('/api/extensions/sessions/{sessionId}/state'));
    assert.ok(paths.includes('/api/apps/v1/lock/apply-time'));
    for (const p of paths) assert.ok(p.startsWith('/api/extensions/sessions/') || p.startsWith('/api/apps/v1/'), p);
  });

  it('the bridge has the read routes behind its actions', () => {
    const paths = pathsOf(BRIDGE_GENERATED_FILE);
    for (const p of ['/api/extensions/sessions/{sessionId}', '/api/extensions/sessions/{sessionId}/state', '/api/extensions/sessions/{sessionId}/metadata', '/api/extensions/sessions/{sessionId}/regular-actions']) {
      assert.ok(paths.includes(p), p);
    }
  });
});
