import { isISO8601, ValidateBy, type ValidationOptions } from 'class-validator';

/** ISO 8601's ordinal dates (2026-032): JavaScript reads some of them as months. */
const ORDINAL = /^[+-]?\d{4}-\d{3}(?!\d)/;

/**
 * An ISO 8601 date or date-time that JavaScript's Date reads as ISO 8601 says. `IsISO8601`
 * alone also passes the week, ordinal and basic forms (2026-W01, 2026-032, 20260105), which
 * Date cannot read: the answer was a 500 instead of a 400.
 */
export function IsMoment(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMoment',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          isISO8601(value, { strict: true }) &&
          !ORDINAL.test(value) &&
          !Number.isNaN(Date.parse(value)),
        defaultMessage: () => 'must be an ISO 8601 date-time',
      },
    },
    options,
  );
}
