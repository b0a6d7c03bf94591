/**
 * `npm run generate -w @latch/client`: rewrites the generated OpenAPI types from the server's
 * document (packages/client/src/generated/openapi.ts and packages/bridge/src/generated/openapi.ts)
 * and the SDKs' copies of the wire constants (`src/generated/wire.ts`, from @latch/protocol).
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateAll } from './openapi.js';

for (const { file, text } of await generateAll()) {
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  console.log(`${path.relative(process.cwd(), file)}: ${before === text ? 'unchanged' : 'written'} (${text.length} bytes)`);
}
