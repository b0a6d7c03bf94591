import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A real webhook receiver for the webhook tests (Chastify's and Chaster's). */

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  json: Json;
}

/** What the receiver answers: a status (and body), or `hang` to never answer. */
export type Answer = { status: number; body?: string } | 'hang';

/** A real webhook receiver on 127.0.0.1 (port 0). Each path answers as `answer` says. */
export async function receiver() {
  const received: Received[] = [];
  const answers = new Map<string, (n: number) => Answer>();
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers as Record<string, string>, body, json: JSON.parse(body) as Json });
      const n = received.filter((r) => r.path === path).length;
      const answer = answers.get(path)?.(n) ?? { status: 200, body: 'ok' };
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    on: (path: string, answer: (n: number) => Answer) => answers.set(path, answer),
    at: (path: string) => received.filter((r) => r.path === path),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
export type Receiver = Awaited<ReturnType<typeof receiver>>;

/** Verifies a delivery as a receiver would (throws on a bad signature or a stale timestamp). */
export function verify(secret: string, r: Received): Json {
  return new Webhook(secret).verify(r.body, {
    'webhook-id': r.headers['webhook-id']!,
    'webhook-timestamp': r.headers['webhook-timestamp']!,
    'webhook-signature': r.headers['webhook-signature']!,
  }) as Json;
}
