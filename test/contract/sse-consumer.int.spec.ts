import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { publicProfileBody } from '../support/bodies';
import { until } from '../support/sandbox-app';
import { KEYS, startTestApp, type TestApp } from '../support/test-app';

/**
 * The worked consumer of docs/consumers.md, run for real: a child process against the
 * service over HTTP, stopped, restarted, killed. What a downstream team needs from it:
 * every event handled exactly once, in log order, and a restart that continues after the
 * stored position instead of starting over.
 */
const REPO = resolve(__dirname, '..', '..');

interface RunningConsumer {
  output(): string;
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

function startConsumer(t: TestApp, stateDir: string, transport: string): RunningConsumer {
  const child = spawn(
    process.execPath,
    ['-r', './test/support/register-ts.js', 'scripts/consumers/sse-consumer.ts', '--transport', transport],
    {
      cwd: REPO,
      env: { ...process.env, LEDGER_URL: t.url, LEDGER_API_KEY: KEYS.consumer, CONSUMER_STATE_DIR: stateDir },
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { output: () => output, stop: (signal) => (child.kill(signal), exited) };
}

/** Each profile is two events: ProfileDrafted, ProfileUpdated. */
async function appendProfiles(t: TestApp, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const created = await t
      .as('admin')
      .post('/api/v1/profiles')
      .send(publicProfileBody({ displayName: `${prefix}${i}` }));
    await t
      .as('admin')
      .patch(`/api/v1/profiles/${created.body.id}`)
      .send({ displayName: `${prefix}${i} renamed` });
  }
}

/**
 * Every start and stop of the service also writes its instance lease (`instance-` stream);
 * the counts below are about the profile events the test appends, so those are left out
 * on both sides (the consumer handles them like any other event).
 */
const isLease = (type: string): boolean => type.startsWith('InstanceLease');

const sinkLines = (stateDir: string): { position: string; type: string }[] => {
  const file = join(stateDir, 'events.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((l: { type: string }) => !isLease(l.type))
    : [];
};
const storedPosition = (stateDir: string): string => JSON.parse(readFileSync(join(stateDir, 'position.json'), 'utf8'));
const handledIn = (output: string): string[] =>
  [...output.matchAll(/^handled (\d+) (\S+)/gm)].filter((m) => !isLease(m[2]!)).map((m) => m[1]!);

async function logPositions(t: TestApp): Promise<string[]> {
  const page = await t.as('consumer').get('/api/v1/events?limit=1000');
  return page.body.items.filter((e: { type: string }) => !isLease(e.type)).map((e: { position: string }) => e.position);
}

describe.each(['fetch', 'eventsource'])('the SSE consumer over %s', (transport) => {
  let t: TestApp;
  let appDir: string;
  let stateDir: string;
  beforeEach(async () => {
    appDir = mkdtempSync(join(tmpdir(), 'll-app-'));
    t = await startTestApp({ dir: appDir, sseHeartbeatMs: 100 });
    stateDir = mkdtempSync(join(tmpdir(), 'll-consumer-'));
  });
  afterEach(async () => {
    await t.close();
    rmSync(appDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('stopped and restarted, handles every event exactly once in order, resuming after its stored position', async () => {
    await appendProfiles(t, 'A', 3);
    const first = startConsumer(t, stateDir, transport);
    await until(() => sinkLines(stateDir).length === 6, 20_000);
    expect(await first.stop('SIGTERM')).toBe(0);
    const stoppedAt = storedPosition(stateDir);
    expect(first.output()).toContain(`stopped after ${stoppedAt}`);

    await appendProfiles(t, 'B', 3); // while nobody listens
    const second = startConsumer(t, stateDir, transport);
    await until(() => sinkLines(stateDir).length === 12, 20_000);
    await appendProfiles(t, 'C', 2); // live
    await until(() => sinkLines(stateDir).length === 16, 20_000);
    expect(await second.stop('SIGTERM')).toBe(0);

    const all = await logPositions(t);
    expect(all).toHaveLength(16);
    expect(sinkLines(stateDir).map((l) => l.position)).toEqual(all);
    expect(storedPosition(stateDir)).toBe(all[15]);
    expect(second.output().split('\n')[0]).toBe(`resuming after ${stoppedAt} (${transport})`);
    // Nothing at or before the stored position was delivered again.
    expect(handledIn(second.output())).toEqual(all.slice(6));
    expect(second.output()).not.toContain('skipped replay');
  }, 60_000);

  it('killed mid-stream, restarts without losing or duplicating an effect', async () => {
    await appendProfiles(t, 'K', 20);
    const doomed = startConsumer(t, stateDir, transport);
    await until(() => sinkLines(stateDir).length >= 5, 20_000);
    await doomed.stop('SIGKILL'); // usually mid-burst; sometimes between an effect and its checkpoint
    const killedAt = storedPosition(stateDir);
    await appendProfiles(t, 'L', 5);

    const again = startConsumer(t, stateDir, transport);
    await until(() => sinkLines(stateDir).length === 50, 20_000);
    expect(await again.stop('SIGTERM')).toBe(0);
    expect(again.output().split('\n')[0]).toBe(`resuming after ${killedAt} (${transport})`);
    expect(sinkLines(stateDir).map((l) => l.position)).toEqual(await logPositions(t));
  }, 60_000);

  it('follows the service through a restart on its own, without gap or duplicate', async () => {
    await appendProfiles(t, 'R', 2);
    const consumer = startConsumer(t, stateDir, transport);
    await until(() => sinkLines(stateDir).length === 4, 20_000);
    const port = Number(new URL(t.url).port);
    await t.close(); // ends the stream: the consumer must reconnect from its position
    t = await startTestApp({ dir: appDir, port, sseHeartbeatMs: 100 });
    await appendProfiles(t, 'S', 2);
    await until(() => sinkLines(stateDir).length === 8, 30_000);
    expect(await consumer.stop('SIGTERM')).toBe(0);
    expect(sinkLines(stateDir).map((l) => l.position)).toEqual(await logPositions(t));
    expect(consumer.output()).not.toContain('skipped replay');
  }, 60_000);
});
