import { JsonLogger } from '../../src/logging/logger';
import { requestContext } from '../../src/logging/request-context';

describe('structured logs', () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, logger: new JsonLogger('debug', (l) => lines.push(l)) };
  };

  it('writes one JSON object per line with the request id of the request being handled', () => {
    const { lines, logger } = capture();
    requestContext.run({ requestId: 'req-1' }, () => logger.info('hello', { profileId: 'p' }));
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'info',
      msg: 'hello',
      requestId: 'req-1',
      profileId: 'p',
      time: expect.any(String),
    });
  });

  it('redacts secrets under secret-sounding keys and inside strings', () => {
    const { lines, logger } = capture();
    logger.warn('token request failed for client_secret=abc123&scope=x', {
      clientSecret: 'shh',
      headers: { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-sig-sig' },
      nested: { refresh_token: 'rt', note: 'sent Bearer abc.def.ghi to graph' },
      credentialRef: 'cred-1',
      hasClientSecret: true,
      error: new Error('AADSTS7000215: bad secret; body client_secret=leaked'),
    });
    const text = lines.join('\n');
    for (const secret of ['abc123', 'shh', 'eyJhbGciOiJIUzI1NiJ9', '"rt"', 'abc.def.ghi', 'leaked'])
      expect(text).not.toContain(secret);
    expect(JSON.parse(lines[0])).toMatchObject({
      credentialRef: 'cred-1',
      hasClientSecret: true,
      error: { message: expect.stringContaining('AADSTS7000215') },
    });
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    new JsonLogger('warn', (l) => lines.push(l)).info('quiet');
    expect(lines).toEqual([]);
  });
});
