import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Webhook } from 'standardwebhooks';
import type { Clock } from '../clock.js';

/**
 * Sending one webhook attempt (DECISIONS §10): Standard Webhooks signatures, a hard timeout, the
 * first KiB of the answer, and the SSRF guard that checks the address actually connected to.
 */

/** What webhook URLs may point at. Outside the sandbox (and without the operator's opt-in): https, public addresses only. */
export interface WebhookUrlPolicy {
  allowPrivateNetworks: boolean;
  requireHttps: boolean;
}

export function webhookUrlPolicy(config: { dev: boolean; webhooks: { allowPrivateNetworks: boolean } }): WebhookUrlPolicy {
  const open = config.dev || config.webhooks.allowPrivateNetworks;
  return { allowPrivateNetworks: open, requireHttps: !open };
}

/**
 * Only globally routable unicast addresses may be reached (unless private networks are allowed).
 * ipaddr.js names the special ranges (loopback, private, link-local, carrier-grade NAT, unique
 * local, NAT64, 6to4, Teredo, IPv4-mapped and -translated, …); anything it does not call plain
 * `unicast` is refused, and IPv6 must also lie in 2000::/3, the only block IANA hands out as
 * global unicast (which also catches the deprecated IPv4-compatible `::a.b.c.d`).
 * An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is judged as the IPv4 address it carries.
 */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const RANGE_LABELS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local (cloud metadata)',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
  uniqueLocal: 'unique local (private)',
  ipv4Mapped: 'IPv4-mapped',
  deprecatedSiteLocal: 'site-local',
  discard: 'discard',
  rfc6145: 'IPv4-translated (SIIT)',
  rfc6052: 'NAT64',
  '6to4': '6to4',
  teredo: 'Teredo',
  benchmarking: 'benchmarking',
};

/** Why an IP address may not be reached ("loopback", "private", …), or null for a public one. IPv4-mapped IPv6 counts as IPv4. */
export function blockedAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address) || isIP(address) === 0) return 'not an IP address';
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range !== 'unicast') return RANGE_LABELS[range] ?? `special-purpose (${range})`;
  if (parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_V6)) return 'reserved (outside 2000::/3)';
  return null;
}

const hostOf = (u: URL) => u.hostname.replace(/^\[|\]$/g, '');

/**
 * What is wrong with a webhook URL under the policy, or null. Checks what the text shows (scheme,
 * credentials, an IP literal); host names are checked when connecting (`guardedLookup`).
 */
export function webhookUrlProblem(url: string, policy: WebhookUrlPolicy): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must be http(s)';
  if (policy.requireHttps && u.protocol !== 'https:') return 'must be https (plain http only in the sandbox or with WEBHOOK_ALLOW_PRIVATE_NETWORKS=1)';
  if (u.username || u.password) return 'may not carry credentials (user:password@)';
  if (!policy.allowPrivateNetworks && isIP(hostOf(u))) {
    const reason = blockedAddressReason(hostOf(u));
    if (reason) return `points at a ${reason} address (allowed only in the sandbox or with WEBHOOK_ALLOW_PRIVATE_NETWORKS=1)`;
  }
  return null;
}

export class BlockedAddressError extends Error {
  readonly code = 'EWEBHOOKBLOCKED';
}

/**
 * A `lookup` for node:http(s) that resolves the name and refuses the connection when any
 * resolved address is not public. The socket connects to the address checked here, so a name
 * that resolves differently later (DNS rebinding) cannot slip past.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const bad = addresses.find((a) => blockedAddressReason(a.address) !== null);
    if (bad || addresses.length === 0) {
      const why = bad ? `${hostname} resolves to ${bad.address}, a ${blockedAddressReason(bad.address)} address` : `${hostname} has no address`;
      return callback(new BlockedAddressError(`refused: ${why} (allowed only in the sandbox or with WEBHOOK_ALLOW_PRIVATE_NETWORKS=1)`), '');
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** `webhook-signature`: `v1,<base64 HMAC-SHA256>` per secret, space-separated (several during a rotation). */
export function signatureHeader(secrets: string[], messageId: string, at: Date, payload: string): string {
  return secrets.map((s) => new Webhook(s).sign(messageId, at, payload)).join(' ');
}

export const RESPONSE_EXCERPT_BYTES = 1024;
const MAX_ERROR_LENGTH = 500;

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The first ≤ 1 KiB of the response body (UTF-8). */
  response: string | null;
}

export interface SendOptions {
  url: string;
  payload: string;
  messageId: string;
  secrets: string[];
  policy: WebhookUrlPolicy;
  timeoutMs: number;
  /** The `Authorization` header the receiver asked for (Basic auth), if any. */
  authorization?: string | null;
  /** Real time: the signature's timestamp and the duration (receivers compare it with their own clock). */
  wallClock: Clock;
}

function describe(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout: no answer within ${timeoutMs} ms`;
  if (err instanceof BlockedAddressError) return err.message;
  const e = err as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found (DNS)',
    EAI_AGAIN: 'DNS lookup failed (temporary)',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
  };
  return (e.code && known[e.code] ? `${known[e.code]} (${e.code})` : e.message || String(err)).slice(0, MAX_ERROR_LENGTH);
}

/** POSTs one signed attempt. Never throws: every outcome is an `AttemptResult` to record. */
export function sendWebhook(o: SendOptions): Promise<AttemptResult> {
  const started = o.wallClock.now();
  const elapsed = () => Math.max(0, Math.round(o.wallClock.now() - started));
  const problem = webhookUrlProblem(o.url, o.policy);
  if (problem) return Promise.resolve({ ok: false, statusCode: null, error: `refused: the URL ${problem}`, durationMs: 0, response: null });
  // (An IP literal is connected to without a lookup: `webhookUrlProblem` has checked it.)
  const url = new URL(o.url);
  const timestamp = new Date(o.wallClock.now());
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(o.payload)),
    'user-agent': 'latch-webhooks',
    'webhook-id': o.messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatureHeader(o.secrets, o.messageId, timestamp, o.payload),
    ...(o.authorization ? { authorization: o.authorization } : {}),
  };
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, o.timeoutMs);
    const settle = (r: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, durationMs: elapsed() });
    };
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers,
        // A fresh connection per attempt: every connection goes through the lookup below.
        agent: false,
        signal: controller.signal,
        ...(o.policy.allowPrivateNetworks ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const excerpt = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
          const ok = status >= 200 && status < 300;
          settle({ ok, statusCode: status, error: ok ? null : `HTTP ${status}`, response: excerpt });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          if (size < RESPONSE_EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
          // The status decides; the first KiB is all that is kept, so stop reading there.
          if (size >= RESPONSE_EXCERPT_BYTES) done();
        });
        res.on('end', done);
        res.on('error', done);
        res.on('close', done);
      },
    );
    request.on('error', (err) => settle({ ok: false, statusCode: null, error: describe(err, timedOut, o.timeoutMs), response: null }));
    request.end(o.payload);
  });
}
