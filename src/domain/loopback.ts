/**
 * Whether a host name or address can only be reached from this machine. One predicate for the two places that
 * ask: the server's `HOST` (listening beyond loopback without an owner would let the first visitor claim the
 * account) and provider base URLs (`URL.hostname`, where loopback is allowed only with the sandbox on). They
 * spell IPv6 differently — `HOST=::1` is bare, `URL.hostname` is `[::1]` — so both forms are accepted.
 */
import net from 'node:net';

function isLoopbackIpv4(address: string): boolean {
  return net.isIPv4(address) && address.startsWith('127.');
}

/** An IPv6 address as sockets take it: `[::1]` (the URL spelling) becomes `::1`; anything else is unchanged. */
export function withoutBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * True for `localhost` and names under `.localhost` (RFC 6761 keeps them on this machine), 127.0.0.0/8, `::1`
 * and IPv4-mapped 127.0.0.0/8 (`::ffff:127.0.0.1`), IPv6 with or without brackets and in any spelling
 * (`0:0:0:0:0:0:0:1`). Not `0.0.0.0` or `::`: those listen on every interface.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isLoopbackIpv4(name)) return true;
  const bare = withoutBrackets(name);
  if (!net.isIPv6(bare)) return false;
  // URL writes every IPv6 spelling one way (compressed, an embedded IPv4 in hex), so one comparison covers them.
  const canonical = new URL(`http://[${bare}]/`).hostname;
  return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
}
