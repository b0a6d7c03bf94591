import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AttachDeviceBody, Device, DeviceCommandBody, DeviceCommandResponse, DeviceControl, ObjectId } from '@latch/protocol';
import { ApiError, notFound } from '../../../errors.js';
import type { Actor } from '../../../services/lockEngine.js';
import { roleOf } from '../../../services/lockRules.js';
import { signedIn } from '../../auth.js';
import { LOGIN_READ, LOGIN_WRITE, route } from '../../route.js';
import { COMMAND_DOC, DEVICE_ERRORS, LockParams } from '../schemas.js';
import type { App, RouteContext } from '../../types.js';

/**
 * The lock's devices (DECISIONS §11) from the lock page: the wearer and keyholder attach, watch
 * and stop them (extension backends and scripts send `device.command` through their own routes).
 */
export function deviceRoutes(app: App, ctx: Pick<RouteContext, 'locks' | 'devices'>) {


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
    route({
      access: LOGIN_READ,
      errors: ['not_found'],
      schema: {
        tags: ['locks'],
        summary: 'The lock’s devices with their live state (shocking, vibrating, random, berserk, intensities, until)',
        params: LockParams,
        response: { 200: Type.Object({ devices: Type.Array(Device), deviceControl: DeviceControl }) },
      },
    }),
    async (req) => {
      await participant(req, req.params.lockId, false);
      return ctx.devices.list(req.params.lockId);
    },
  );

  app.post(
    '/api/locks/:lockId/devices',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', 'invalid_params', 'lock_ended', 'conflict'],
      schema: {
        tags: ['locks'],
        summary: 'Attach a device: `virtual` (model `default` or `lockink`) or `buttplug` (an Intiface server URL)',
        description: 'The wearer or the accepted keyholder, on an active lock; at most 5 devices per lock.',
        params: LockParams,
        body: AttachDeviceBody,
        response: { 201: Device },
      },
    }),
    async (req, reply) => {
      const { lock, actor } = await participant(req, req.params.lockId, true);
      return reply.code(201).send(await ctx.devices.attach(lock, req.body, actor));
    },
  );

  app.delete(
    '/api/locks/:lockId/devices/:deviceId',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden'],
      schema: {
        tags: ['locks'],
        summary: 'Detach a device (it is stopped first)',
        params: Type.Object({ lockId: ObjectId, deviceId: ObjectId }),
        response: { 204: Type.Null({ description: 'Detached' }) },
      },
    }),
    async (req, reply) => {
      const { lock, actor } = await participant(req, req.params.lockId, true);
      await ctx.devices.detach(lock, req.params.deviceId, actor);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/locks/:lockId/devices/command',
    route({
      access: LOGIN_WRITE,
      errors: ['not_found', 'forbidden', ...DEVICE_ERRORS],
      schema: {
        tags: ['locks'],
        summary: 'Send a device command from the lock page (the wearer or the accepted keyholder)',
        description: COMMAND_DOC,
        params: LockParams,
        body: DeviceCommandBody,
        response: { 200: DeviceCommandResponse },
      },
    }),
    async (req) => {
      const { lock, actor } = await participant(req, req.params.lockId, true);
      return ctx.devices.command(lock, actor, req.body.command, req.body.params);
    },
  );
}
