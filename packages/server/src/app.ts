import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { AppsErrorBody, ChasterErrorBody, ErrorBody, MAIN_TOKEN_HEADER } from '@latch/protocol';
import type { Executor } from './storage/executor.js';
import { registerFirstPartyAuth } from './http/auth.js';
import { registerErrorHandling, routerErrorHandler } from './http/errors.js';
import { registerRequestPlumbing, requestIdFor } from './http/requests.js';
import { authRoutes } from './http/routes/auth.js';
import { devRoutes } from './http/routes/dev.js';
import { healthRoutes } from './http/routes/health.js';
import { lockRoutes } from './http/routes/locks/index.js';
import { meRoutes } from './http/routes/me.js';
import { notificationRoutes } from './http/routes/notifications.js';
import type { App, RouteContext } from './http/types.js';
import { createRateLimiter, type RateLimiter } from './ratelimit.js';
import { registerCredentialGuard } from './http/credentials.js';
import { registerIdempotency } from './http/idempotency.js';
import { registerAudit } from './http/audit.js';
import { createServices, type ServiceContainerDeps } from './services/index.js';
import { developerRoutes } from './http/routes/developer/index.js';
import { extensionSessionRoutes } from './http/routes/extensions/sessions.js';
import { extensionCatalogRoutes } from './http/routes/extensions/catalog.js';
import { extensionActionRoutes } from './http/routes/extensions/actions.js';
import { externalApiRoutes } from './http/routes/apps/v1/index.js';
import { lockControlRoutes } from './http/routes/locks/control.js';
import { extensionProgressRoutes } from './http/routes/extensions/progress.js';
import { launchRoutes } from './http/routes/locks/launch.js';
import { lockTermsRoutes } from './http/routes/locks/terms.js';
import { sharedLinkRoutes } from './http/routes/shared/links.js';
import { sharedLockRoutes } from './http/routes/shared/locks.js';
import { builtinRoutes } from './http/routes/builtins.js';
import { eventRoutes } from './http/routes/events.js';
import { registerWebApp } from './http/web.js';
import { registerSecurityHeaders } from './http/securityHeaders.js';
import { lazySerializerFactory, lazyValidatorCompiler } from './http/lazyCompile.js';
import { resumeSandboxClock } from './services/sandboxClock.js';
import { registerMetrics } from './http/metrics.js';
import { createLiveStreams } from './http/liveStreams.js';
import { fileRoutes } from './http/routes/extensions/files.js';
import { deviceRoutes } from './http/routes/locks/devices.js';
import { combinationRoutes } from './http/routes/locks/combination.js';
import { taskVerificationRoutes } from './http/routes/locks/tasks.js';
import { chasterRoutes } from './http/routes/extensions/chaster/index.js';
import { partnerConfigurationRoutes } from './http/routes/partnerConfigurations.js';
import { validators } from './http/validation.js';
import { webhookRoutes } from './http/routes/developer/webhooks.js';

/** What the services get (`wallClock` defaults to the system clock), and how this process runs jobs and limits. */
export interface AppDeps extends Omit<ServiceContainerDeps, 'workerId' | 'leaseMs'> {
  /** Run due jobs in this process (default true; false when a separate `npm run worker` does). */
  runScheduler?: boolean;
  /** Shared limits (Redis) for several processes; default: in memory, closed with the app. */
  rateLimiter?: RateLimiter;
}

/** Longest path parameter the router accepts (ids are 24 characters, slugs far shorter). */
const MAX_PARAM_LENGTH = 200;

