/**
 * Which network addresses Tributary never sends data to on a user's say-so (webhook URLs, PostgreSQL destination
 * URLs). A self-hosted product legitimately talks to loopback and private networks (a warehouse on the LAN, a
 * webhook receiver beside it), so those stay allowed; what is refused is what no user target can be: link-local
 * addresses, where clouds serve instance metadata and credentials (169.254.169.254, fd00:ec2::254), the
 * metadata host names, unspecified, multicast and broadcast addresses. Pure: callers resolve names first.
 */
import net from 'node:net';

/** Host names that resolve to a cloud's instance metadata service. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data']);

/** Single addresses of metadata services outside the link-local ranges (Alibaba Cloud, AWS over IPv6). */
const METADATA_ADDRESSES = new Set(['100.100.100.200', 'fd00:ec2::254']);

function ipv4Reason(address: string): string | null {
  const [a, b] = address.split('.').map(Number) as [number, number, number, number];
  if (a === 169 && b === 254) return 'a link-local address (cloud instance metadata lives there)';
  if (a === 0) return 'an unspecified address';
  if (a >= 224 && a <= 239) return 'a multicast address';
  if (address === '255.255.255.255') return 'the broadcast address';
  return null;
}

/** Expands an IPv6 address to eight lower-case groups, so prefixes compare reliably. */
function ipv6Groups(address: string): string[] {
  let text = address.toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}

function ipv6Reason(address: string): string | null {
  const groups = ipv6Groups(address);
  const first = Number.parseInt(groups[0] ?? '0', 16);
  if (groups.every((group) => group === '0')) return 'an unspecified address';
  if ((first & 0xffc0) === 0xfe80) return 'a link-local address (cloud instance metadata lives there)';
  if ((first & 0xff00) === 0xff00) return 'a multicast address';
  // IPv4-mapped (::ffff:a.b.c.d): judged as the IPv4 address it is.
  if (groups.slice(0, 5).every((group) => group === '0') && groups[5] === 'ffff') {
    const high = Number.parseInt(groups[6]!, 16);
    const low = Number.parseInt(groups[7]!, 16);
    return ipv4Reason(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  if (groups.join(':') === 'fd00:ec2:0:0:0:0:0:254') return 'a cloud instance metadata address';
  return null;
}

/**
 * Why `host` (a name or an IP literal, IPv6 with or without brackets) must not be a target, or null when it may.
 * A name is judged by its spelling only; the caller checks what it resolves to with this same function.
 */
export function forbiddenTargetReason(host: string): string | null {
  const bare = host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (METADATA_NAMES.has(bare)) return 'a cloud instance metadata host';
  if (METADATA_ADDRESSES.has(bare)) return 'a cloud instance metadata address';
  const family = net.isIP(bare);
  if (family === 4) return ipv4Reason(bare);
  if (family === 6) return ipv6Reason(bare);
  return null;
}

/** Resolves a host name to every address it has (callers pass `dns.promises.lookup` with `all: true`). */
export type ResolveHost = (host: string) => Promise<string[]>;

/**
 * Why `host` must not be a target, judged by its spelling and then by every address it resolves to (a harmless
 * name can point at 169.254.169.254). A name that does not resolve is left to the connection attempt to report.
 */
export async function resolvedTargetReason(host: string, resolve: ResolveHost): Promise<string | null> {
  const spelled = forbiddenTargetReason(host);
  if (spelled || net.isIP(host.replace(/^\[|\]$/g, '')) !== 0) return spelled;
  const addresses = await resolve(host).catch(() => [] as string[]);
  for (const address of addresses) {
    const reason = forbiddenTargetReason(address);
    if (reason) return `${reason}: ${host} resolves to ${address}`;
  }
  return null;
}
