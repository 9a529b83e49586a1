import type { SandboxApp } from './sandbox-app';
import { until } from './sandbox-app';

/** Create, validate and publish a profile for the sandbox; returns its id. */
export async function publishedProfile(
  s: SandboxApp,
  overrides: Parameters<SandboxApp['sandbox']['profileBody']>[0] = {},
): Promise<string> {
  const created = await s.t.as('admin').post('/api/v1/profiles').send(s.sandbox.profileBody(overrides));
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const validated = await s.t.as('admin').post(`/api/v1/profiles/${id}/validate`);
  if (!validated.body.valid) throw new Error(`validation failed: ${JSON.stringify(validated.body)}`);
  const published = await s.t.as('admin').post(`/api/v1/profiles/${id}/publish`);
  if (published.status !== 200) throw new Error(`publish failed: ${JSON.stringify(published.body)}`);
  return id;
}

/** Starts a job and waits for its run to finish; returns the run. */
export async function runJob(s: SandboxApp, profileId: string, job: string): Promise<Record<string, any>> {
  const started = await s.t.as('admin').post(`/api/v1/profiles/${profileId}/jobs/${job}/runs`);
  if (started.status !== 202) throw new Error(`run failed to start: ${started.status} ${JSON.stringify(started.body)}`);
  return waitForRun(s, started.body.runId);
}

export async function waitForRun(s: SandboxApp, runId: string, timeoutMs = 60_000): Promise<Record<string, any>> {
  return until(async () => {
    const run = await s.t.as('auditor').get(`/api/v1/job-runs/${runId}`);
    return run.body.status === 'succeeded' || run.body.status === 'failed' ? run.body : null;
  }, timeoutMs);
}
