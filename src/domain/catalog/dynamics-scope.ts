// Whether a SKU the catalog does not know is still a Dynamics 365 or Power Platform product, so that new
// Microsoft SKUs are listed as unrecognised identifiers instead of being dropped (DESIGN.md, "subscription
// identifier"). The rule, in order:
// 1. A part number of a known Office / Microsoft 365 / EMS / Entra / Windows / Teams / Project / Visio /
//    Power BI family is out of scope. (Power BI is not in the product's scope: see licensing.md section 7.)
// 2. A part number that names Dynamics 365 or Power Platform (DYN365, D365, Dynamics, CRM, Power Apps, Flow,
//    Power Automate, Power Pages, Copilot Studio / Power Virtual Agents, CDS, Project Operations, Customer
//    Voice) is in scope.
// 3. Otherwise the service plans decide: in scope when at least one plan is a dedicated Dynamics or Power plan
//    and no plan anchors a productivity suite (mailbox, Teams, Office apps, Intune, Entra ID premium, Windows).
//    The Power Apps / Flow / Dataverse / Copilot Studio use rights that Microsoft seeds into Office, Microsoft
//    365, Teams and Project (POWERAPPS_O365_P2, FLOW_O365_P2, DYN365_CDS_PROJECT, ...) are not dedicated plans,
//    so Office 365 E3 (ENTERPRISEPACK) and Microsoft 365 E5 (SPE_E5) stay out even though they carry them.
// A "mostly Dynamics plans" majority rule was rejected: real Dynamics SKUs carry SharePoint, Project Essentials
// and Exchange Foundation plans too, so their Dynamics plans are often fewer than half.

const OFFICE_SUITE_PART_NUMBER =
  /^(ENTERPRISEPACK|ENTERPRISEPREMIUM|ENTERPRISEWITHSCAL|STANDARDPACK|STANDARDWOFFPACK|DESKLESSPACK|DEVELOPERPACK|O365_|M365|MICROSOFT_365|SPE_|SPB$|EMS|AAD_|OFFICESUBSCRIPTION|SMB_|EXCHANGE|SHAREPOINT|MCO|TEAMS|MICROSOFT_TEAMS|WIN10|WIN_|WINDOWS|INTUNE|PROJECTPREMIUM|PROJECTPROFESSIONAL|PROJECTESSENTIALS|PROJECT_P1|PROJECT_PLAN|VISIO|POWER_BI|PBI_|IDENTITY_THREAT|ATP_|THREAT_INTELLIGENCE|RIGHTSMANAGEMENT|INFORMATION_PROTECTION|DEFENDER|MDATP)/i;

const DYNAMICS_OR_POWER_NAME =
  /(^|_)(DYN365|D365|DYNAMICS|DYN_)|^CRM|POWER[_ ]?APPS|POWERFLOW|^FLOW_|POWER[_ ]?AUTOMATE|POWER[_ ]?PAGES|POWER[_ ]VIRTUAL|VIRTUAL_AGENT|COPILOT_STUDIO|CCIBOTS|^(DYN365_)?CDS|PROJECT_OPERATIONS|FORMS_PRO|CUSTOMER_VOICE/i;

/** Plans Microsoft includes in Office, Microsoft 365, Teams and Project: use rights, not a Dynamics product. */
const SEEDED_USE_RIGHTS_PLAN =
  /O365|M365|(^|_)E[1-5](_|$)|(^|_)TEAMS(_|\d|$)|FOR_PROJECT|CDS_PROJECT(?!_OPERATIONS)|PROJECT_P\d|MS_INVOICING/i;

/** Plans that make a SKU a productivity or security suite. */
const SUITE_ANCHOR_PLAN =
  /^(EXCHANGE_S_(STANDARD|ENTERPRISE|DESKLESS|ESSENTIALS)|TEAMS1|MCOSTANDARD|MCOEV|OFFICESUBSCRIPTION|OFFICE_BUSINESS|O365_SB_|INTUNE_A|AAD_PREMIUM|WIN10_|WINDOWS_|WINDEFATP|MDE_)/i;

const isDedicatedPlan = (plan: string): boolean =>
  DYNAMICS_OR_POWER_NAME.test(plan) && !SEEDED_USE_RIGHTS_PLAN.test(plan);

export interface SkuIdentity {
  readonly skuPartNumber: string;
  readonly servicePlanNames?: readonly string[] | null;
}

/** Pattern rule only (steps 1-3 above); catalog.ts checks the catalog first. */
export function looksDynamicsOrPowerPlatform({ skuPartNumber, servicePlanNames }: SkuIdentity): boolean {
  const partNumber = skuPartNumber.trim();
  if (OFFICE_SUITE_PART_NUMBER.test(partNumber)) return false;
  if (DYNAMICS_OR_POWER_NAME.test(partNumber)) return true;
  const plans = servicePlanNames ?? [];
  if (plans.some((plan) => SUITE_ANCHOR_PLAN.test(plan))) return false;
  return plans.some(isDedicatedPlan);
}
