/** The navigation, in the order the contract names it. */
export const ROUTES = [
  { path: 'position', name: 'Position' },
  { path: 'low-usage', name: 'Low usage' },
  { path: 'consolidation', name: 'Consolidation' },
  { path: 'downgrade', name: 'Downgrade' },
  { path: 'coverage', name: 'Coverage' },
  { path: 'jobs', name: 'Jobs' },
  { path: 'users', name: 'Users' },
  { path: 'exports', name: 'Exports' },
  { path: 'profiles', name: 'Profiles' },
] as const;

export type RoutePath = (typeof ROUTES)[number]['path'];

export function currentRoute(): RoutePath {
  const path = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (ROUTES.find((r) => r.path === path)?.path ?? 'position') as RoutePath;
}
