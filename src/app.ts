import { RequestMethod, type INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppModule } from './app.module';
import type { AppOptions } from './core/app-options';
import { ConsoleSessions } from './console/console-sessions';
import { LOGGER, METRICS } from './core/tokens';
import { ApiKeyGuard } from './http/api-key.guard';
import { ApiKeys } from './http/api-keys';
import { answerClientErrorsAsProblems } from './http/client-error';
import { docsAccess } from './http/docs-access';
import { expressAdapter } from './http/express-adapter';
import { FailedAuthThrottle } from './http/failed-auth-throttle';
import { jsonBody } from './http/json-body';
import { buildOpenApiDocument } from './http/openapi/openapi-document';
import { ProblemFilter } from './http/problem.filter';
import { queryLimit } from './http/query-limit';
import { validationPipe } from './http/validation';
import type { JsonLogger } from './logging/logger';
import { requestIdMiddleware } from './http/request-id.middleware';
import { httpMetrics } from './observability/http-metrics';
import type { Metrics } from './observability/metrics';

export const API_PREFIX = 'api/v1';

/** Builds the whole HTTP application; main, the demo and the tests all go through here. */
export async function createApp(options: AppOptions): Promise<INestApplication> {
  const { config } = options;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), expressAdapter(), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  answerClientErrorsAsProblems(app.getHttpServer());
  const logger = app.get<JsonLogger>(LOGGER);
  const keys = new ApiKeys(config.apiKeys);
  const throttle = new FailedAuthThrottle(config.authFailures);
  app.set('trust proxy', config.trustProxy);
  app.useLogger(logger);
  app.use(requestIdMiddleware(logger));
  app.use(httpMetrics(app.get<Metrics>(METRICS)));
  app.use(
    helmet({
      // The service is often reached over plain http on a private network: upgrading would break it.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  app.use(queryLimit());
  app.use(
    jsonBody({
      limitBytes: config.bodyLimitBytes,
      isAuthenticated: (req) => keys.match(req.headers.authorization) !== null,
    }),
  );
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      // The web console lives at the root, beside its assets.
      { path: '/', method: RequestMethod.GET },
      { path: 'assets/:name', method: RequestMethod.GET },
      { path: 'favicon.svg', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemFilter(logger));
  app.useGlobalGuards(new ApiKeyGuard(app.get(Reflector), keys, throttle, app.get(ConsoleSessions)));
  app.getHttpServer().once('close', () => throttle.close());
  if (config.docs !== 'off') {
    if (config.docs === 'key') app.use(['/docs', '/docs-json', '/docs-yaml'], docsAccess(keys));
    const document = buildOpenApiDocument(app);
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  }
  return app;
}
