import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { promises as dns } from 'node:dns';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may be sent. Without this, a webhook's stored outcome per delivery turned the
 * booking system into a port scanner of the theatre's own network (issue 18, low 1): an editor
 * entered `http://169.254.169.254/` or `http://2130706433:5432/` and read what answered.
 *
 * Only addresses ipaddr.js ranks `unicast` (public) are allowed: loopback, link-local, private,
 * unique-local, CGNAT, multicast, broadcast, unspecified, reserved and the IPv6 forms that carry
 * an IPv4 address (IPv4-mapped, 6to4, NAT64, Teredo) are not. Decimal, hex and octal spellings
 * of IPv4 are read by the WHATWG URL parser (`http://0x7f.1/` is `127.0.0.1`) before the check,
 * and IPv4-mapped IPv6 is unwrapped by `ipaddr.process`.
 */

/** Whether an IP address (any spelling ipaddr.js reads) is a public one. */
export const isPublicAddress = (address: string): boolean => {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return false;
  try {
    return ipaddr.process(bare).range() === 'unicast';
  } catch {
    return false;
  }
};

/** Whether a URL's host is an IP address literal (then no lookup happens when connecting). */
const ipLiteral = (hostname: string): string | null => {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(bare) ? bare : null;
};

/** Names that always mean this machine, whatever DNS says (RFC 6761). */
const isLocalName = (hostname: string) => {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
};

/** A refusal the delivery records: the connection was not opened. */
export class PrivateAddressError extends Error {
  code = 'EPRIVATEADDRESS';
  constructor() {
    super('the receiver resolves to a private or local address');
    this.name = 'PrivateAddressError';
  }
}

/**
 * Whether a URL's host is an IP literal that is not public. No lookup happens when connecting
 * to a literal, so delivery checks it here. `url` comes from the WHATWG parser, which has
 * already read decimal, hex and octal IPv4 spellings into dotted form.
 */
export const ipLiteralRefused = (url: URL): boolean => {
  const literal = ipLiteral(url.hostname);
  return literal !== null && !isPublicAddress(literal);
};

/** Whether a URL's host is refused as written, before any lookup: a literal or `localhost`. */
export const hostRefusedAsWritten = (url: URL): boolean => ipLiteralRefused(url) || isLocalName(url.hostname);

const SAVE_LOOKUP_TIMEOUT_MS = 3000;

/**
 * The check at save: refused as written, or the name resolves now to an address that is not
 * public. A name that does not resolve (yet) is accepted: delivery checks again anyway.
 */
export const urlRefusedAtSave = async (url: URL): Promise<boolean> => {
  if (hostRefusedAsWritten(url)) return true;
  if (ipLiteral(url.hostname)) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const addresses = await Promise.race([
      dns.lookup(url.hostname, { all: true, verbatim: true }),
      new Promise<LookupAddress[]>((resolve) => {
        timer = setTimeout(() => resolve([]), SAVE_LOOKUP_TIMEOUT_MS);
      }),
    ]);
    return addresses.some((entry) => !isPublicAddress(entry.address));
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
};

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request that resolves the name and refuses to connect when any address
 * it got is not public: the check is on the very addresses the socket connects to, so a name
 * that answers a public address at save and 127.0.0.1 at delivery (DNS rebinding) is refused.
 */
export const publicOnlyLookup = (
  hostname: string,
  options: LookupAllOptions | { all?: boolean; family?: number },
  callback: LookupCallback
) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    if (addresses.length === 0 || addresses.some((entry) => !isPublicAddress(entry.address))) {
      return callback(new PrivateAddressError(), []);
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
};
