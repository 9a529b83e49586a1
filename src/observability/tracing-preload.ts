import { startTracing } from './tracing';

// Imported first by main.ts: the HTTP instrumentation must be in place before `http` is used.
startTracing();
