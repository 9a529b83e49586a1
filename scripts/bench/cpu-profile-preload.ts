import { appendFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * Loaded with --require into a service the bench profiles: starts V8's sampling profiler at
 * once and writes BENCH_CPU_PROFILE on SIGUSR2 (then `<file>.done`), because the service
 * exits on SIGTERM through Nest's shutdown hooks, before --cpu-prof would write anything.
 */
const file = process.env.BENCH_CPU_PROFILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable', () =>
    session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
  );
  // Live allocations by stack (what the heap holds at the end, garbage not yet collected included).
  session.post('HeapProfiler.enable', () => session.post('HeapProfiler.startSampling', { samplingInterval: 65_536 }));
  process.on('SIGUSR2', () => {
    session.post('HeapProfiler.stopSampling', (heapError, heap) => {
      if (!heapError) writeFileSync(file.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(heap.profile));
      session.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(file, JSON.stringify(result.profile));
        writeFileSync(`${file}.done`, '');
      });
    });
  });
}

/** With BENCH_MEMORY_LOG, a line of process.memoryUsage() every 250 ms, to see which phase sets the peak. */
const memoryLog = process.env.BENCH_MEMORY_LOG;
if (memoryLog) {
  const started = Date.now();
  setInterval(() => {
    const m = process.memoryUsage();
    appendFileSync(
      memoryLog,
      `${JSON.stringify({ t: Date.now() - started, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`,
    );
  }, 250).unref();
}
