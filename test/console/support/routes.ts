/** The navigation names API.md fixes, in its order. */
export const ROUTE_NAMES = [
  'Position',
  'Low usage',
  'Consolidation',
  'Downgrade',
  'Coverage',
  'Jobs',
  'Users',
  'Exports',
  'Profiles',
] as const;
