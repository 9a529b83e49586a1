import { classifyAddress } from '../../src/webhooks/address-policy';
import { WebhookRefused, WebhookTargets, type ResolvedAddress } from '../../src/webhooks/webhook-targets';

/** The host a URL parser makes of what a client typed: how the guard sees every webhook URL. */
const hostOf = (typed: string) => new URL(`https://${typed}/hook`).hostname;

describe('which addresses a webhook may reach', () => {
  it.each([
    // [typed in the URL, why it is refused]
    ['127.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['2130706433', 'loopback'], // decimal
    ['0x7f000001', 'loopback'], // hex
    ['0x7f.0.0.1', 'loopback'],
    ['017700000001', 'loopback'], // octal
    ['0177.0.0.1', 'loopback'],
    ['[::1]', 'loopback'],
    ['[0:0:0:0:0:0:0:1]', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'], // IPv4-mapped
    ['[::ffff:7f00:1]', 'loopback'],
    ['[::127.0.0.1]', 'loopback'], // IPv4-compatible
    ['[64:ff9b::7f00:1]', 'loopback'], // NAT64
    ['[2002:7f00:1::]', 'loopback'], // 6to4
    ['0.0.0.0', 'unspecified'],
    ['0', 'unspecified'],
    ['[::]', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['3232235777', 'private'], // 192.168.1.1 in decimal
    ['[::ffff:192.168.1.1]', 'private'],
    ['[::ffff:a00:1]', 'private'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['169.254.1.1', 'link-local'],
    ['[fe80::1]', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['2852039166', 'metadata'], // 169.254.169.254 in decimal
    ['0xa9fea9fe', 'metadata'],
    ['[::ffff:169.254.169.254]', 'metadata'],
    ['[::ffff:a9fe:a9fe]', 'metadata'],
    ['[fd00:ec2::254]', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['[fd12:3456::1]', 'unique-local'],
    ['224.0.0.1', 'multicast'],
    ['[ff02::1]', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['[2001:db8::1]', 'documentation'],
    ['[2001::1]', 'reserved'], // Teredo
  ])('%s is %s', (typed, kind) => {
    expect(classifyAddress(hostOf(typed))).toBe(kind);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '[2606:4700::1111]',
    '[2a00:1450:4001::200e]',
  ])('%s is public', (typed) => {
    expect(classifyAddress(hostOf(typed))).toBeNull();
  });
});

describe('the webhook URL guard', () => {
  /** A resolver that answers from a table and counts the questions. */
  const table = (answers: Record<string, string[]>) => {
    const asked: string[] = [];
    const resolve = async (host: string): Promise<ResolvedAddress[]> => {
      asked.push(host);
      const found = answers[host];
      if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    return { resolve, asked };
  };
  const refused = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof WebhookRefused) return error.message;
      throw error;
    }
    throw new Error('it was not refused');
  };

  it('accepts https to a host that resolves to public addresses only, and pins the first', async () => {
    const dns = table({ 'hooks.contoso.com': ['93.184.215.14', '2606:4700::1111'] });
    const target = await new WebhookTargets([], dns.resolve).check('https://hooks.contoso.com/license-ledger');
    expect(target.pinned).toEqual({ address: '93.184.215.14', family: 4 });
    expect(target.host).toBe('hooks.contoso.com');
    expect(dns.asked).toEqual(['hooks.contoso.com']);
  });

  it('refuses a name that resolves to an inside address, even when it also resolves outside', async () => {
    const dns = table({
      'rebind.example.com': ['93.184.215.14', '10.0.0.5'],
      'metadata.example.com': ['169.254.169.254'],
      'v6.example.com': ['::ffff:127.0.0.1'],
    });
    const targets = new WebhookTargets([], dns.resolve);
    expect(await refused(targets.check('https://rebind.example.com/'))).toMatch(/private address \(10\.0\.0\.5\)/);
    expect(await refused(targets.check('https://metadata.example.com/'))).toMatch(/metadata address/);
    expect(await refused(targets.check('https://v6.example.com/'))).toMatch(/loopback/);
  });

  it('refuses without asking DNS what is wrong on its face', async () => {
    const dns = table({});
    const targets = new WebhookTargets([], dns.resolve);
    for (const [url, problem] of [
      ['http://hooks.contoso.com/', /must use https/],
      ['ftp://hooks.contoso.com/', /must use https/],
      ['https://user:pass@hooks.contoso.com/', /credentials/],
      ['https://localhost/', /loopback/],
      ['https://app.localhost./', /loopback/],
      ['https://2130706433/', /loopback/],
      ['https://[::ffff:169.254.169.254]/', /metadata/],
      ['https://intranet/', /fully qualified/],
      ['not a url', /absolute URL/],
    ] as const) {
      expect(targets.problemWithoutDns(url)).toMatch(problem);
      expect(await refused(targets.check(url))).toMatch(problem);
    }
    expect(dns.asked).toEqual([]);
  });

  it('an unknown name is refused too (a typo is caught when the URL is saved)', async () => {
    expect(await refused(new WebhookTargets([], table({}).resolve).check('https://hooks.nowhere.test/'))).toMatch(
      /does not resolve \(ENOTFOUND\)/,
    );
  });

  it('SAM_ALLOWED_WEBHOOK_HOSTS lets a listed host be inside and use http, matched as the URL parser writes it', async () => {
    const dns = table({ 'hooks.internal': ['10.0.0.7'] });
    const targets = new WebhookTargets(['127.0.0.1', 'hooks.internal', '[::1]'], dns.resolve);
    expect((await targets.check('http://127.0.0.1:8080/x')).pinned).toEqual({ address: '127.0.0.1', family: 4 });
    expect((await targets.check('http://2130706433/x')).pinned).toEqual({ address: '127.0.0.1', family: 4 });
    expect((await targets.check('http://[::1]:9/x')).pinned).toEqual({ address: '::1', family: 6 });
    expect((await targets.check('https://HOOKS.internal./x')).pinned).toEqual({ address: '10.0.0.7', family: 4 });
    expect(await refused(targets.check('http://127.0.0.2/x'))).toMatch(/must use https/);
    expect(dns.asked).toEqual(['hooks.internal']);
  });
});
