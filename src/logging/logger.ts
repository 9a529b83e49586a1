import type { LoggerService } from '@nestjs/common';
import { redact, redactString } from './redact';
import { requestContext } from './request-context';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogSink = (line: string) => void;

/**
 * Structured JSON logs, one object per line: time, level, message, the request id of the
 * request being handled (if any), and redacted fields. Also Nest's LoggerService so the
 * framework's own lines come out the same way.
 */
export class JsonLogger implements Logger, LoggerService {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly sink: LogSink = (line) => process.stdout.write(line + '\n'),
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  child(bindings: Record<string, unknown>): JsonLogger {
    return new JsonLogger(this.level, this.sink, { ...this.bindings, ...bindings });
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }
  warn(message: string, ...rest: unknown[]): void {
    this.write('warn', String(message), fieldsOf(rest));
  }
  error(message: string, ...rest: unknown[]): void {
    this.write('error', String(message), fieldsOf(rest));
  }

  // Nest's LoggerService: log(message, context?), verbose(...), fatal(...). Nest's own
  // chatter (route mapping, module init) is debug; our services log at info and above.
  log(message: unknown, ...rest: unknown[]): void {
    this.write('debug', String(message), fieldsOf(rest));
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', String(message), fieldsOf(rest));
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('error', String(message), fieldsOf(rest));
  }

  private write(level: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void {
    if (RANK[level] < RANK[this.level]) return;
    const requestId = requestContext.getStore()?.requestId;
    const entry = {
      time: new Date().toISOString(),
      level,
      msg: redactString(message),
      ...(requestId ? { requestId } : {}),
      ...(redact({ ...this.bindings, ...fields }) as Record<string, unknown>),
    };
    this.sink(JSON.stringify(entry));
  }
}

/** Our own calls pass one fields object; Nest passes (trace?, context?) strings. */
function fieldsOf(rest: unknown[]): Record<string, unknown> | undefined {
  if (rest.length === 1 && rest[0] && typeof rest[0] === 'object' && !Array.isArray(rest[0]))
    return rest[0] as Record<string, unknown>;
  const strings = rest.filter((r): r is string => typeof r === 'string');
  if (strings.length === 0) return undefined;
  const context = strings[strings.length - 1];
  return strings.length > 1 ? { context, trace: strings[0] } : { context };
}