/** Builds the whole HTTP app from its dependencies; tests call this and use `inject`. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, database, clock, ids } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    genReqId: (req) => requestIdFor(req),
    bodyLimit: config.bodyLimit,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: routerErrorHandler(MAX_PARAM_LENGTH),
    // Schemas compile on first use, not at start-up (see lazyCompile.ts).
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.setValidatorCompiler(lazyValidatorCompiler(validators()));
  app.addSchema(ErrorBody);
  app.addSchema(AppsErrorBody);
  app.addSchema(ChasterErrorBody);

  registerRequestPlumbing(app);
  registerErrorHandling(app);
  await registerSecurityHeaders(app, { db: database.db, publicUrl: config.publicUrl });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'latch API',
        version: '0.1.0',
        description:
          'Self-hostable lock-session platform. The extension routes (`/api/extensions/*`, `/api/apps/v1/*`) are wire-compatible with the Chastify Extensions Developer API.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'latch_session', description: 'First-party login; mutations also need `x-csrf-token`.' },
          developerKey: { type: 'http', scheme: 'bearer', description: 'Developer API key: `lk_app_…` (app-scoped) or `lk_usr_…` (user-wide).' },
          mainToken: { type: 'apiKey', in: 'header', name: MAIN_TOKEN_HEADER, description: 'Launch token from the iframe hash.' },
        },
      },
      tags: [
        { name: 'accounts', description: 'Sign up, sign in, profile' },
        { name: 'locks', description: 'Locks, keyholders, installed extensions, history' },
        { name: 'shared locks', description: 'Lock templates a keyholder publishes as a link; wearers load them' },
        { name: 'shared links', description: 'Public links of a running lock where visitors vote time' },
        { name: 'notifications', description: 'Notifications of the signed-in user' },
        { name: 'developer console', description: 'Extension apps, developer keys, audit trail' },
        { name: 'extension sessions', description: `Chastify/Chaster extension session API: app-scoped key + ${MAIN_TOKEN_HEADER}` },
        { name: 'external api', description: 'Chastify External API: a user-wide key on your own active lock' },
        { name: 'sandbox', description: 'Dev mode only (LATCH_DEV=1)' },
        { name: 'operations', description: 'Health and readiness' },
      ],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
    staticCSP: true,
    // swagger-ui's own CSP (its inline init needs its hashes), but never framed: like the web UI.
    transformStaticCSP: (header) => header.replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(cookie);

  // The sandbox's virtual clock continues where the previous run left it (issue 15).
  if (config.dev) await resumeSandboxClock(database.db, clock);
  const services = createServices({ config, database, clock, ...(deps.wallClock ? { wallClock: deps.wallClock } : {}), ids, logger: deps.logger });
  const rateLimiter = deps.rateLimiter ?? (await createRateLimiter({ multiplier: config.rateLimitMultiplier, authMultiplier: config.authRateLimitMultiplier }));
  if (!deps.rateLimiter) app.addHook('onClose', () => rateLimiter.close());
  if (deps.runScheduler ?? true) {
    app.addHook('onReady', async () => {
      await services.retention.ensureScheduled();
      services.scheduler.start();
    });
  }
  app.addHook('onClose', () => services.scheduler.stop());
  app.addHook('onClose', () => services.close());
  if (!config.files.urlSecretConfigured && !config.dev) {
    deps.logger.warn('FILE_URL_SECRET is not set: signed file URLs only work on this process and until it restarts; set it (the same on every process) when running several');
  }
  const { keys, audit } = services;
  const ctx: RouteContext = {
    ...services,
    config,
    clock,
    database: { dialect: database.dialect, ping: async () => void (await sql`select 1`.execute(database.db)) },
    rateLimiter,
    cookies: registerFirstPartyAuth(app, { accounts: services.accounts, publicOrigin: new URL(config.publicUrl).origin, secureCookies: config.secureCookies }),
    liveStreams: createLiveStreams({ db: database.db, clock, logger: deps.logger, alsoEachTick: [services.notificationFeed.tick, services.lockChanges.poll] }),
  };
  app.addHook('onClose', async () => ctx.liveStreams.close());
  // Hook order matters: cookie user → extension/script credentials → (validation) → idempotency.
  registerCredentialGuard(app, { db: database.db, clock, keys, rateLimiter, dev: config.dev });
  registerIdempotency(app, { db: database.db, clock, ids });
  registerAudit(app, audit);
  app.decorate('ctx', { ...ctx, db: database.db });
  await registerMetrics(app, { config, database, clock, scheduler: services.scheduler, notificationFeed: services.notificationFeed });

  healthRoutes(app, ctx);
  authRoutes(app, ctx);
  meRoutes(app, ctx);
  lockRoutes(app, ctx);
  extensionCatalogRoutes(app, ctx);
  notificationRoutes(app, ctx);
  developerRoutes(app, ctx);
  webhookRoutes(app, ctx);
  extensionSessionRoutes(app, ctx);
  extensionActionRoutes(app, ctx);
  extensionProgressRoutes(app, ctx);
  externalApiRoutes(app, ctx);
  lockControlRoutes(app, ctx);
  lockTermsRoutes(app, ctx);
  sharedLockRoutes(app, ctx);
  sharedLinkRoutes(app, ctx);
  builtinRoutes(app, ctx);
  launchRoutes(app, ctx);
  eventRoutes(app, ctx);
  fileRoutes(app, ctx);
  deviceRoutes(app, ctx);
  combinationRoutes(app, ctx);
  taskVerificationRoutes(app, ctx);
  chasterRoutes(app, ctx);
  partnerConfigurationRoutes(app, ctx);
  if (config.dev) devRoutes(app, ctx);

  await registerWebApp(app);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The services behind the routes and the database, for embedding (start-up seeding, tests); routes never get `db`. */
    ctx: RouteContext & { db: Executor };
  }
}
