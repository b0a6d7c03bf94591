import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BridgeError, normalizeIntent, parseLaunchHash, readLaunch, takeHomeActionIntent, themeVariables, type LaunchPayload } from '../src/index.js';

/** The launch payload, home-action intents and theme variables: pure functions, tested in Node. */

const LAUNCH = {
  bridge: { v: 1, nonce: '0123456789abcdef0123456789abcdef', parentOrigin: 'https://chastify.net' },
  sessionId: '6740f0a1c2d3e4f5a6b7c8d9',
  lockId: '6740f0a1c2d3e4f5a6b7c8da',
  role: 'wearer',
  ui: { isDark: true, theme: 'dark', bg: '#111827', text: '#f3f4f6', border: '#374151' },
  mainToken: 'mt_abc',
  regularActionsSummary: { mode: 'unlimited' },
};
const hashOf = (v: unknown) => `#${encodeURIComponent(JSON.stringify(v))}`;

function invalid(hash: string, code: string, message: RegExp) {
  assert.throws(
    () => parseLaunchHash(hash),
    (e: unknown) => e instanceof BridgeError && e.code === code && message.test(e.message),
    `${hash} → ${code}`,
  );
}

describe('@latch/bridge: launch payload', () => {
  it('parses the percent-encoded JSON hash latch and Chastify send, keeping unknown fields', () => {
    const p = parseLaunchHash(hashOf({ ...LAUNCH, futureField: { x: 1 } }));
    assert.equal(p.bridge.nonce, LAUNCH.bridge.nonce);
    assert.equal(p.bridge.parentOrigin, 'https://chastify.net');
    assert.equal(p.sessionId, LAUNCH.sessionId);
    assert.equal(p.mainToken, 'mt_abc');
    assert.deepEqual(p.ui, LAUNCH.ui);
    assert.deepEqual(p.futureField, { x: 1 });
  });

  it('also reads raw and base64url JSON, and a payload without bridge.v', () => {
    assert.equal(parseLaunchHash(`#${JSON.stringify(LAUNCH)}`).lockId, LAUNCH.lockId);
    const b64 = Buffer.from(JSON.stringify(LAUNCH)).toString('base64url');
    assert.equal(parseLaunchHash(`#${b64}`).lockId, LAUNCH.lockId);
    const noV = parseLaunchHash(hashOf({ ...LAUNCH, bridge: { nonce: 'n', parentOrigin: 'http://localhost:5173' } }));
    assert.equal(noV.bridge.v, 1);
  });

  it('refuses payloads without the required values, with a message that says which', () => {
    invalid('', 'missing_launch', /No launch payload/);
    invalid('#', 'missing_launch', /No launch payload/);
    invalid('#not-json', 'invalid_launch', /not JSON/);
    invalid(hashOf([1, 2]), 'invalid_launch', /not JSON|JSON object/);
    invalid(hashOf({ ...LAUNCH, bridge: undefined }), 'invalid_launch', /bridge is missing/);
    invalid(hashOf({ ...LAUNCH, bridge: { ...LAUNCH.bridge, nonce: '' } }), 'invalid_launch', /bridge\.nonce/);
    invalid(hashOf({ ...LAUNCH, bridge: { ...LAUNCH.bridge, v: 2 } }), 'invalid_launch', /bridge\.v is 2/);
    for (const origin of ['*', 'null', 'https://chastify.net/', 'https://chastify.net/app', 'javascript:alert(1)', 'chastify.net', 42]) {
      invalid(hashOf({ ...LAUNCH, bridge: { ...LAUNCH.bridge, parentOrigin: origin } }), 'invalid_launch', /parentOrigin must be an exact http\(s\) origin/);
    }
    invalid(hashOf({ ...LAUNCH, sessionId: undefined }), 'invalid_launch', /sessionId/);
    invalid(hashOf({ ...LAUNCH, lockId: 7 }), 'invalid_launch', /lockId/);
  });

  it('drops malformed optional fields instead of failing', () => {
    const p = parseLaunchHash(hashOf({ ...LAUNCH, ui: 'dark', mainToken: 5, homeAction: { title: 'no slug' }, intent: { message: 'no type' } }));
    assert.equal(p.ui, undefined);
    assert.equal(p.mainToken, undefined);
    assert.equal(p.homeAction, undefined);
    assert.equal(p.intent, undefined);
  });

  it('readLaunch removes the payload from the address bar, keeping path and query', () => {
    const calls: unknown[][] = [];
    const location = { hash: hashOf(LAUNCH), pathname: '/app/index.html', search: '?v=2' };
    const history = { state: { keep: true }, replaceState: (...args: unknown[]) => void calls.push(args) };
    const p = readLaunch({ location, history });
    assert.equal(p.sessionId, LAUNCH.sessionId);
    assert.deepEqual(calls, [[{ keep: true }, '', '/app/index.html?v=2']]);
    readLaunch({ location, history, clearHash: false });
    assert.equal(calls.length, 1);
    // A sandbox that forbids replaceState does not break the launch.
    assert.equal(readLaunch({ location, history: { state: null, replaceState: () => { throw new Error('SecurityError'); } } }).lockId, LAUNCH.lockId);
  });
});

