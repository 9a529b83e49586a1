import { loadConfig } from '../../src/config/config';

const keys = { SAM_API_KEYS: 'admin:0123456789abcdef0123' };

describe('the hardening settings', () => {
  it('default to the contract and to safe values', () => {
    expect(loadConfig(keys)).toMatchObject({
      allowedWebhookHosts: [],
      docs: 'public',
      sseMaxConnections: 100,
      authFailures: { limit: 10, windowMs: 60_000 },
      trustProxy: false,
      keepLinkMarginDays: 7,
      keepKeyRotationDays: 30,
      instanceLeaseMs: 360_000,
      reclaimSweepMs: 60_000,
      reclaimWaitMs: 30_000,
      asOfMaxConcurrent: 2,
    });
  });

  it('read what an operator writes', () => {
    expect(
      loadConfig({
        ...keys,
        SAM_ALLOWED_WEBHOOK_HOSTS: 'Hooks.Internal, 10.0.0.7, [fd00::1]',
        SAM_DOCS: 'key',
        SAM_SSE_MAX_CONNECTIONS: '5',
        SAM_AUTH_FAILURE_LIMIT: '3',
        SAM_AUTH_FAILURE_WINDOW_SECONDS: '600',
        SAM_TRUST_PROXY: 'loopback, 10.0.0.0/8',
        SAM_INSTANCE_ID: 'ledger-eu-1',
        SAM_INSTANCE_LEASE_SECONDS: '60',
        SAM_RECLAIM_SWEEP_SECONDS: '15',
        SAM_RECLAIM_WAIT_SECONDS: '5',
        SAM_ASOF_MAX_CONCURRENT: '4',
      }),
    ).toMatchObject({
      allowedWebhookHosts: ['hooks.internal', '10.0.0.7', '[fd00::1]'],
      docs: 'key',
      sseMaxConnections: 5,
      authFailures: { limit: 3, windowMs: 600_000 },
      trustProxy: 'loopback, 10.0.0.0/8',
      instanceId: 'ledger-eu-1',
      instanceLeaseMs: 60_000,
      reclaimSweepMs: 15_000,
      reclaimWaitMs: 5_000,
      asOfMaxConcurrent: 4,
    });
    expect(loadConfig({ ...keys, SAM_TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it.each([
    [{ SAM_ALLOWED_WEBHOOK_HOSTS: 'ok.example, bad host' }, 'SAM_ALLOWED_WEBHOOK_HOSTS: "bad host" is not a host name'],
    [{ SAM_DOCS: 'private' }, 'SAM_DOCS: "private" is not one of public|key|off'],
    [{ SAM_SSE_MAX_CONNECTIONS: '0' }, 'SAM_SSE_MAX_CONNECTIONS: 0 is outside 1..100000'],
    [{ SAM_TRUST_PROXY: 'everyone; rm -rf' }, 'SAM_TRUST_PROXY: must be off, on, a hop count'],
    [{ SAM_INSTANCE_ID: 'a b' }, 'SAM_INSTANCE_ID: may hold only letters, digits'],
    [{ SAM_INSTANCE_LEASE_SECONDS: '5' }, 'SAM_INSTANCE_LEASE_SECONDS: 5 is outside 15..86400'],
    [{ SAM_RECLAIM_SWEEP_SECONDS: '0' }, 'SAM_RECLAIM_SWEEP_SECONDS: 0 is outside 1..3600'],
    [{ SAM_RECLAIM_WAIT_SECONDS: 'soon' }, 'SAM_RECLAIM_WAIT_SECONDS'],
    [{ SAM_ASOF_MAX_CONCURRENT: '0' }, 'SAM_ASOF_MAX_CONCURRENT: 0 is outside 1..64'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig({ ...keys, ...env })).toThrow(message);
  });
});
