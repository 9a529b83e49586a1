import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldProblem } from '../shared/domain-error';

export class ValidationProblem extends Error {
  override readonly name = 'ValidationProblem';
  constructor(readonly errors: readonly FieldProblem[]) {
    super(`the request is invalid: ${errors.map((e) => `${e.field} ${e.problem}`).join('; ')}`);
  }
}

/** Whitelist, refuse unknown fields, transform to DTO classes; every failure one 400 problem. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(flatten(errors)),
  });
}

export function flatten(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({
        field,
        problem: message.replace(/^property \S+ /, '').replace(new RegExp(`^${escape(e.property)} `), ''),
      });
    }
    if (e.children && e.children.length > 0) out.push(...flatten(e.children, field));
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