describe('@latch/bridge: home-action intents', () => {
  const launch = (extra: Partial<LaunchPayload>): LaunchPayload => ({ ...(LAUNCH as unknown as LaunchPayload), ...extra });

  it('returns slug, action and normalized intent once per lock and slug', () => {
    const handled = new Set<string>();
    const l = launch({
      homeActionSlug: 'tasks',
      homeAction: { slug: 'tasks', title: 'Tasks', description: 'Open tasks panel', intent: { type: 'open_panel', payload: { panel: 'regular-actions' } } },
    });
    const first = takeHomeActionIntent(l, { handled });
    assert.deepEqual(first, {
      homeActionSlug: 'tasks',
      homeAction: l.homeAction,
      intent: { type: 'open_panel', title: 'Tasks', message: 'Open tasks panel', payload: { panel: 'regular-actions' } },
    });
    assert.equal(takeHomeActionIntent(l, { handled }), null, 'a re-render does not handle it again');
    assert.ok(takeHomeActionIntent(launch({ ...l, lockId: 'another-lock' }), { handled }), 'another lock is another intent');
    assert.ok(takeHomeActionIntent(launch({ ...l, homeActionSlug: 'other', homeAction: { slug: 'other', title: 'Other' } }), { handled }));
    assert.equal(takeHomeActionIntent(launch({}), { handled }), null, 'not opened from a home action');
  });

  it('the payload intent wins over the action’s; a missing one becomes type open', () => {
    const action = { slug: 'play', title: 'Play', description: 'Play now', intent: { type: 'play', message: 'from action' } };
    assert.deepEqual(normalizeIntent({ homeAction: action, intent: { type: 'open_panel', message: 'from payload' } }), { type: 'open_panel', title: 'Play', message: 'from payload', payload: {} });
    assert.deepEqual(normalizeIntent({ homeAction: action }), { type: 'play', title: 'Play', message: 'from action', payload: {} });
    assert.deepEqual(normalizeIntent({ homeAction: { slug: 'x', title: 'X' } }), { type: 'open', title: 'X', message: '', payload: {} });
  });
});

describe('@latch/bridge: theme variables', () => {
  it('maps every scalar ui field to a CSS custom property', () => {
    assert.deepEqual(themeVariables({ ...LAUNCH.ui, accentColor: '#f00', radius: 8, nested: { x: 1 } }), {
      '--chastify-is-dark': '1',
      '--chastify-theme': 'dark',
      '--chastify-bg': '#111827',
      '--chastify-text': '#f3f4f6',
      '--chastify-border': '#374151',
      '--chastify-accent-color': '#f00',
      '--chastify-radius': '8',
    });
    assert.deepEqual(themeVariables({ bg: '#fff' }, '--ext-'), { '--ext-bg': '#fff' });
  });
});

/** Compile-time checks: bridge answers are typed from the generated OpenAPI types. */
type IsAny<T> = 0 extends 1 & T ? true : false;
type Expect<T extends true> = T;
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
type SessionAnswer = Awaited<ReturnType<import('../src/index.js').Bridge['session']['get']>>;
export type TypeChecks = [
  Expect<Equal<IsAny<SessionAnswer>, false>>,
  Expect<Equal<SessionAnswer['lockData']['lockTitle'], string>>,
  Expect<Equal<Awaited<ReturnType<import('../src/index.js').Bridge['state']['get']>>['version'], number>>,
  Expect<Equal<Awaited<ReturnType<import('../src/index.js').Bridge['files']['get']>>['url'], string>>,
];
