/**
 * `npx tsx packages/client/scripts/dump-openapi.ts [out.json]`: writes the server's whole OpenAPI
 * document (dev mode, so the sandbox routes are in it), pretty-printed, to a file or stdout. Two
 * dumps compared with `diff` show what a refactoring changed on the wire.
 */
import fs from 'node:fs';
import { fetchOpenApiDocument } from './openapi.js';

const text = `${JSON.stringify(await fetchOpenApiDocument(), null, 2)}\n`;
const out = process.argv[2];
if (out) fs.writeFileSync(out, text);
else process.stdout.write(text);
