import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PriceOverrideDto } from '../../src/ledger/rules.dto';

/** A price has at most 4 decimal places, and no number makes the check throw (it made a 500). */
describe('a price override: listPriceMonthly', () => {
  const problems = (listPriceMonthly: unknown) =>
    validateSync(plainToInstance(PriceOverrideDto, { listPriceMonthly }), { forbidUnknownValues: true }).flatMap((e) =>
      Object.keys(e.constraints ?? {}),
    );

  it.each([0, 95, 12.3456, 999_999.9999, null])('accepts %p', (value) => {
    expect(problems(value)).toEqual([]);
  });

  it.each([12.34567, 5e-324, 1e-7, 0.00001])('refuses %p for its decimal places, without throwing', (value) => {
    expect(problems(value)).toEqual(['hasDecimalPlacesAtMost']);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, '12'])('refuses %p as not a number', (value) => {
    expect(problems(value)).toContain('isNumber');
  });
});
