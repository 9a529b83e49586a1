import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Why an address may not receive a webhook; null when it is an ordinary public address. */
export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'carrier-grade-nat'
  | 'link-local'
  | 'metadata'
  | 'unique-local'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'invalid';

/**
 * IANA's special-purpose registries (RFC 6890 and successors): every range that is not an
 * ordinary public unicast address. Cloud metadata services sit inside them (169.254.169.254
 * in link-local, fd00:ec2::254 in unique-local, 100.100.100.200 in CGNAT, 192.0.0.192 in
 * IETF assignments) and are named on their own so an operator sees why.
 */
const V4: readonly [string, number, AddressClass][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade-nat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.31.196.0', 24, 'reserved'],
  ['192.52.193.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['192.175.48.0', 24, 'reserved'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const V4_METADATA = ['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192'];

const V6: readonly [string, number, AddressClass][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b:1::', 48, 'reserved'],
  ['100::', 64, 'reserved'],
  ['2001::', 23, 'reserved'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['5f00::', 16, 'reserved'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'reserved'],
  ['ff00::', 8, 'multicast'],
];
const V6_METADATA = ['fd00:ec2::254', 'fd20:ce::254'];

function blockLists(rows: readonly [string, number, AddressClass][], type: 'ipv4' | 'ipv6') {
  const lists = new Map<AddressClass, BlockList>();
  for (const [network, prefix, kind] of rows) {
    let list = lists.get(kind);
    if (!list) lists.set(kind, (list = new BlockList()));
    list.addSubnet(network, prefix, type);
  }
  return [...lists.entries()];
}

const V4_LISTS = blockLists(V4, 'ipv4');
const V6_LISTS = blockLists(V6, 'ipv6');

/**
 * Classifies an IP address given in its standard text form (URL hosts already are: the
 * WHATWG parser turns `2130706433`, `0x7f.1` and `017700000001` into `127.0.0.1`). An IPv6
 * address that carries an IPv4 one (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64
 * `64:ff9b::/96`, 6to4 `2002::/16`) is judged by the IPv4 address it reaches.
 */
export function classifyAddress(address: string): AddressClass | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare)) return classifyV4(bare);
  if (!isIPv6(bare)) return 'invalid';
  const words = ipv6Words(bare);
  if (!words) return 'invalid';
  const embedded = embeddedIPv4(words);
  if (embedded) return classifyV4(embedded);
  const canonical = words.map((w) => w.toString(16)).join(':');
  if (V6_METADATA.some((m) => sameV6(m, words))) return 'metadata';
  for (const [kind, list] of V6_LISTS) if (list.check(canonical, 'ipv6')) return kind;
  return null;
}

function classifyV4(address: string): AddressClass | null {
  if (V4_METADATA.includes(address)) return 'metadata';
  if (address === '255.255.255.255') return 'reserved';
  for (const [kind, list] of V4_LISTS) if (list.check(address, 'ipv4')) return kind;
  return null;
}

/** The IPv4 address an IPv6 one stands for, when it stands for one. */
function embeddedIPv4(w: readonly number[]): string | null {
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && w[5] === 0xffff) return v4(w[6]!, w[7]!); // ::ffff:a.b.c.d (mapped)
  if (zeros(0, 6) && (w[6] !== 0 || w[7]! > 1)) return v4(w[6]!, w[7]!); // ::a.b.c.d (compatible)
  if (w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6)) return v4(w[6]!, w[7]!); // NAT64 well-known prefix
  if (w[0] === 0x2002) return v4(w[1]!, w[2]!); // 6to4
  return null;
}

function sameV6(text: string, words: readonly number[]): boolean {
  const other = ipv6Words(text);
  return other !== null && other.every((w, i) => w === words[i]);
}

/** Eight 16-bit words from any valid IPv6 text (compressed, with a dotted IPv4 tail). */
export function ipv6Words(text: string): number[] | null {
  let head = text;
  let tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const octets = dotted[1]!.split('.').map(Number);
    if (octets.some((o) => o > 255)) return null;
    tail = [(octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!];
    head = text.slice(0, -dotted[1]!.length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const gap = head.indexOf('::');
  let words: number[];
  if (gap >= 0) {
    const left = parse(head.slice(0, gap));
    const right = parse(head.slice(gap + 2));
    const fill = 8 - left.length - right.length - tail.length;
    if (fill < 0) return null;
    words = [...left, ...new Array<number>(fill).fill(0), ...right, ...tail];
  } else {
    words = [...parse(head), ...tail];
  }
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}
