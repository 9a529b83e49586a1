import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ApiClient } from '../../src/demo/api-client';
import { sleep } from './processes';

/**
 * A report-only measurement of issue 14 (latency, filtered read, EventStoreDB): no target, so it
 * is not a row of the generated figures table. Each writes its own block in BENCHMARKS.md,
 * between `bench:<id>` markers, and its numbers into the JSON.
 */
export interface ExtraSection {
  readonly id: string;
  readonly title: string;
  /** Markdown: a line on what was run, then a table. */
  readonly markdown: string;
  readonly data: Record<string, unknown>;
}

const start = (id: string) => `<!-- bench:${id}:start (written by npm run bench; edit outside these markers) -->`;
const end = (id: string) => `<!-- bench:${id}:end -->`;

/** Replaces each section's own block (appended at the end the first time); the rest of the file is kept. */
export function writeSections(path: string, sections: readonly ExtraSection[], header: string): void {
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  for (const section of sections) {
    const block = `${start(section.id)}\n${header}\n\n${section.markdown}\n${end(section.id)}`;
    const from = text.indexOf(start(section.id));
    const to = text.indexOf(end(section.id));
    text =
      from >= 0 && to > from
        ? `${text.slice(0, from)}${block}${text.slice(to + end(section.id).length)}`
        : `${text.trimEnd()}\n\n### ${section.title}\n\n${block}\n`;
  }
  writeFileSync(path, text);
}

export interface TimedRun {
  readonly ms: number;
  readonly summary: Record<string, unknown>;
}

/** A job from its command until its run reads `succeeded` (as jobs.step.ts times figures 1-3). */
export async function runJob(api: ApiClient, profileId: string, job: string): Promise<TimedRun> {
  const started = performance.now();
  const { runId } = await api.post(`/profiles/${profileId}/jobs/${job}/runs`);
  for (let failures = 0; ;) {
    let run;
    try {
      run = await api.get(`/job-runs/${runId}`);
      failures = 0;
    } catch (error) {
      if (++failures > 5) throw error;
      await sleep(200);
      continue;
    }
    if (run.status === 'succeeded') return { ms: performance.now() - started, summary: run.summary };
    if (run.status === 'failed') throw new Error(`${job} failed: ${JSON.stringify(run.error)}`);
    await sleep(20);
  }
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
