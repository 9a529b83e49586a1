/** A valid create-profile body for the public cloud (no network is touched by creating a profile). */
export function publicProfileBody(overrides: Record<string, unknown> = {}) {
  return {
    displayName: 'Contoso production',
    cloud: 'public',
    analyzeActivityFrom: '2026-01-01',
    downloadActivity: true,
    subscriptionConnection: {
      tenantId: '8d0f4c35-1a1e-4a55-9a8f-0c1f0e2d3b4a',
      clientId: 'e5c1b2a3-4d5e-4f60-8a71-b2c3d4e5f607',
      clientSecret: 'graph-app-secret-Qz8~value',
    },
    activityConnection: {
      environmentUrl: 'https://contoso.crm.dynamics.com',
      permissionType: 'application',
      clientId: 'e5c1b2a3-4d5e-4f60-8a71-b2c3d4e5f607',
      clientSecret: 'dynamics-app-secret-Xy7~value',
    },
    ...overrides,
  };
}
