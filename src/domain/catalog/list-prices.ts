// Public list prices, USD per user per month on annual commitment, each with its source and the source's date.
// Taken from reference/licensing.md section 5 ("Current list price" column) and section 4 (attach prices).
// microsoft.com pricing pages could not be opened directly; where only a third-party copy or partner site
// gives the figure, the source string says so. Where sources disagree, the newest dated figure is used.

import type { Price } from './catalog.types';

const usd = (amount: number, source: string, asOf: string): Price => ({ amount, currency: 'USD', source, asOf });

const SALES_PAGE =
  'https://www.microsoft.com/en-us/dynamics-365/products/sales/pricing (copy harvested 2026-08-13 in ' +
  'api-evangelist/microsoft-dynamics-365-sales plans/microsoft-dynamics-365-sales-plans-pricing.yml)';
const BUSINESS_CENTRAL_PAGE =
  'https://www.microsoft.com/en-us/dynamics-365/products/business-central/pricing (read verbatim 2026-09-20 in ' +
  'api-evangelist/microsoft-dynamics-365-business-central plans/microsoft-dynamics-365-business-central-plans-pricing.yml)';
const FLECTIC_CUSTOMER_SERVICE =
  'https://flectic.com/learn/customer-service-guide (2026, "$50/$105/$195 tier ladder"); also ' +
  'https://thenegotiationexperts.com/blog/dynamics-365-licensing-sales-service/ (undated, post-2024)';
const FLECTIC_FIELD_SERVICE =
  "https://flectic.com/learn/field-service-pricing (2026, citing Microsoft's Field Service pricing page)";
const FLECTIC_FINANCE_OPERATIONS =
  'https://flectic.com/learn/finance-ops-pricing (2026, "Microsoft USD list pricing, billed yearly")';
const LICENSING_GUIDE_MARCH_2026 =
  'Dynamics 365 Licensing Guide March 2026 worked example (BC Premium base + $20 CE attach), ' +
  'https://cdn-dynmedia-1.microsoft.com/is/content/microsoftcorp/microsoft/bade/documents/products-and-services/en-us/bizapps/Dynamics-365-Licensing-Guide-March-2026-PUB.pdf ' +
  '(quoted second-hand, PDF not opened)';
// No post-Oct-2024 figure was found for F&O attach (licensing.md section 6); $30 is the 2019 price.
const FINANCE_OPERATIONS_ATTACH =
  'https://www.encorebusiness.com/blog/d365-finance-and-operations-license-pricing/ (undated page quoting ' +
  'Microsoft Inspire 2019 prices: base $180 + attach $30; asOf is that 2019 price date) and ' +
  'https://www.powerplatformtips.com/licensing-guides/dynamics-finance-operations.html (undated)';
const POWER_APPS =
  'https://licensing.guide/what-should-power-apps-per-app-customers-do-now (2026-01-14, quoting a Microsoft ' +
  'partner alert); also https://samexpert.com/power-apps-per-app-plan-retired (2026)';

export const LIST_PRICES = {
  salesProfessional: usd(65, SALES_PAGE, '2026-08-13'),
  // microsoftnegotiations.com gives $95 as "March 2026 EA pricing"; the pricing-page copy is newer.
  salesEnterprise: usd(105, SALES_PAGE, '2026-08-13'),
  // microsoftnegotiations.com gives $135 as "March 2026 EA pricing"; the pricing-page copy is newer.
  salesPremium: usd(150, SALES_PAGE, '2026-08-13'),
  customerServiceProfessional: usd(50, FLECTIC_CUSTOMER_SERVICE, '2026'),
  // microsoftnegotiations.com gives ~$95 (2025-2026); two 2026 sources give $105.
  customerServiceEnterprise: usd(105, FLECTIC_CUSTOMER_SERVICE, '2026'),
  fieldService: usd(105, FLECTIC_FIELD_SERVICE, '2026'),
  fieldServiceContractor: usd(50, FLECTIC_FIELD_SERVICE, '2026'),
  teamMembers: usd(
    8,
    'Dynamics 365 Licensing Guide March 2021 as quoted at https://syncratec.com/dynamics-365-team-members-license-use-rights/ ' +
      '(page undated); 2026 third-party guides still give ~$8 (https://www.redresscompliance.com/microsoft-dynamics-365-licensing-guide.html)',
    '2021-03',
  ),
  finance: usd(210, FLECTIC_FINANCE_OPERATIONS, '2026'),
  supplyChainManagement: usd(210, FLECTIC_FINANCE_OPERATIONS, '2026'),
  supplyChainManagementPremium: usd(300, FLECTIC_FINANCE_OPERATIONS, '2026'),
  commerce: usd(210, 'https://flectic.com/learn/commerce (2026)', '2026'),
  projectOperations: usd(135, 'https://flectic.com/learn/project-operations (2026)', '2026'),
  // The March 2026 Licensing Guide example still uses $100 for BC Premium (pre-Oct-2025); the page copy is newer.
  businessCentralEssentials: usd(80, BUSINESS_CENTRAL_PAGE, '2026-09-20'),
  businessCentralPremium: usd(110, BUSINESS_CENTRAL_PAGE, '2026-09-20'),
  businessCentralTeamMembers: usd(8, BUSINESS_CENTRAL_PAGE, '2026-09-20'),
  powerAppsPremium: usd(20, POWER_APPS, '2026-01-14'),
  // End of sale for new customers on 2026-01-02 (not for CSP); existing customers renew at this price.
  powerAppsPerApp: usd(5, POWER_APPS, '2026-01-14'),

  // Attach prices (licensing.md section 4).
  customerEngagementEnterpriseAttach: usd(20, LICENSING_GUIDE_MARCH_2026, '2026-03'),
  fieldServiceAttach: usd(20, FLECTIC_FIELD_SERVICE, '2026'),
  financeOperationsAttach: usd(30, FINANCE_OPERATIONS_ATTACH, '2019'),
} as const satisfies Record<string, Price>;
