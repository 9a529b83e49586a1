// Longer than 300 lines: it is data, one entry per SKU, with its sources below.
// Classification of every SKU in MICROSOFT_SKUS, keyed by skuPartNumber (test/catalog checks none is missing
// or extra). Sources:
// - Tracked apps: the product brief (reference/000_4f3a765a4ffc5805.txt, ServiceNow "Integrating with Microsoft
//   Dynamics 365 and Power Apps", Australia, 2026-03-12): Sales Professional/Premium/Enterprise; Customer Service
//   Professional/Enterprise/Enterprise for Government/Professional Attach/Sales and Customer Service Enterprise;
//   Team Members; Microsoft Relationship Sales. Every other SKU has no activity tracking and is never low usage.
// - Base/attach roles and attach SKUs: reference/licensing.md sections 1-3 (rules R1-R9, table 2a).
// - Prices: list-prices.ts (licensing.md sections 4-5); null where no dated public price was found.
// Government SKUs get no price: every source found quotes commercial prices only.

import type { ActivityNeeded, LicenseType, Price, ProductFamily, SkuClassification } from './catalog.types';
import { LIST_PRICES as P } from './list-prices';

interface Options {
  readonly activity?: ActivityNeeded;
  readonly attach?: string;
  readonly price?: Price;
  readonly gov?: boolean;
  readonly trial?: boolean;
}

const classify =
  (licenseType: LicenseType) =>
  (name: string, family: ProductFamily, o: Options = {}): SkuClassification => ({
    name,
    licenseType,
    family,
    activityNeeded: o.activity ?? null,
    attachSkuPartNumber: o.attach ?? null,
    listPrice: o.price ?? null,
    isTrial: o.trial ?? false,
    isGovernment: o.gov ?? false,
  });

const base = classify('base');
const attach = classify('attach');
const addon = classify('addon');
const other = classify('other');
const trial = (name: string, family: ProductFamily, o: Options = {}) => other(name, family, { ...o, trial: true });

const CE: ProductFamily = 'customer-engagement';
const FO: ProductFamily = 'finance-operations';
const BC: ProductFamily = 'business-central';
const PP: ProductFamily = 'power-platform';
const OTHER: ProductFamily = 'other';

