import { Configuration, PartnerExtensionsApi } from '@chasterapp/chaster-js';
import type { FixtureWorld } from '../../src/services/fixtures.js';
import { fixtureWorld, testApp, type TestApp } from '../helpers.js';

export interface ChasterHarness {
  t: TestApp;
  /** latch on a real port: what an extension puts as `basePath`. */
  baseUrl: string;
  /** A Chaster-dialect app installed on a lock with a keyholder (fixtures, DECISIONS §14). */
  world: FixtureWorld;
  /** Chaster's own SDK, as an extension backend configures it: our URL, the app key as the developer token. */
  api: PartnerExtensionsApi;
  /** The same SDK with another developer token (other apps, other dialects). */
  apiWith(token: string): PartnerExtensionsApi;
  close(): Promise<void>;
}

/**
 * latch listening on 127.0.0.1 (a random port), a fixture world whose app speaks Chaster, and
 * chaster-js's `PartnerExtensionsApi` pointed at it: tests drive latch exactly as a Chaster
 * extension backend would, through the SDK's own requests.
 */
export async function chasterHarness(fixture: { extension?: Record<string, unknown>; lock?: Record<string, unknown> } = {}): Promise<ChasterHarness> {
  const t = await testApp();
  try {
    const baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const world = await fixtureWorld(t.app, { ...fixture, extension: { dialect: 'chaster', ...fixture.extension } });
    const apiWith = (token: string) => new PartnerExtensionsApi(new Configuration({ basePath: baseUrl, accessToken: token }));
    return { t, baseUrl, world, api: apiWith(world.app.appKey), apiWith, close: () => t.close() };
  } catch (err) {
    await t.close();
    throw err;
  }
}

/** The HTTP status and body of a rejected SDK call (axios), for asserting errors. */
export async function failure(call: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    await call;
  } catch (err) {
    const res = (err as { response?: { status: number; data: Record<string, unknown> } }).response;
    if (res) return { status: res.status, body: res.data };
    throw err;
  }
  throw new Error('expected the call to fail');
}
