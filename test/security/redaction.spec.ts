import { JsonLogger } from '../../src/logging/logger';
import { redactString, redactUrl, urlHasSecrets } from '../../src/logging/redact';

describe('secrets in URLs', () => {
  it.each([
    ['https://hooks.contoso.com/x?sig=abc&tenant=contoso', 'https://hooks.contoso.com/x?sig=[redacted]&tenant=contoso'],
    [
      'https://h.example/x?token=t&TOKEN=u&api-key=k&code=c#frag',
      'https://h.example/x?token=[redacted]&TOKEN=[redacted]&api-key=[redacted]&code=[redacted]#frag',
    ],
    ['https://user:pa55@h.example/x', 'https://[redacted]@h.example/x'],
    [
      'https://h.example/x?X-Amz-Signature=s&X-Amz-Date=d',
      'https://h.example/x?X-Amz-Signature=[redacted]&X-Amz-Date=d',
    ],
    ['https://h.example/x?client%5Fsecret=s', 'https://h.example/x?client%5Fsecret=[redacted]'],
    ['https://h.example/x?page=2&limit=10', 'https://h.example/x?page=2&limit=10'],
  ])('%s', (raw, shown) => {
    expect(redactUrl(raw)).toBe(shown);
    expect(urlHasSecrets(raw)).toBe(raw !== shown);
  });

  it('inside free text too', () => {
    expect(redactString('POST https://h.example/x?sig=abc failed: ECONNREFUSED')).toBe(
      'POST https://h.example/x?sig=[redacted] failed: ECONNREFUSED',
    );
  });

  it('whatever the scheme: an EventStoreDB connection string in a driver error', () => {
    expect(redactString('connect to esdb+discover://admin:changeit@db.internal:2113?tls=true failed')).toBe(
      'connect to esdb+discover://[redacted]@db.internal:2113?tls=true failed',
    );
  });
});

describe('errors in logs', () => {
  it('keep their stack and cause chain, redacted, at error level', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('info', (l) => lines.push(l));
    const root = Object.assign(new Error('connect ECONNREFUSED for https://h.example/x?sig=root-secret'), {
      code: 'ECONNREFUSED',
    });
    const middle = new Error('token request failed: client_secret=middle-secret', { cause: root });
    const top = new Error('job run failed with Bearer top-secret-token', { cause: middle });
    logger.error('a job failed', { error: top });
    const line = JSON.parse(lines[0]!);
    expect(line.level).toBe('error');
    expect(line.error.stack).toMatch(/^Error: job run failed with Bearer \[redacted\]\n\s+at /);
    expect(line.error.cause.message).toBe('token request failed: client_secret=[redacted]');
    expect(line.error.cause.stack).toMatch(/\n\s+at /);
    expect(line.error.cause.cause.message).toBe('connect ECONNREFUSED for https://h.example/x?sig=[redacted]');
    for (const secret of ['root-secret', 'middle-secret', 'top-secret-token']) expect(lines[0]).not.toContain(secret);
  });

  it('a cause chain that loops ends', () => {
    const lines: string[] = [];
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    new JsonLogger('info', (l) => lines.push(l)).error('loop', { error: a });
    expect(JSON.parse(lines[0]!).error.cause.cause.cause.message).toBe('b');
  });
});