export const CATALOG_DATA: Readonly<Record<string, SkuClassification>> = {
  // --- Sales ---------------------------------------------------------------------------------------------------
  D365_SALES_PRO: base('Dynamics 365 Sales Professional', CE, {
    activity: 'sales',
    attach: 'D365_SALES_PRO_ATTACH',
    price: P.salesProfessional,
  }),
  DYN365_ENTERPRISE_SALES: base('Dynamics 365 Sales Enterprise', CE, {
    activity: 'sales',
    attach: 'D365_SALES_ENT_ATTACH',
    price: P.salesEnterprise,
  }),
  // Microsoft's SKU list has no Sales Premium attach SKU, so Premium can only ever be the base.
  DYN365_SALES_PREMIUM: base('Dynamics 365 Sales Premium', CE, { activity: 'sales', price: P.salesPremium }),
  // Bundles Sales Enterprise with LinkedIn Sales Navigator; price is "contact sales" (licensing.md section 5).
  DYN365_ENTERPRISE_RELATIONSHIP_SALES: base('Microsoft Relationship Sales', CE, { activity: 'sales' }),
  // Not tracked: the brief lists only the Professional attach (for Customer Service), no Sales attach SKU.
  D365_SALES_PRO_ATTACH: attach('Dynamics 365 Sales Professional Attach', CE),
  D365_SALES_ENT_ATTACH: attach('Dynamics 365 Sales Enterprise Attach', CE, {
    price: P.customerEngagementEnterpriseAttach,
  }),
  // Not tracked: the brief names a Government edition only for Customer Service Enterprise.
  D365_SALES_PRO_GOV: base('Dynamics 365 Sales Professional for Government', CE, { gov: true }),
  D365_ENTERPRISE_SALES_GOV: base('Dynamics 365 Sales Enterprise for Government', CE, { gov: true }),
  DYN365_ENTERPRISE_SALES_GOV: base('Dynamics 365 Sales Enterprise Edition for Government', CE, { gov: true }),
  D365_SALES_PRO_IW: trial('Dynamics 365 Sales Professional Trial', CE),
  Dynamics_365_Sales_Premium_Viral_Trial: trial('Dynamics 365 Sales Premium Viral Trial', CE),
  // Per-user add-ons on top of Microsoft 365 Copilot or a Sales license, not applications of their own.
  Microsoft_Copilot_for_Sales: addon('Microsoft 365 Copilot for Sales', CE),
  Microsoft_Viva_Sales: addon('Microsoft Sales Copilot (Viva Sales)', CE),
  SOCIAL_ENGAGEMENT_APP_USER: trial('Dynamics 365 AI for Market Insights (Preview)', CE),

  // --- Customer Service and Contact Center ---------------------------------------------------------------------
  DYN365_CUSTOMER_SERVICE_PRO: base('Dynamics 365 Customer Service Professional', CE, {
    activity: 'customerService',
    attach: 'D365_CUSTOMER_SERVICE_PRO_ATTACH',
    price: P.customerServiceProfessional,
  }),
  DYN365_ENTERPRISE_CUSTOMER_SERVICE: base('Dynamics 365 Customer Service Enterprise', CE, {
    activity: 'customerService',
    attach: 'D365_CUSTOMER_SERVICE_ENT_ATTACH',
    price: P.customerServiceEnterprise,
  }),
  // Two Microsoft SKUs carry the brief's "Customer Service Enterprise for Government"; both are tracked.
  D365_ENTERPRISE_CUSTOMER_SERVICE_GOV: base('Dynamics 365 Customer Service Enterprise for Government', CE, {
    activity: 'customerService',
    gov: true,
  }),
  DYN365_ENTERPRISE_CUSTOMER_SERVICE_GOV: base('Dynamics 365 Customer Service Enterprise Edition for Government', CE, {
    activity: 'customerService',
    gov: true,
  }),
  // Tracked: the brief's "Professional Attach to Qualifying Dynamics".
  D365_CUSTOMER_SERVICE_PRO_ATTACH: attach('Dynamics 365 Customer Service Professional Attach', CE, {
    activity: 'customerService',
  }),
  // Not tracked: the brief lists the Professional attach only.
  D365_CUSTOMER_SERVICE_ENT_ATTACH: attach('Dynamics 365 Customer Service Enterprise Attach', CE, {
    price: P.customerEngagementEnterpriseAttach,
  }),
  // No published price and no attach SKU for the bundle.
  DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE: base('Dynamics 365 Sales and Customer Service Enterprise', CE, {
    activity: 'salesOrCustomerService',
  }),
  // Legacy entry-level Customer Service license: a full-user app, but not in the brief's tracked list.
  DYN365_ENTERPRISE_CASE_MANAGEMENT: base('Dynamics 365 Case Management Enterprise', CE),
  D365_ENTERPRISE_CASE_MANAGEMENT_GOV: base('Dynamics 365 Case Management Enterprise for Government', CE, {
    gov: true,
  }),
  DYN365_ENTERPRISE_CASE_MANAGEMENT_GOV: base('Dynamics 365 Case Management Enterprise Edition for Government', CE, {
    gov: true,
  }),
  // Contact Center is a full-user Customer Engagement app (licensing.md section 3, rule R4); no attach SKU exists.
  DYNAMICS_365_CONTACT_CENTER: base('Dynamics 365 Contact Center', CE),
  DYNAMICS_365_CONTACT_CENTER_DIGITAL: base('Dynamics 365 Contact Center Digital', CE),
  DYNAMICS_365_CONTACT_CENTER_VOICE: base('Dynamics 365 Contact Center Voice', CE),
  DYNAMICS_365_CONTACT_CENTER_ADD_ON_FOR_CUSTOMER_SERVICE_ENTERPRISE: addon(
    'Dynamics 365 Contact Center Add-on for Customer Service Enterprise',
    CE,
  ),
  DYNAMICS_365_CONTACT_CENTER_DIGITAL_ADD_ON_FOR_CUSTOMER_SERVICE_ENTERPRISE: addon(
    'Dynamics 365 Contact Center Digital Add-on for Customer Service Enterprise',
    CE,
  ),
  DYNAMICS_365_CONTACT_CENTER_VOICE_ADD_ON_FOR_CUSTOMER_SERVICE_ENTERPRISE: addon(
    'Dynamics 365 Contact Center Voice Add-on for Customer Service Enterprise',
    CE,
  ),
  DYN365_CS_CHAT: addon('Dynamics 365 Customer Service Chat', CE),
  DYN365_CS_CHAT_GOV: addon('Dynamics 365 Customer Service Chat for Government', CE, { gov: true }),
  DYN365_CS_MESSAGING_GOV: addon('Dynamics 365 Customer Service Digital Messaging Add-on for Government', CE, {
    gov: true,
  }),
  DYN365_CS_OC_MESSAGING_VOICE_GOV: addon(
    'Dynamics 365 Customer Service Digital Messaging and Voice Add-in for Government',
    CE,
    { gov: true },
  ),
  DYN365_CS_OC_MESSAGING_VOICE_GOV_TEST: addon(
    'Dynamics 365 Customer Service Digital Messaging and Voice Add-in for Government (Test)',
    CE,
    { gov: true },
  ),
  DYN365_CS_VOICE: addon('Dynamics 365 Customer Service Voice Channel Add-in', CE),
  MESSAGING_GCC_TEST: addon('Dynamics 365 Digital Messaging for GCC (Test)', CE, { gov: true }),
  // Partner demo licenses: not sold to customers.
  Dynamics_365_Customer_Service_Digital_Messaging_Partner_Sandbox: other(
    'Dynamics 365 Customer Service Digital Messaging Partner Sandbox',
    CE,
  ),
  Dynamics_365_Sales_Field_Service_and_Customer_Service_Partner_Sandbox: other(
    'Dynamics 365 Sales, Field Service and Customer Service Partner Sandbox',
    CE,
  ),
  Dynamics_365_Customer_Service_Enterprise_admin_trial: trial(
    'Dynamics 365 Customer Service Enterprise Admin Trial',
    CE,
  ),
  Dynamics_365_Customer_Service_Enterprise_viral_trial: trial(
    'Dynamics 365 Customer Service Enterprise Viral Trial',
    CE,
  ),
  DYN365_AI_SERVICE_INSIGHTS: trial('Dynamics 365 Customer Service Insights Trial', CE),

  // --- Field Service and Project Service Automation ------------------------------------------------------------
  DYN365_ENTERPRISE_FIELD_SERVICE: base('Dynamics 365 Field Service', CE, {
    attach: 'D365_FIELD_SERVICE_ATTACH',
    price: P.fieldService,
  }),
  D365_FIELD_SERVICE_ATTACH: attach('Dynamics 365 Field Service Attach', CE, { price: P.fieldServiceAttach }),
  DYN365_ENTERPRISE_FIELD_SERVICE_GOV: base('Dynamics 365 Field Service Enterprise Edition for Government', CE, {
    gov: true,
  }),
  D365_ENTERPRISE_FIELD_SERVICE_GOV: base('Dynamics 365 Field Service for Government', CE, { gov: true }),
  // Restricted-use license for external contractors; no source lists it as a qualifying base.
  D365_FIELD_SERVICE_CONTRACTOR: other('Dynamics 365 Field Service Contractor', CE, {
    price: P.fieldServiceContractor,
  }),
  D365_FIELD_SERVICE_CONTRACTOR_GOV: other('Dynamics 365 Field Service Contractor for Government', CE, { gov: true }),
  Dynamics_365_Field_Service_Enterprise_viral_trial: trial('Dynamics 365 Field Service Viral Trial', CE),
  CRM_AUTO_ROUTING_ADDON: addon('Dynamics 365 Field Service Resource Scheduling Optimization', CE),
  DYN365_ENTERPRISE_PROJECT_SERVICE_AUTOMATION_GOV: base(
    'Dynamics 365 Project Service Automation Enterprise Edition for Government',
    CE,
    { gov: true },
  ),
  D365_ENTERPRISE_PROJECT_SERVICE_AUTOMATION_GOV: base('Dynamics 365 Project Service Automation for Government', CE, {
    gov: true,
  }),

  // --- Team Members --------------------------------------------------------------------------------------------
  // Light-use license, "not a base for attach licenses" (licensing.md 2c); counts any activity.
  DYN365_TEAM_MEMBERS: other('Dynamics 365 Team Members', CE, { activity: 'any', price: P.teamMembers }),
  DYN365_ENTERPRISE_TEAM_MEMBERS: other('Dynamics 365 Team Members Enterprise Edition', CE, {
    activity: 'any',
    price: P.teamMembers,
  }),
  // Not tracked: where the brief covers a Government edition it names it ("Customer Service Enterprise for
  // Government"); it names none for Team Members, so the Government SKU stays untracked like the Sales ones.
  DYN365_ENTERPRISE_TEAM_MEMBERS_GOV: other('Dynamics 365 Team Members Enterprise Edition for Government', CE, {
    gov: true,
  }),

  // --- Customer Engagement suites and legacy CRM ---------------------------------------------------------------
  // Multi-app suites include Sales, Customer Service and more in one license and predate (or sit outside) the
  // base + attach model; treating them as a base would suggest attaching apps the suite already contains.
  DYN365_ENTERPRISE_PLAN1: other('Dynamics 365 Customer Engagement Plan', CE),
  Dynamics_365_Multi_app_: other('Dynamics 365 Multi-app', CE),
  DYN365_ENTERPRISE_P1_IW: trial('Dynamics 365 P1 Trial for Information Workers', CE),
  CRMSTANDARD: other('Microsoft Dynamics CRM Online (legacy)', CE),
  CRMSTANDARD_GCC: other('Microsoft Dynamics CRM Online for Government (legacy)', CE, { gov: true }),
  CRMPLAN2: other('Microsoft Dynamics CRM Online Basic (legacy)', CE),
  CRMPLAN2_GCC: other('Microsoft Dynamics CRM Online Basic for Government (legacy)', CE, { gov: true }),

  // --- Marketing, Customer Insights, Customer Voice ------------------------------------------------------------
  // Tenant licenses: "tenant and capacity licenses do not qualify as base" (rule R6); their attach offers are
  // tenant-level, so no per-user attachSkuPartNumber is recorded for them.
  DYN365_MARKETING_APP: other('Dynamics 365 Marketing', CE),
  DYN365_MARKETING_APP_ATTACH: attach('Dynamics 365 Marketing Attach', CE),
  DYN365_BUSINESS_MARKETING: other('Dynamics 365 Marketing Business Edition (legacy)', CE),
  D365_MARKETING_USER: other('Dynamics 365 Marketing User', CE),
  DYN365_MARKETING_APPLICATION_ADDON: addon('Dynamics 365 Marketing Additional Application', CE),
  DYN365_MARKETING_SANDBOX_APPLICATION_ADDON: addon('Dynamics 365 Marketing Additional Non-Production Application', CE),
  DYN365_MARKETING_CONTACT_ADDON: addon('Dynamics 365 Marketing Additional Contacts Tier 1', CE),
  DYN365_MARKETING_CONTACT_ADDON_T3: addon('Dynamics 365 Marketing Additional Contacts Tier 3', CE),
  DYN365_MARKETING_CONTACT_ADDON_T5: addon('Dynamics 365 Marketing Additional Contacts Tier 5', CE),
  DYN365_CUSTOMER_INSIGHTS_BASE: other('Dynamics 365 Customer Insights (tenant)', CE),
  DYN365_CUSTOMER_INSIGHTS_ATTACH: attach('Dynamics 365 Customer Insights Attach', CE),
  Dynamics_365_Customer_Insights_Attach_New: attach('Dynamics 365 Customer Insights Attach (new offer)', CE),
  Dynamics_365_Customer_Insights_User_License: other('Dynamics 365 Customer Insights User License', CE),
  Dynamics_365_Customer_Insights_Journeys_T3_Interacted_People: addon(
    'Dynamics 365 Customer Insights - Journeys Interacted People Tier 3',
    CE,
  ),
  DYN365_CUSTOMER_INSIGHTS_VIRAL: trial('Dynamics 365 Customer Insights Viral Trial', CE),
  DYN365_CUSTOMER_VOICE_BASE: other('Dynamics 365 Customer Voice (tenant)', CE),
  DYN365_CUSTOMER_VOICE_ADDON: addon('Dynamics 365 Customer Voice Additional Responses', CE),
  Forms_Pro_AddOn: addon('Dynamics 365 Customer Voice Additional Responses', CE),
  Forms_Pro_USL: other('Dynamics 365 Customer Voice User License', CE),
  FORMS_PRO: trial('Dynamics 365 Customer Voice Trial', CE),

  // --- Customer Engagement capacity, instances, portals --------------------------------------------------------
  CRMSTORAGE: addon('Dynamics 365 Additional Database Storage', CE),
  CRMSTORAGE_GCC: addon('Dynamics 365 Additional Database Storage for Government', CE, { gov: true }),
  CRMINSTANCE: addon('Dynamics 365 Additional Production Instance', CE),
  CRMINSTANCE_GCC: addon('Dynamics 365 Additional Production Instance for Government', CE, { gov: true }),
  CRMTESTINSTANCE: addon('Dynamics 365 Additional Non-Production Instance', CE),
  CRMTESTINSTANCE_GCC: addon('Dynamics 365 Additional Non-Production Instance for Government', CE, { gov: true }),
  CRMTESTINSTANCE_NOPREREQ: addon(
    'Dynamics 365 Additional Non-Production Instance for Government (no prerequisite)',
    CE,
    { gov: true },
  ),
  CRM_ONLINE_PORTAL: addon('Dynamics 365 Additional Portal', CE),
  CRM_ONLINE_PORTAL_GCC: addon('Dynamics 365 Additional Portal for Government', CE, { gov: true }),
  CRM_ONLINE_PORTAL_NOPREREQ: addon('Dynamics 365 Additional Portal for Government (no prerequisite)', CE, {
    gov: true,
  }),
  CRM_HYBRIDCONNECTOR: addon('Dynamics 365 Hybrid Connector', CE),

  // --- Mixed reality -------------------------------------------------------------------------------------------
  GUIDES_USER: other('Dynamics 365 Guides', OTHER),
  Dynamics_365_Guides_vTrial: trial('Dynamics 365 Guides Viral Trial', OTHER),
  MICROSOFT_REMOTE_ASSIST: other('Dynamics 365 Remote Assist', OTHER),
  MICROSOFT_REMOTE_ASSIST_HOLOLENS: other('Dynamics 365 Remote Assist HoloLens', OTHER),

  // --- Finance and Operations ----------------------------------------------------------------------------------
  // Finance / SCM / Commerce are "Base 1", Project Operations / HR "Base 2" in the Learn FAQ (rule R9).
  DYN365_FINANCE: base('Dynamics 365 Finance', FO, { attach: 'DYN365_FINANCE_ATTACH', price: P.finance }),
  DYN365_FINANCE_ATTACH: attach('Dynamics 365 Finance Attach', FO, { price: P.financeOperationsAttach }),
  // Finance attach for the ISV-embedded Project Management & Accounting offer, whose base SKU is not in the list.
  DYN365_FINANCE_ATTACH_ISVEMB_PROJOPS: attach(
    'Dynamics 365 Finance Attach (ISV-embedded Project Management & Accounting)',
    FO,
  ),
  DYN365_SCM: base('Dynamics 365 Supply Chain Management', FO, {
    attach: 'DYN365_SCM_ATTACH',
    price: P.supplyChainManagement,
  }),
  DYN365_SCM_ATTACH: attach('Dynamics 365 Supply Chain Management Attach', FO, { price: P.financeOperationsAttach }),
  // No Supply Chain Management Premium attach SKU exists in Microsoft's list.
  Dynamics_365_Supply_Chain_Management_Premium: base('Dynamics 365 Supply Chain Management Premium', FO, {
    price: P.supplyChainManagementPremium,
  }),
  // No Commerce attach SKU in the Aug-2026 Learn list or the Dec-2025 CSV (licensing.md 2a).
  DYN365_RETAIL: base('Dynamics 365 Commerce', FO, { price: P.commerce }),
  DYN365_RETAIL_TRIAL: trial('Dynamics 365 Commerce Trial', FO),
  // Project Operations belongs to both families; the Learn FAQ lists it with the F&O base apps (licensing.md 3).
  DYN365_PROJECT_OPERATIONS: base('Dynamics 365 Project Operations', FO, {
    attach: 'DYN365_PROJECT_OPERATIONS_ATTACH',
    price: P.projectOperations,
  }),
  DYN365_PROJECT_OPERATIONS_ATTACH: attach('Dynamics 365 Project Operations Attach', FO, {
    price: P.financeOperationsAttach,
  }),
  // Microsoft's list has no standalone Human Resources base SKU, so nothing points at this attach.
  DYN365_HUMAN_RESOURCES_ATTACH: attach('Dynamics 365 Human Resources Attach', FO, {
    price: P.financeOperationsAttach,
  }),
  SKU_Dynamics_365_for_HCM_Trial: trial('Dynamics 365 Talent (Human Resources) Trial', FO),
  // Retired Talent modules (Attract, Onboard); no source places them in base + attach.
  Dynamics_365_Hiring_SKU: other('Dynamics 365 Talent: Attract', FO),
  DYNAMICS_365_ONBOARDING_SKU: other('Dynamics 365 Talent: Onboard', FO),
  // Legacy Unified Operations plan: one license for all F&O apps, predating the Finance / SCM split.
  Dynamics_365_for_Operations: other('Dynamics 365 Unified Operations Plan (legacy)', FO),
  // Light-use license, included under F&O base and attach licenses (rule R9).
  Dyn365_Operations_Activity: other('Dynamics 365 Operations - Activity', FO),
  Dynamics_365_for_Operations_Devices: other('Dynamics 365 Operations - Device', FO),
  Dynamics_365_for_Operations_Sandbox_Tier2_SKU: addon(
    'Dynamics 365 Operations Sandbox Tier 2 (Standard Acceptance Testing)',
    FO,
  ),
  Dynamics_365_for_Operations_Sandbox_Tier4_SKU: addon(
    'Dynamics 365 Operations Sandbox Tier 4 (Standard Performance Testing)',
    FO,
  ),
  DYN365_ASSETMANAGEMENT: addon('Dynamics 365 Asset Management Additional Assets', FO),
  DYN365_IOT_INTELLIGENCE_ADDL_MACHINES: addon(
    'Sensor Data Intelligence Additional Machines Add-in for Supply Chain Management',
    FO,
  ),
  DYN365_IOT_INTELLIGENCE_SCENARIO: addon('Sensor Data Intelligence Scenario Add-in for Supply Chain Management', FO),
  DYN365_REGULATORY_SERVICE: trial('Dynamics 365 Regulatory Service Enterprise Edition Trial', FO),
  AX7_USER_TRIAL: trial('Microsoft Dynamics AX7 User Trial', FO),
  Microsoft_Copilot_for_Finance_trial: trial('Microsoft 365 Copilot for Finance (Preview)', FO),

  // --- Business Central ----------------------------------------------------------------------------------------
  // Business Central "stands alone" (rule R5) except for attach: Sales / Customer Service attach on a BC base.
  // The Essentials-to-attach pairing follows the SKU names; its qualifying bases are undocumented (licensing.md 2a).
  DYN365_BUSCENTRAL_ESSENTIAL: base('Dynamics 365 Business Central Essentials', BC, {
    attach: 'Dynamics_365_Business_Central_Essentials_Attach',
    price: P.businessCentralEssentials,
  }),
  Dynamics_365_Business_Central_Essentials_Attach: attach('Dynamics 365 Business Central Essentials Attach', BC),
  // No Business Central Premium attach SKU exists in Microsoft's list.
  DYN365_BUSCENTRAL_PREMIUM: base('Dynamics 365 Business Central Premium', BC, { price: P.businessCentralPremium }),
  // Not tracked: the brief's Team Members is the Dataverse one; Business Central does not write Dataverse audit.
  DYN365_BUSCENTRAL_TEAM_MEMBER: other('Dynamics 365 Business Central Team Members', BC, {
    price: P.businessCentralTeamMembers,
  }),
  DYN365_FINANCIALS_ACCOUNTANT_SKU: other('Dynamics 365 Business Central External Accountant', BC),
  // Predecessor of Business Central Essentials; retired, so no attach rules apply to it.
  DYN365_FINANCIALS_BUSINESS_SKU: other('Dynamics 365 for Financials Business Edition (legacy)', BC),
  PROJECT_MADEIRA_PREVIEW_IW_SKU: trial('Dynamics 365 Business Central for Information Workers (Preview)', BC),
  DYN365_BUSCENTRAL_ADD_ENV_ADDON: addon('Dynamics 365 Business Central Additional Environment', BC),
  DYN365_BUSCENTRAL_DB_CAPACITY: addon('Dynamics 365 Business Central Database Capacity', BC),

  // --- Power Apps ----------------------------------------------------------------------------------------------
  POWERAPPS_PER_USER: other('Power Apps Premium', PP, { price: P.powerAppsPremium }),
  POWERAPPS_PER_USER_ISVEMB: other('Power Apps Premium (ISV-embedded)', PP),
  POWERAPPS_PER_USER_GCC: other('Power Apps Premium for Government', PP, { gov: true }),
  POWERAPPS_PER_USER_BD_ONLY: other('Power Apps Premium (BD only)', PP),
  // licensing.md prices both per-app SKUs at $5 per user per app.
  POWERAPPS_PER_APP: other('Power Apps per app', PP, { price: P.powerAppsPerApp }),
  POWERAPPS_PER_APP_NEW: other('Power Apps per app (1 app or website)', PP, { price: P.powerAppsPerApp }),
  POWERAPPS_PER_APP_GCC: other('Power Apps per app for Government', PP, { gov: true }),
  POWERAPPS_PER_APP_GCC_NEW: other('Power Apps per app (1 app or website) for Government', PP, { gov: true }),
  POWERAPPS_PER_APP_BD_ONLY_GCC: other('Power Apps per app (BD only) for Government', PP, { gov: true }),
  'Power_Apps_per_app_plan_(1_app_or_portal)_BD_Only_GCC': other(
    'Power Apps per app (1 app or website, BD only) for Government',
    PP,
    { gov: true },
  ),
  // Its service plans are the *_PER_APP_IWTRIAL plans: a trial of per-app access.
  POWERAPPS_PER_APP_IW: trial('Power Apps per app baseline access (IW trial)', PP),
  POWERAPPS_P1_GOV: other('Power Apps Plan 1 for Government', PP, { gov: true }),
  POWERFLOW_P2: other('Microsoft Power Apps Plan 2 (legacy)', PP),
  POWERAPPS_VIRAL: trial('Microsoft Power Apps Plan 2 Trial', PP),
  POWERAPPS_DEV: other('Microsoft Power Apps for Developer', PP),
  POWERAPPS_INDIVIDUAL_USER: other('Power Apps and Logic Flows', PP),
  POWERFLOWGCC_TEST: other('Power Apps and Power Automate GCC Test', PP, { gov: true }),
  POWERAPPS_PORTALS_LOGIN_T2: addon('Power Apps Portals Login Capacity Tier 2', PP),
  POWERAPPS_PORTALS_LOGIN_T2_GCC: addon('Power Apps Portals Login Capacity Tier 2 for Government', PP, { gov: true }),
  POWERAPPS_PORTALS_LOGIN_T3: addon('Power Apps Portals Login Capacity Tier 3', PP),
  POWERAPPS_PORTALS_PAGEVIEW: addon('Power Apps Portals Page View Capacity', PP),
  POWERAPPS_PORTALS_PAGEVIEW_GCC: addon('Power Apps Portals Page View Capacity for Government', PP, { gov: true }),

  // --- Power Automate ------------------------------------------------------------------------------------------
  FLOW_FREE: other('Microsoft Power Automate Free', PP),
  FLOW_P2: other('Microsoft Power Automate Plan 2 (legacy)', PP),
  FLOW_P1_GOV: other('Power Automate Plan 1 for Government', PP, { gov: true }),
  FLOW_PER_USER: other('Power Automate per user', PP),
  FLOW_PER_USER_DEPT: other('Power Automate per user (department)', PP),
  FLOW_PER_USER_GCC: other('Power Automate per user for Government', PP, { gov: true }),
  // Per-flow and per-process plans license a flow or a machine, not a user; still standalone, not add-ons.
  FLOW_BUSINESS_PROCESS: other('Power Automate per flow', PP),
  FLOW_BUSINESS_PROCESS_GCC: other('Power Automate per flow for Government', PP, { gov: true }),
  Power_Automate_per_process: other('Power Automate Process', PP),
  POWERAUTOMATE_ATTENDED_RPA: other('Power Automate Premium', PP),
  POWERAUTOMATE_ATTENDED_RPA_GCC: other('Power Automate Premium for Government', PP, { gov: true }),
  POWERAUTOMATE_UNATTENDED_RPA: addon('Power Automate Unattended RPA Add-on', PP),
  POWERAUTOMATE_UNATTENDED_RPA_GCC: addon('Power Automate Unattended RPA Add-on for Government', PP, { gov: true }),

  // --- Power Pages ---------------------------------------------------------------------------------------------
  // China (21Vianet, _CN_CN) is a sovereign cloud but not a government offer.
  'Power_Pages_authenticated_users_T1_100_users/per_site/month_capacity_pack': addon(
    'Power Pages Authenticated Users T1 Capacity Pack',
    PP,
  ),
  'Power Pages authenticated users T1_CN_CN': addon('Power Pages Authenticated Users T1 Capacity Pack (China)', PP),
  'Power_Pages_authenticated_users_T1_100_users/per_site/month_capacity_pack_GCC': addon(
    'Power Pages Authenticated Users T1 Capacity Pack for GCC',
    PP,
    { gov: true },
  ),
  'Power_Pages_authenticated_users_T1_100_users/per_site/month_capacity_pack_USGOV_DOD': addon(
    'Power Pages Authenticated Users T1 Capacity Pack for DoD',
    PP,
    { gov: true },
  ),
  'Power_Pages_authenticated_users_T1_100_users/per_site/month_capacity_pack_USGOV_GCCHIGH': addon(
    'Power Pages Authenticated Users T1 Capacity Pack for GCC High',
    PP,
    { gov: true },
  ),
  'Power_Pages_authenticated_users_T2_min_100_units_100_users/per_site/month_capacity_pack': addon(
    'Power Pages Authenticated Users T2 Capacity Pack',
    PP,
  ),
  'Power Pages authenticated users T2_CN_CN': addon('Power Pages Authenticated Users T2 Capacity Pack (China)', PP),
  'Power_Pages_authenticated_users_T2_min_100_units_100_users/per_site/month_capacity_pack_GCC': addon(
    'Power Pages Authenticated Users T2 Capacity Pack for GCC',
    PP,
    { gov: true },
  ),
  'Power_Pages_authenticated_users_T2_min_100_units_100_users/per_site/month_capacity_pack_USGOV_DOD': addon(
    'Power Pages Authenticated Users T2 Capacity Pack for DoD',
    PP,
    { gov: true },
  ),
  'Power_Pages_authenticated_users_T2_min_100_units_100_users/per_site/month_capacity_pack_USGOV_GCCHIGH': addon(
    'Power Pages Authenticated Users T2 Capacity Pack for GCC High',
    PP,
    { gov: true },
  ),
  'Power_Pages_authenticated_users_T3_min_1,000_units_100_users/per_site/month_capacity_pack': addon(
    'Power Pages Authenticated Users T3 Capacity Pack',
    PP,
  ),
  'Power Pages authenticated users T3_CN_CN': addon('Power Pages Authenticated Users T3 Capacity Pack (China)', PP),
  'Power_Pages_authenticated_users_T3_min_1,000_units_100_users/per_site/month_capacity_pack_GCC': addon(
    'Power Pages Authenticated Users T3 Capacity Pack for GCC',
    PP,
    { gov: true },
  ),
  'Power_Pages_authenticated_users_T3_min_1,000_units_100_users/per_site/month_capacity_pack_USGOV_DOD': addon(
    'Power Pages Authenticated Users T3 Capacity Pack for DoD',
    PP,
    { gov: true },
  ),
  'Power_Pages_authenticated_users_T3_min_1,000_units_100_users/per_site/month_capacity_pack_USGOV_GCCHIGH': addon(
    'Power Pages Authenticated Users T3 Capacity Pack for GCC High',
    PP,
    { gov: true },
  ),
  Power_Pages_vTrial_for_Makers: trial('Power Pages Viral Trial for Makers', PP),

  // --- Copilot Studio (Power Virtual Agents) -------------------------------------------------------------------
  // Tenant licenses sold as message/session capacity; the per-user USL SKUs only grant authoring access.
  Power_Virtual_Agents: addon('Microsoft Copilot Studio (message capacity)', PP),
  Power_Virtual_Agents_for_GCC_GCC: addon('Microsoft Copilot Studio for GCC (message capacity)', PP, { gov: true }),
  Power_Virtual_Agents_USGOV_GCCHIGH: addon('Microsoft Copilot Studio for GCC High (message capacity)', PP, {
    gov: true,
  }),
  VIRTUAL_AGENT_BASE: addon('Power Virtual Agents (legacy session capacity)', PP),
  VIRTUAL_AGENT_BASE_GCC: addon('Power Virtual Agents for GCC (legacy session capacity)', PP, { gov: true }),
  VIRTUAL_AGENT_USL: other('Microsoft Copilot Studio User License', PP),
  VIRTUAL_AGENT_USL_GCC: other('Microsoft Copilot Studio User License for GCC', PP, { gov: true }),
  VIRTUAL_AGENT_USL_AR_USGOV_GCCHIGH: other('Microsoft Copilot Studio User License for GCC High', PP, { gov: true }),
  CCIBOTS_PRIVPREV_VIRAL: trial('Microsoft Copilot Studio Viral Trial', PP),

  // --- Dataverse and AI Builder capacity -----------------------------------------------------------------------
  CDS_DB_CAPACITY: addon('Dataverse Database Capacity', PP),
  CDS_DB_CAPACITY_GOV: addon('Dataverse Database Capacity for Government', PP, { gov: true }),
  CDS_FILE_CAPACITY: addon('Dataverse File Capacity', PP),
  CDS_LOG_CAPACITY: addon('Dataverse Log Capacity', PP),
  CDSAICAPACITY: addon('AI Builder Capacity Add-on', PP),
};
