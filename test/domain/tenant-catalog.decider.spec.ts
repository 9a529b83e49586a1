import { tenantCatalogDecider } from '../../src/domain/tenant/tenant-catalog.decider';
import { deciderSpec } from '../support/decider-spec';

const profileId = '0f7c4f1e-9d4b-4a8f-a2a1-3a6f1c2b9d10';
const ruleId = 'b0000000-0000-4000-8000-000000000001';
const at = '2026-11-26T03:00:00.000Z';
const spec = deciderSpec(tenantCatalogDecider);
const ruleCreated = {
  type: 'ReclamationRuleCreated',
  data: {
    profileId,
    ruleId,
    skuId: '1e1a282c-9c54-43a2-9310-98ef728faace',
    skuPartNumber: 'DYN365_ENTERPRISE_SALES',
    inactivityDays: 60,
    enabled: true,
    notify: false,
    graceDays: 14,
    activityBasis: 'app-and-common',
    createdAt: at,
  },
} as const;

describe('tenant catalog: rules and prices', () => {
  it('a rule change records the whole rule after the change', () => {
    spec
      .given([ruleCreated])
      .when({ type: 'ChangeReclamationRule', data: { ruleId, changes: { inactivityDays: 30 }, at } })
      .then([
        {
          type: 'ReclamationRuleChanged',
          data: {
            profileId,
            ruleId,
            skuPartNumber: 'DYN365_ENTERPRISE_SALES',
            inactivityDays: 30,
            enabled: true,
            notify: false,
            graceDays: 14,
            activityBasis: 'app-and-common',
            changedAt: at,
          },
        },
      ]);
  });
  it('the activity basis is part of the rule', () =>
    spec
      .given([ruleCreated])
      .when({ type: 'ChangeReclamationRule', data: { ruleId, changes: { activityBasis: 'app' }, at } })
      .thenMatch([{ type: 'ReclamationRuleChanged', data: { activityBasis: 'app', inactivityDays: 60 } }]));
  it('a change that changes nothing records nothing; an unknown rule is not found', () => {
    spec
      .given([ruleCreated])
      .when({
        type: 'ChangeReclamationRule',
        data: { ruleId, changes: { inactivityDays: 60, enabled: undefined }, at },
      })
      .then([]);
    spec
      .given([])
      .when({ type: 'ChangeReclamationRule', data: { ruleId, changes: { enabled: false }, at } })
      .thenThrows('reclamation-rule-not-found');
  });
  it('a notifying rule needs grace days', () => {
    spec
      .given([ruleCreated])
      .when({ type: 'ChangeReclamationRule', data: { ruleId, changes: { notify: true, graceDays: 0 }, at } })
      .thenThrows('grace-required');
  });
  it('overrides a price (a null price too), repeats nothing, removes only an existing override', () => {
    const price = { amount: 95, currency: 'USD', source: 'EA', asOf: '2026-11-26' };
    const set = spec
      .given([])
      .when({ type: 'OverrideListPrice', data: { profileId, skuPartNumber: 'DYN365_ENTERPRISE_SALES', price, at } })
      .events();
    expect(set).toEqual([
      {
        type: 'ListPriceOverridden',
        data: { profileId, skuPartNumber: 'DYN365_ENTERPRISE_SALES', price, overriddenAt: at },
      },
    ]);
    spec
      .given(set)
      .when({ type: 'OverrideListPrice', data: { profileId, skuPartNumber: 'DYN365_ENTERPRISE_SALES', price, at } })
      .then([]);
    spec
      .given(set)
      .when({
        type: 'OverrideListPrice',
        data: { profileId, skuPartNumber: 'DYN365_ENTERPRISE_SALES', price: null, at },
      })
      .thenMatch([{ data: { price: null } }]);
    spec
      .given([])
      .when({ type: 'RemoveListPriceOverride', data: { profileId, skuPartNumber: 'X', at } })
      .thenThrows('no-price-override');
    spec
      .given(set)
      .when({ type: 'RemoveListPriceOverride', data: { profileId, skuPartNumber: 'DYN365_ENTERPRISE_SALES', at } })
      .thenMatch([{ type: 'ListPriceOverrideRemoved' }]);
  });
});

describe('tenant catalog: entitlements entered by hand', () => {
  const skuId = '1e1a282c-9c54-43a2-9310-98ef728faace';
  const model = {
    type: 'SoftwareModelCreated',
    data: {
      profileId,
      skuId,
      skuPartNumber: 'DYN365_ENTERPRISE_SALES',
      name: 'Sales Enterprise',
      licenseType: 'base',
      activityTracked: true,
      activityNeeded: 'sales',
      createdAt: at,
    },
  } as const;
  const enter = (purchased: number) =>
    ({
      type: 'EnterEntitlement',
      data: { profileId, skuPartNumber: 'dyn365_enterprise_sales', purchased, source: 'EA', at },
    }) as const;

  it('enters licenses owned for a software model, once per change', () => {
    const entered = spec.given([model]).when(enter(40)).events();
    expect(entered).toEqual([
      {
        type: 'EntitlementEntered',
        data: {
          profileId,
          skuId,
          skuPartNumber: 'dyn365_enterprise_sales',
          purchased: 40,
          source: 'EA',
          enteredAt: at,
        },
      },
    ]);
    spec
      .given([model, ...entered])
      .when(enter(40))
      .then([]);
    spec
      .given([model, ...entered])
      .when({ type: 'RemoveEntitlementEntry', data: { profileId, skuPartNumber: 'DYN365_ENTERPRISE_SALES', at } })
      .thenMatch([{ type: 'EntitlementEntryRemoved', data: { skuId } }]);
  });
  it('refuses a SKU that is not a software model, and removing an entry that does not exist', () => {
    spec.given([]).when(enter(1)).thenThrows('software-model-not-found');
    spec
      .given([model])
      .when({ type: 'RemoveEntitlementEntry', data: { profileId, skuPartNumber: 'DYN365_ENTERPRISE_SALES', at } })
      .thenThrows('no-entitlement-entry');
  });
});
