import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A number with at most `places` decimal places. class-validator's `IsNumber({ maxDecimalPlaces })`
 * counts them in `toString()` after a point, and throws when JavaScript writes the number with an
 * exponent and no point (5e-324, 1e-7): the answer was a 500 instead of a 400 (found by the HTTP
 * fuzz test). Values that are not finite numbers are left to `IsNumber`.
 */
export function HasDecimalPlacesAtMost(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasDecimalPlacesAtMost',
      constraints: [places],
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'number' || !Number.isFinite(value) || Number(value.toFixed(places)) === value,
        defaultMessage: () => `must have at most ${places} decimal places`,
      },
    },
    options,
  );
}
