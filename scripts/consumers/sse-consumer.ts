import { join } from 'node:path';
import { consumeWithEventSource } from './sse-eventsource';
import { consumeWithFetch, type SseOptions } from './sse-fetch';
import { FileCheckpoint, JsonlSink, stopSignal } from './support';

/**
 * A downstream consumer of License Ledger's Server-Sent Events that resumes where it left
 * off. Every event is written once to <state>/events.jsonl; the position of the last one
 * handled is in <state>/position.json.
 *
 *   LEDGER_URL=http://127.0.0.1:3000 LEDGER_API_KEY=<consumer key> CONSUMER_STATE_DIR=./data/consumer \
 *     node dist/scripts/consumers/sse-consumer.js [--transport eventsource|fetch]
 *
 * Ctrl+C (or SIGTERM) stops it after the event in hand; run it again and it continues
 * after the last event it handled, however many were appended in between.
 */
async function main(): Promise<void> {
  const baseUrl = process.env.LEDGER_URL ?? 'http://127.0.0.1:3000';
  const apiKey = process.env.LEDGER_API_KEY;
  if (!apiKey) throw new Error('set LEDGER_API_KEY to a key with the consumer role');
  const stateDir = process.env.CONSUMER_STATE_DIR ?? './data/consumer';
  const transport = process.argv.includes('--transport')
    ? process.argv[process.argv.indexOf('--transport') + 1]
    : 'eventsource';
  if (transport !== 'eventsource' && transport !== 'fetch') throw new Error('--transport is eventsource or fetch');

  const checkpoint = new FileCheckpoint<string>(join(stateDir, 'position.json'));
  const sink = await JsonlSink.open(join(stateDir, 'events.jsonl'));
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  log(`resuming after ${(await checkpoint.load()) ?? 'the beginning'} (${transport})`);

  const options: SseOptions = {
    baseUrl,
    apiKey,
    checkpoint,
    signal: stopSignal(),
    log,
    // The handler: an idempotent effect. The caller saves the position after it returns.
    handle: async (event) =>
      log(`${(await sink.write(event)) ? 'handled' : 'skipped replay'} ${event.position} ${event.type}`),
  };
  await (transport === 'fetch' ? consumeWithFetch(options) : consumeWithEventSource(options));
  log(`stopped after ${(await checkpoint.load()) ?? 'nothing'}`);
}

main().catch((error) => {
  process.stderr.write(`consumer failed: ${(error as Error).message}\n`);
  process.exit(1);
});
