// Which attach licenses a user's base license qualifies for, as data with its sources (DESIGN.md "Rules the
// conclusions follow", Consolidation). The Dynamics 365 Licensing Guide lists, for each base license, the
// products that qualify as attach licenses ("Base licenses and cost savings opportunities for attach
// licenses", Licensing Guide Nov 2021 p.6; the table "qualifying products for each base license"). Its full
// matrix could not be read verbatim (reference/licensing.md section 6), so only the pairs that a source below
// states, and that the project's rule allows, are listed:
// - Customer Engagement apps attach to Customer Engagement bases, finance and operations apps to finance and
//   operations bases; the two families do not attach to each other, and Business Central neither takes nor
//   gives an attach here (DESIGN.md). The guides do show cross-family offers (a Customer Service Professional
//   attach on a Finance or Commerce base, Nov 2021 p.6; a June 2022 copy of the table has Commerce and Finance
//   rows with Customer Engagement columns; Sales or Customer Service attach on a Business Central base,
//   licensing.md 2b). They are left out on purpose until the current table is read: a suggestion to buy an
//   attach the user's base does not qualify for would make the tenant non-compliant, while a missed one only
//   costs the saving. Adding a rule here is how such a pair would be allowed.
// - "Enterprise and Professional licenses may not be mixed" (Licensing Guide Nov 2021 p.6, rule R5): a
//   Professional app attaches only to a Professional base, an Enterprise app only to an Enterprise-tier base.
// - Team Members, tenant and capacity licenses are never a base (rule R6, licensing.md 2c): none is listed.
// Government editions are left out: no source pairs them, and Microsoft's list has no Government attach SKU.
// A pair is keyed by skuPartNumber as this catalog spells it (catalog.data.ts); test/catalog checks every
// name is a catalog base or attach SKU of the rule's family.

import type { ProductFamily } from './catalog.types';

export interface AttachRule {
  /** Names the rule in explanations and tests. */
  readonly id: string;
  readonly family: ProductFamily;
  /** Base licenses (skuPartNumber) that qualify. */
  readonly bases: readonly string[];
  /** Attach licenses (skuPartNumber) a user holding one of `bases` may buy at the attach price. */
  readonly attaches: readonly string[];
  /** Where the pairs come from, with the date of each source. */
  readonly source: string;
}

const LICENSING_GUIDE_NOV_2021 =
  'Dynamics 365 Licensing Guide, November 2021, p.6 "Base licenses and cost savings opportunities for attach ' +
  'licenses" and "Enterprise and Professional licenses may not be mixed" ' +
  '(copy at https://issuu.com/dynamicssquare/docs/dynamics_365_licensing_guide_-_nov_2021/6; ' +
  'current guide: https://go.microsoft.com/fwlink/?LinkId=866544)';

export const ATTACH_RULES: readonly AttachRule[] = Object.freeze([
  {
    id: 'customer-engagement-enterprise',
    family: 'customer-engagement',
    bases: [
      'DYN365_ENTERPRISE_SALES',
      'DYN365_SALES_PREMIUM',
      'DYN365_ENTERPRISE_RELATIONSHIP_SALES',
      'DYN365_ENTERPRISE_CUSTOMER_SERVICE',
      'DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE',
      'DYN365_ENTERPRISE_FIELD_SERVICE',
    ],
    attaches: ['D365_SALES_ENT_ATTACH', 'D365_CUSTOMER_SERVICE_ENT_ATTACH', 'D365_FIELD_SERVICE_ATTACH'],
    source:
      `${LICENSING_GUIDE_NOV_2021}; the Enterprise apps as each other's attach: Sales Enterprise base + Customer ` +
      'Service attach, https://thenegotiationexperts.com/blog/dynamics-365-licensing-sales-service/ (undated, ' +
      'post-Oct-2024); Field Service attach on a qualifying base, https://flectic.com/learn/field-service-pricing ' +
      '(2026); Sales Premium among the base rows of the Licensing Guide June 2022 base/attach table (copy at ' +
      'scribd.com/document/633332846, read as extracted text); reference/licensing.md sections 2a, 2b, 4',
  },
  {
    id: 'customer-engagement-professional',
    family: 'customer-engagement',
    bases: ['D365_SALES_PRO', 'DYN365_CUSTOMER_SERVICE_PRO'],
    attaches: ['D365_SALES_PRO_ATTACH', 'D365_CUSTOMER_SERVICE_PRO_ATTACH'],
    source:
      `${LICENSING_GUIDE_NOV_2021}: Professional attach licenses on Professional bases only ` +
      '(reference/licensing.md section 2b, "Professional-tier base: only Professional attach")',
  },
  {
    id: 'finance-and-operations',
    family: 'finance-operations',
    bases: [
      'DYN365_FINANCE',
      'DYN365_SCM',
      'Dynamics_365_Supply_Chain_Management_Premium',
      'DYN365_RETAIL',
      'DYN365_PROJECT_OPERATIONS',
    ],
    attaches: [
      'DYN365_FINANCE_ATTACH',
      'DYN365_SCM_ATTACH',
      'DYN365_HUMAN_RESOURCES_ATTACH',
      'DYN365_PROJECT_OPERATIONS_ATTACH',
    ],
    source:
      'Learn "Unified licensing FAQ" for finance and operations apps, ' +
      'https://learn.microsoft.com/dynamics365/fin-ops-core/fin-ops/sysadmin/finops-unified-licensing-faq ' +
      '(ms.date 2025-04-15): one base per user and attach licenses for further workloads, e.g. Supply Chain ' +
      'Management base + Finance attach; base tiers Commerce/Finance/SCM above HR/Project Operations (the price ' +
      "rule keeps the higher tier as base). Commerce base + Finance and HR attach: the brief's ServiceNow " +
      'consolidation example (reference/licensing.md sections 1, 2b)',
  },
]);

const key = (partNumber: string): string => partNumber.trim().toUpperCase();

const ALLOWED: ReadonlySet<string> = new Set(
  ATTACH_RULES.flatMap((rule) => rule.bases.flatMap((base) => rule.attaches.map((a) => `${key(base)}|${key(a)}`))),
);

/** Whether a user who keeps `baseSkuPartNumber` as base may buy `attachSkuPartNumber` at the attach price. */
export function attachQualifies(baseSkuPartNumber: string, attachSkuPartNumber: string): boolean {
  return ALLOWED.has(`${key(baseSkuPartNumber)}|${key(attachSkuPartNumber)}`);
}
