import { isExcluded } from '../../src/domain/conclusions';
import { exclusionRuleAdded, given, licenseAssigned, modelsFor } from './given';

const SALES = 'DYN365_ENTERPRISE_SALES';
const CUSTOMER_SERVICE = 'DYN365_ENTERPRISE_CUSTOMER_SERVICE';

describe('exclusions', () => {
  const history = [
    ...modelsFor(SALES, CUSTOMER_SERVICE),
    licenseAssigned('alice', SALES, { upn: 'Alice@Contoso.com' }),
    licenseAssigned('alice', CUSTOMER_SERVICE, { upn: 'Alice@Contoso.com' }),
    licenseAssigned('bob', SALES),
    licenseAssigned('bob', CUSTOMER_SERVICE),
  ];

  const excludedPairs = (rules: ReturnType<typeof exclusionRuleAdded>[]): string[] => {
    const view = given([...history, ...rules]);
    const excluded = isExcluded(view);
    const pairs: string[] = [];
    for (const user of view.subscriptions.users.values()) {
      for (const license of user.licenses.values())
        if (excluded(user, license)) pairs.push(`${user.userId} ${license.skuPartNumber}`);
    }
    return pairs.sort();
  };

  it('excludes nothing without rules', () => {
    expect(excludedPairs([])).toEqual([]);
  });

  it('excludes every subscription of a user, by user principal name in any case or by user id', () => {
    expect(excludedPairs([exclusionRuleAdded('user', 'ALICE@contoso.com')])).toEqual([
      `alice ${CUSTOMER_SERVICE}`,
      `alice ${SALES}`,
    ]);
    expect(excludedPairs([exclusionRuleAdded('user', 'BOB')])).toEqual([`bob ${CUSTOMER_SERVICE}`, `bob ${SALES}`]);
  });

  it('excludes a SKU for everyone, by skuPartNumber or skuId in any case', () => {
    expect(excludedPairs([exclusionRuleAdded('identifier', 'dyn365_enterprise_sales')])).toEqual([
      `alice ${SALES}`,
      `bob ${SALES}`,
    ]);
    expect(excludedPairs([exclusionRuleAdded('identifier', '749742BF-0D37-4158-A120-33567104DEEB')])).toEqual([
      `alice ${CUSTOMER_SERVICE}`,
      `bob ${CUSTOMER_SERVICE}`,
    ]);
  });

  it('does not mistake a user id for a SKU or the other way round', () => {
    expect(excludedPairs([exclusionRuleAdded('user', SALES), exclusionRuleAdded('identifier', 'alice')])).toEqual([]);
  });
});
