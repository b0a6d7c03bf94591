/**
 * Schema compilation on first use instead of at start-up.
 *
 * Fastify compiles every route's validators (Ajv) and response serializers (fast-json-stringify)
 * while the app gets ready. With ~150 documented routes that was most of the start-up time
 * (profiled: ~0.8 s of CPU before listening) and a good part of the idle memory, for routes most
 * processes never serve. Here each route's validator and serializer is compiled the first time a
 * request needs it, then reused: the hot path after the first request is unchanged.
 */
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

type Validate = ReturnType<FastifySchemaCompiler<FastifySchema>>;

/** Wraps a validator compiler so each schema compiles on the first request that needs it. */
export function lazyValidatorCompiler(compile: FastifySchemaCompiler<FastifySchema>): FastifySchemaCompiler<FastifySchema> {
  return (args) => {
    let fn: Validate | undefined;
    const validate: Validate = (data) => {
      fn ??= compile(args);
      const result = fn(data);
      // Fastify reads the errors from the function it was given.
      (validate as { errors?: unknown }).errors = (fn as { errors?: unknown }).errors;
      return result;
    };
    return validate;
  };
}

type SerializerFactory = ReturnType<typeof SerializerSelector>;

/** Fastify's own serializer factory (fast-json-stringify), its per-route compile deferred. */
export const lazySerializerFactory: SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let fn: ((doc: unknown) => string) | undefined;
    return (doc) => (fn ??= compile(route))(doc);
  };
};
