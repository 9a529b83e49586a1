/**
 * Who works in the generated company and which Dynamics licenses that job comes with. Weights are
 * percentages of generated users; `secondBase` is what the ~10% of users with two base apps get.
 */
export interface Persona {
  readonly name: string;
  readonly weight: number;
  readonly department: string;
  readonly jobTitles: readonly string[];
  readonly skus: readonly string[];
  readonly secondBase: readonly (readonly string[])[];
  /** An attach SKU some of them already have instead of a second base. */
  readonly attach?: string;
  readonly powerApps: number;
  readonly powerAutomate: number;
}

export const PERSONAS: readonly Persona[] = [
  p(
    'sales',
    18,
    'Sales',
    ['Account Executive', 'Sales Manager', 'Key Account Manager'],
    ['DYN365_ENTERPRISE_SALES'],
    [['DYN365_ENTERPRISE_CUSTOMER_SERVICE']],
    'D365_CUSTOMER_SERVICE_ENT_ATTACH',
  ),
  p(
    'sales-pro',
    7,
    'Sales',
    ['Inside Sales Representative', 'Sales Associate'],
    ['D365_SALES_PRO'],
    [['DYN365_CUSTOMER_SERVICE_PRO']],
  ),
  p(
    'sales-premium',
    3,
    'Sales',
    ['Regional Sales Director', 'Sales Operations Lead'],
    ['DYN365_SALES_PREMIUM'],
    [['DYN365_ENTERPRISE_CUSTOMER_SERVICE']],
  ),
  p(
    'relationship-sales',
    2,
    'Sales',
    ['Relationship Manager'],
    ['DYN365_ENTERPRISE_RELATIONSHIP_SALES'],
    [['DYN365_ENTERPRISE_CUSTOMER_SERVICE']],
  ),
  p(
    'service',
    14,
    'Customer Service',
    ['Service Agent', 'Support Engineer', 'Service Desk Lead'],
    ['DYN365_ENTERPRISE_CUSTOMER_SERVICE'],
    [['DYN365_ENTERPRISE_SALES'], ['DYN365_ENTERPRISE_FIELD_SERVICE']],
    'D365_SALES_ENT_ATTACH',
  ),
  p('service-pro', 6, 'Customer Service', ['Support Associate'], ['DYN365_CUSTOMER_SERVICE_PRO'], [['D365_SALES_PRO']]),
  p(
    'sales-and-service',
    2,
    'Customer Success',
    ['Customer Success Manager'],
    ['DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE'],
    [],
  ),
  p(
    'field-service',
    4,
    'Field Operations',
    ['Field Technician', 'Dispatcher'],
    ['DYN365_ENTERPRISE_FIELD_SERVICE'],
    [['DYN365_ENTERPRISE_CUSTOMER_SERVICE']],
  ),
  p('team-member', 12, 'Operations', ['Coordinator', 'Analyst', 'Assistant'], ['DYN365_TEAM_MEMBERS'], []),
  p(
    'finance',
    4,
    'Finance',
    ['Accountant', 'Controller', 'Financial Analyst'],
    ['DYN365_FINANCE'],
    [['DYN365_SCM'], ['DYN365_SCM', 'DYN365_RETAIL']],
    'DYN365_SCM_ATTACH',
  ),
  p('supply-chain', 3, 'Supply Chain', ['Buyer', 'Planner', 'Warehouse Manager'], ['DYN365_SCM'], [['DYN365_FINANCE']]),
  p(
    'commerce',
    2,
    'Retail',
    ['Store Manager', 'Merchandiser'],
    ['DYN365_RETAIL'],
    [['DYN365_FINANCE'], ['DYN365_FINANCE', 'DYN365_SCM']],
  ),
  p(
    'project',
    3,
    'Professional Services',
    ['Project Manager', 'Consultant'],
    ['DYN365_PROJECT_OPERATIONS'],
    [['DYN365_FINANCE']],
  ),
  p('maker', 8, 'IT', ['Power Platform Developer', 'Business Analyst'], ['POWERAPPS_PER_USER'], [], undefined, 0, 0.9),
  p('office', 12, 'Administration', ['Office Manager', 'HR Generalist', 'Legal Counsel'], [], [], undefined, 0.3, 0.4),
];

function p(
  name: string,
  weight: number,
  department: string,
  jobTitles: readonly string[],
  skus: readonly string[],
  secondBase: readonly (readonly string[])[],
  attach?: string,
  powerApps = 0.7,
  powerAutomate = 0.85,
): Persona {
  return { name, weight, department, jobTitles, skus, secondBase, attach, powerApps, powerAutomate };
}

const TOTAL_WEIGHT = PERSONAS.reduce((sum, persona) => sum + persona.weight, 0);

export function personaAt(fraction: number): Persona {
  let remaining = fraction * TOTAL_WEIGHT;
  for (const persona of PERSONAS) {
    remaining -= persona.weight;
    if (remaining < 0) return persona;
  }
  return PERSONAS[PERSONAS.length - 1]!;
}

/** Which app a SKU's activity counts for, mirroring the product's own rule set (DESIGN.md). */
export type ActivityArea = 'sales' | 'service' | 'field' | 'common' | 'access';

const AREAS: Readonly<Record<string, readonly ActivityArea[]>> = {
  DYN365_ENTERPRISE_SALES: ['sales'],
  D365_SALES_PRO: ['sales'],
  DYN365_SALES_PREMIUM: ['sales'],
  DYN365_ENTERPRISE_RELATIONSHIP_SALES: ['sales'],
  D365_SALES_ENT_ATTACH: ['sales'],
  DYN365_SALES_AGENT_2027: ['sales'],
  DYN365_ENTERPRISE_CUSTOMER_SERVICE: ['service'],
  DYN365_CUSTOMER_SERVICE_PRO: ['service'],
  D365_CUSTOMER_SERVICE_ENT_ATTACH: ['service'],
  DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE: ['sales', 'service'],
  DYN365_ENTERPRISE_FIELD_SERVICE: ['field', 'service'],
  DYN365_TEAM_MEMBERS: ['common'],
};

export function activityAreas(skuPartNumbers: Iterable<string>): Set<ActivityArea> {
  const areas = new Set<ActivityArea>(['access']);
  for (const part of skuPartNumbers) for (const area of AREAS[part] ?? []) areas.add(area);
  return areas;
}
