import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldProblem } from '../shared/domain-error';

/**
 * An error names at most this many fields: enough to fix a request, and an answer stays a
 * few KiB whatever was sent (80,000 unknown fields once made a 5.8 MB answer).
 */
export const MAX_FIELD_PROBLEMS = 20;

export class ValidationProblem extends Error {
  override readonly name = 'ValidationProblem';
  readonly errors: readonly FieldProblem[];

  constructor(problems: readonly FieldProblem[], total = problems.length) {
    const errors = capped(problems, total);
    super(`the request is invalid: ${errors.map((e) => `${e.field} ${e.problem}`).join('; ')}`);
    this.errors = errors;
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
    exceptionFactory: (errors) => {
      const { problems, total } = flatten(errors);
      return new ValidationProblem(problems, total);
    },
  });
}

/**
 * The first MAX_FIELD_PROBLEMS field problems, depth first, and how many there were in all.
 * Walks with its own stack (no recursion, no spreading of large arrays into a call).
 */
export function flatten(
  errors: readonly ValidationError[],
  max = MAX_FIELD_PROBLEMS,
): { problems: FieldProblem[]; total: number } {
  const problems: FieldProblem[] = [];
  let total = 0;
  const pending: { error: ValidationError; parent: string }[] = [];
  for (let i = errors.length - 1; i >= 0; i--) pending.push({ error: errors[i]!, parent: '' });
  while (pending.length > 0) {
    const { error, parent } = pending.pop()!;
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      total++;
      if (problems.length < max) problems.push({ field, problem: tidy(message, error.property) });
    }
    const children = error.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) pending.push({ error: children[i]!, parent: field });
  }
  return { problems, total };
}

function capped(problems: readonly FieldProblem[], total: number): FieldProblem[] {
  const kept = problems.slice(0, MAX_FIELD_PROBLEMS);
  if (total > kept.length) kept.push({ field: '(more)', problem: `and ${total - kept.length} more problems` });
  return kept;
}

const tidy = (message: string, property: string): string =>
  message.replace(/^property \S+ /, '').replace(new RegExp(`^${escape(property)} `), '');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
