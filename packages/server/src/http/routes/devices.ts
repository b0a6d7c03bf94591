import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AttachDeviceBody, DEVICE_COMMANDS, DEVICE_LIMITS, Device, DeviceCommandBody, DeviceCommandResponse, DeviceControl, ObjectId, type ErrorCode } from '@latch/protocol';
import { ApiError, notFound } from '../../errors.js';
import type { Actor } from '../../services/lockEngine.js';
import { roleOf } from '../../services/lockRules.js';
import { signedIn } from '../auth.js';
import { externalCaller, sessionCaller, type CredentialNeeds } from '../credentials.js';
import { errorResponses } from '../openapi.js';
import { APPS_ERRORS, SESSION_WRITE_ERRORS, sessionWrite } from './shared.js';
import type { App, RouteContext } from '../types.js';

const COMMAND_DOC =
  `\`command\`: ${DEVICE_COMMANDS.map((c) => `\`${c}\``).join(', ')} (the last two on Lockink devices only). ` +
  `durationSeconds is clamped to ${DEVICE_LIMITS.durationSeconds.min}–${DEVICE_LIMITS.durationSeconds.max}, intensityPct and frequencyPct to 1–100; the response reports the applied values and which were clamped. ` +
  'Timed commands end by themselves; `all.stop` always succeeds.';
const DEVICE_ERRORS: ErrorCode[] = ['unsupported_command', 'device_not_available', 'invalid_params', 'lock_ended'];
const EXTENSION_ERRORS: ErrorCode[] = [...SESSION_WRITE_ERRORS, ...DEVICE_ERRORS];
const DEVICE_APPS_ERRORS: ErrorCode[] = [...APPS_ERRORS, 'idempotency_key_reused', ...DEVICE_ERRORS];

const LockParams = Type.Object({ lockId: ObjectId });
const cookie = [{ sessionCookie: [] }];

/**
 * Devices (DECISIONS §11): `device.command` for extension backends and scripts (spec 000/002),
 * and the first-party routes the wearer and keyholder use to attach, watch and stop devices.
 */
export function deviceRoutes(app: App, ctx: RouteContext) {
  const needs: CredentialNeeds = sessionWrite('locks:write', 'action');

  app.post(
    '/api/extensions/sessions/:sessionId/device-command',
    {
      config: { credentials: needs },
      schema: {
        tags: ['extension sessions'],
        summary: 'Send a device command (bridge name: device.command)',
        description: COMMAND_DOC,
        security: [{ developerKey: [], mainToken: [] }],
        params: Type.Object({ sessionId: ObjectId }),
        body: DeviceCommandBody,
        response: { 200: DeviceCommandResponse, ...errorResponses(EXTENSION_ERRORS) },
      },
    },
    async (req) => {
      const c = sessionCaller(req);
      const actor: Actor = { role: 'extension', extensionSlug: c.app.slug, userId: c.userId };
      return ctx.devices.command(c.lock, actor, req.body.command, req.body.params);
    },
  );

  app.post(
    '/api/apps/v1/device-command',
    {
      config: { credentials: { surface: 'apps', mutation: true, bucket: 'action', sessionBound: false } },
      schema: {
        tags: ['external api'],
        summary: 'Send a device command to your active lock’s devices (same body and answer as the extension route)',
        description: COMMAND_DOC,
        security: [{ developerKey: [] }],
        headers: Type.Object({ 'x-chastify-lock-id': Type.Optional(Type.String({ maxLength: 64 })) }),
        body: DeviceCommandBody,
        response: { 200: DeviceCommandResponse, ...errorResponses(DEVICE_APPS_ERRORS, 'AppsErrorBody') },
      },
    },
    async (req) => {
      const c = externalCaller(req);
      return ctx.devices.command(c.lock, { role: 'external', userId: c.userId }, req.body.command, req.body.params);
    },
  );

  /** A participant of the lock; `act` also requires the wearer or the accepted keyholder. */
  async function participant(req: FastifyRequest, lockId: string, act: boolean) {
    const user = signedIn(req).user;
    const lock = await ctx.locks.row(lockId);
    const role = lock ? roleOf(lock, user.id) : null;
    if (!lock || !role) throw notFound('Lock');
    if (act && role === 'keyholder' && lock.keyholder_status !== 'accepted') throw new ApiError('forbidden', 'Accept the invitation before acting on this lock');
    const actor: Actor = { role, userId: user.id };
    return { lock, actor };
  }

  app.get(
    '/api/locks/:lockId/devices',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['locks'],
        summary: 'The lock’s devices with their live state (shocking, vibrating, random, berserk, intensities, until)',
        security: cookie,
        params: LockParams,
        response: { 200: Type.Object({ devices: Type.Array(Device), deviceControl: DeviceControl }), ...errorResponses(['login_required', 'not_found']) },
      },
    },
    async (req) => {
      await participant(req, req.params.lockId, false);
      return ctx.devices.list(req.params.lockId);
    },
  );

  app.post(
    '/api/locks/:lockId/devices',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['locks'],
        summary: 'Attach a device: `virtual` (model `default` or `lockink`) or `buttplug` (an Intiface server URL)',
        description: 'The wearer or the accepted keyholder, on an active lock; at most 5 devices per lock.',
        security: cookie,
        params: LockParams,
        body: AttachDeviceBody,
        response: { 201: Device, ...errorResponses(['login_required', 'csrf_token_invalid', 'not_found', 'forbidden', 'invalid_params', 'lock_ended', 'conflict']) },
      },
    },
    async (req, reply) => {
      const { lock, actor } = await participant(req, req.params.lockId, true);
      return reply.code(201).send(await ctx.devices.attach(lock, req.body, actor));
    },
  );

  app.delete(
    '/api/locks/:lockId/devices/:deviceId',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['locks'],
        summary: 'Detach a device (it is stopped first)',
        security: cookie,
        params: Type.Object({ lockId: ObjectId, deviceId: ObjectId }),
        response: { 204: Type.Null({ description: 'Detached' }), ...errorResponses(['login_required', 'csrf_token_invalid', 'not_found', 'forbidden']) },
      },
    },
    async (req, reply) => {
      const { lock, actor } = await participant(req, req.params.lockId, true);
      await ctx.devices.detach(lock, req.params.deviceId, actor);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/locks/:lockId/devices/command',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['locks'],
        summary: 'Send a device command from the lock page (the wearer or the accepted keyholder)',
        description: COMMAND_DOC,
        security: cookie,
        params: LockParams,
        body: DeviceCommandBody,
        response: { 200: DeviceCommandResponse, ...errorResponses(['login_required', 'csrf_token_invalid', 'not_found', 'forbidden', ...DEVICE_ERRORS]) },
      },
    },
    async (req) => {
      const { lock, actor } = await participant(req, req.params.lockId, true);
      return ctx.devices.command(lock, actor, req.body.command, req.body.params);
    },
  );
}
