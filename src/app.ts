import { RequestMethod, type INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import type { AppOptions } from './core/app-options';
import { LOGGER } from './core/tokens';
import { ConsoleSessions } from './console/console-sessions';
import { ApiKeyGuard } from './http/api-key.guard';
import { answerClientErrorsAsProblems } from './http/client-error';
import { jsonBody } from './http/json-body';
import { ProblemFilter } from './http/problem.filter';
import { validationPipe } from './http/validation';
import type { JsonLogger } from './logging/logger';
import { requestIdMiddleware } from './http/request-id.middleware';

export const API_PREFIX = 'api/v1';

/** Builds the whole HTTP application; main, the demo and the tests all go through here. */
export async function createApp(options: AppOptions): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(options), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  answerClientErrorsAsProblems(app.getHttpServer());
  const logger = app.get<JsonLogger>(LOGGER);
  app.useLogger(logger);
  app.use(requestIdMiddleware(logger));
  app.use(jsonBody(options.config.bodyLimitBytes));
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      // The web console lives at the root, beside its assets.
      { path: '/', method: RequestMethod.GET },
      { path: 'assets/:name', method: RequestMethod.GET },
      { path: 'favicon.svg', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemFilter(logger));
  app.useGlobalGuards(new ApiKeyGuard(app.get(Reflector), options.config.apiKeys, app.get(ConsoleSessions)));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('License Ledger')
      .setDescription(
        'Event-sourced license ledger for Microsoft Dynamics 365 and Power Apps. Errors are application/problem+json.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from SAM_API_KEYS' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
