import { useEffect, useRef, useState } from 'preact/hooks';
import { liveEvents, type LiveStatus } from '../api/events';
import { profilePath } from '../api/client';
import type { JobInfo, JobRun } from '../api/types';
import { useConsole } from '../ui/context';
import { count, dateTime } from '../ui/format';
import { Show, useLoad } from '../ui/load';

type Progress = NonNullable<JobRun['progress']>;

/** The profile's jobs and runs, updating live from the event stream; admins can run a job now. */
export function JobsView() {
  const { api, profile, canCommand } = useConsole();
  const data = useLoad(
    async (signal) => {
      const [jobs, runs] = await Promise.all([
        api.get<{ items: JobInfo[] }>(profilePath(profile.id, '/jobs'), signal),
        api.get<{ items: JobRun[] }>(profilePath(profile.id, '/job-runs?limit=50'), signal),
      ]);
      return { jobs: jobs.items, runs: runs.items };
    },
    [profile.id],
  );
  const [live, setLive] = useState<LiveStatus>('connecting');
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const [message, setMessage] = useState<{ text: string; tone: 'ok' | 'error' } | null>(null);
  const reloadSoon = useThrottled(data.reload, 250);

  useEffect(() => {
    const stream = liveEvents(
      api,
      (event) => {
        if (!event.type.startsWith('JobRun') || event.data.profileId !== profile.id) return;
        if (event.type === 'JobRunProgressed') {
          const d = event.data as { runId: string } & Progress;
          setProgress((p) => ({ ...p, [d.runId]: { phase: d.phase, done: d.done, total: d.total } }));
        }
        reloadSoon();
      },
      setLive,
    );
    return () => stream.close();
  }, [api, profile.id]);

  const run = async (job: string) => {
    setMessage(null);
    try {
      const started = await api.post<{ runId: string }>(profilePath(profile.id, `/jobs/${job}/runs`));
      setMessage({ text: `${job} queued (run ${started.runId.slice(0, 8)})`, tone: 'ok' });
      data.reload();
    } catch (error) {
      setMessage({ text: `${job} could not start: ${(error as Error).message}`, tone: 'error' });
    }
  };

  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <p class={`live ${live}`} role="status" aria-live="polite">
        {live === 'live'
          ? 'Live: runs update as they happen'
          : live === 'connecting'
            ? 'Connecting to live updates…'
            : 'Live updates interrupted; reconnecting…'}
      </p>
      {message ? (
        <p class={message.tone === 'error' ? 'error' : 'outcome'} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
      <Show value={data.value} what="the jobs">
        {({ jobs, runs }) => (
          <>
            <table class="data" aria-label="Scheduled jobs">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Next run</th>
                  {canCommand ? <th scope="col">Action</th> : null}
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <tr key={job.job}>
                    <th scope="row" id={`job-${job.job}`}>
                      {job.job}
                    </th>
                    <td>{job.schedule}</td>
                    <td>{dateTime(job.nextRunAt)}</td>
                    {canCommand ? (
                      <td>
                        <button
                          type="button"
                          disabled={profile.status !== 'published'}
                          aria-describedby={`job-${job.job}`}
                          onClick={() => run(job.job)}
                        >
                          Run now
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Runs</h2>
            {runs.length === 0 ? <p>No run yet.</p> : null}
            <table class="data" aria-label="Job runs, newest first">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Started</th>
                  <th scope="col">Finished</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.runId} data-run={r.runId} data-status={r.status}>
                    <th scope="row">{r.job}</th>
                    <td>
                      <span class={`badge ${r.status}`}>{r.status}</span>
                    </td>
                    <td>{progressText(r.status === 'running' ? (progress[r.runId] ?? r.progress) : r.progress)}</td>
                    <td>{dateTime(r.startedAt)}</td>
                    <td>{dateTime(r.finishedAt)}</td>
                    <td>{r.error ? `${r.error.cause}: ${r.error.message}` : summaryText(r.summary)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Show>
    </section>
  );
}

function progressText(p: Progress | null | undefined): string {
  if (!p) return '—';
  return `${p.phase}: ${count(p.done)}${p.total !== null ? ` of ${count(p.total)}` : ''}`;
}

function summaryText(summary: Record<string, unknown> | null): string {
  if (!summary) return '—';
  return Object.entries(summary)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? count(v) : String(v)}`)
    .join(', ');
}

/** At most one reload per interval however many events arrive (a download appends many a second). */
function useThrottled(action: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return () => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      action();
    }, ms);
  };
}
