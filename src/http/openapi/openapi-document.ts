import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ACCESS_KEY, type Access } from '../access';
import { PROBLEM_SCHEMA, problemResponse, problemStatuses } from './problem-responses';
import { RESPONSE_SCHEMAS } from './response-schemas';
import { SUCCESS_RESPONSES } from './success-responses';

type Operation = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * The OpenAPI document of the service: what the controllers declare, completed with each
 * operation's success body (success-responses.ts, unless the controller declared one) and its
 * application/problem+json answers, derived from the route (body, path and query parameters,
 * method) and the access it declares. The bearer scheme is an opaque key: no bearerFormat.
 * `/docs` serves it; `npm run lint` lints it (scripts/lint-openapi.ts).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('License Ledger')
      .setDescription(
        'Event-sourced license ledger for Microsoft Dynamics 365 and Power Apps. Errors are application/problem+json.',
      )
      .setVersion('1')
      .setLicense('MIT', 'https://opensource.org/license/mit')
      .addSecurity('bearer', {
        type: 'http',
        scheme: 'bearer',
        description: 'An API key from SAM_API_KEYS, or a console session token (both opaque)',
      })
      .build(),
  );
  const access = accessOfOperations(app);
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (op) complete(op, method, access.get(op.operationId) ?? 'admin-only');
    }
  }
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...RESPONSE_SCHEMAS, Problem: PROBLEM_SCHEMA },
  };
  return document;
}

function complete(op: Operation, method: string, access: Access | 'admin-only'): void {
  const responses: Record<string, any> = (op.responses ??= {});
  const declared = Object.entries(responses).some(([s, r]) => /^2/.test(s) && r.content);
  const given = SUCCESS_RESPONSES[op.operationId];
  const answers = given === undefined ? [] : Array.isArray(given) ? given : [given];
  const success = answers[0];
  if (!declared && success) {
    // Nest's placeholder (a status with an empty description and no body) gives way to the real ones.
    for (const status of Object.keys(responses)) if (/^[23]/.test(status)) delete responses[status];
    for (const answer of answers)
      responses[String(answer.status)] = {
        description: answer.description,
        ...(answer.content ? { content: answer.content } : {}),
        ...(answer.headers ? { headers: answer.headers } : {}),
      };
  }
  const parameters: { in: string; name: string }[] = op.parameters ?? [];
  const statuses = problemStatuses({
    operationId: op.operationId,
    method,
    access,
    hasBody: op.requestBody !== undefined,
    parameters: parameters.length,
    pathParameters: parameters.filter((p) => p.in === 'path').length,
    queryParameters: parameters.filter((p) => p.in === 'query').map((p) => p.name),
  });
  for (const status of statuses) responses[String(status)] ??= problemResponse(status);
  // A public route takes a key too (who asks is noted), but needs none.
  op.security ??= access === 'public' ? [{}, { bearer: [] }] : [{ bearer: [] }];
  // Every operation has a summary; a handler without @ApiOperation is summed up by its answer.
  if (!op.summary && success) op.summary = success.description;
}

/** `Controller_method` → the access its handler (or else its controller) declares. */
function accessOfOperations(app: INestApplication): Map<string, Access> {
  const access = new Map<string, Access>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const ofClass = Reflect.getMetadata(ACCESS_KEY, controller) as Access | undefined;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const declared = (Reflect.getMetadata(ACCESS_KEY, handler) as Access | undefined) ?? ofClass;
        if (declared) access.set(`${controller.name}_${name}`, declared);
      }
    }
  }
  return access;
}
