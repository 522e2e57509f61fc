import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { buildConnector, Dispatcher, fetch as undiciFetch } from 'undici';

/**
 * Which internal addresses an outbound request may reach (ALLOW_INTERNAL_URLS): `true` all of them, `false`
 * none, or a list of addresses and CIDRs. Public addresses are always allowed.
 */
export type InternalUrlPolicy = boolean | readonly string[];

/** Address ranges that are not the public internet, each with the word a refusal names it by. */
const INTERNAL_V4: ReadonlyArray<[string, number, string]> = [
  ['0.0.0.0', 8, 'this-network'], // connecting to 0.0.0.0 reaches this host
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // cloud metadata services live here
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const INTERNAL_V6: ReadonlyArray<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'unique-local (private)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

/** One BlockList per kind; IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) match the IPv4 ranges too. */
const KINDS: ReadonlyArray<[string, BlockList]> = (() => {
  const lists = new Map<string, BlockList>();
  const listFor = (kind: string): BlockList => {
    const list = lists.get(kind) ?? new BlockList();
    lists.set(kind, list);
    return list;
  };
  for (const [network, prefix, kind] of INTERNAL_V4) {
    listFor(kind).addSubnet(network, prefix, 'ipv4');
    // The same IPv4 range as NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed it.
    const [a = 0, b = 0, c = 0, d = 0] = network.split('.').map(Number);
    const high = ((a << 8) | b).toString(16);
    const low = ((c << 8) | d).toString(16);
    listFor(kind).addSubnet(`64:ff9b::${high}:${low}`, 96 + prefix, 'ipv6');
    listFor(kind).addSubnet(`2002:${high}:${low}::`, 16 + prefix, 'ipv6');
  }
  for (const [network, prefix, kind] of INTERNAL_V6) listFor(kind).addSubnet(network, prefix, 'ipv6');
  return [...lists];
})();

/** The kind of internal address `address` is (e.g. `loopback`, `private`), or null for a public one. */
export function internalAddressKind(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0) return null;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of KINDS) if (list.check(bare, type)) return kind;
  return null;
}

/** A connection refused because it would reach an internal address that ALLOW_INTERNAL_URLS does not allow. */
export class InternalAddressError extends Error {
  readonly code = 'ERR_INTERNAL_ADDRESS';

  constructor(
    readonly host: string,
    readonly address: string,
    readonly kind: string,
  ) {
    const where = host === address ? address : `${host} (${address})`;
    super(
      `refused to connect to ${where}: a ${kind} address, and ALLOW_INTERNAL_URLS does not allow internal addresses (set it to true, or to the addresses or CIDRs to allow)`,
    );
    this.name = 'InternalAddressError';
  }
}

/** The addresses and CIDRs of a policy list, as a BlockList. */
function allowList(policy: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of policy) {
    const [network = '', prefix] = entry.split('/');
    const type = isIP(network) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(network, type);
    else list.addSubnet(network, Number(prefix), type);
  }
  return list;
}

/**
 * Says why `address` (reached for `host`) may not be connected to under `policy`, or null when it may.
 * Exported for the policy's own checks (ALLOW_INTERNAL_URLS in config) and tests.
 */
export function refusal(policy: InternalUrlPolicy, host: string, address: string): InternalAddressError | null {
  if (policy === true) return null;
  const kind = internalAddressKind(address);
  if (kind === null) return null;
  if (policy !== false) {
    const bare = address.replace(/^\[|\]$/g, '');
    if (allowList(policy).check(bare, isIP(bare) === 6 ? 'ipv6' : 'ipv4')) return null;
  }
  return new InternalAddressError(host, address.replace(/^\[|\]$/g, ''), kind);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets that resolves as usual, then refuses when any address the name resolved to is
 * internal: checked on the addresses actually connected to, so a name that resolves to a public address
 * when checked and to 127.0.0.1 when used (DNS rebinding) is refused too.
 */
export function guardedLookup(policy: InternalUrlPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      for (const { address } of addresses) {
        const refused = refusal(policy, hostname, address);
        if (refused) return callback(refused, '');
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} resolved to no address`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

interface OutboundAgent {
  fetch: typeof undiciFetch;
  dispatcher: Dispatcher;
}
const agents = new Map<string, Promise<OutboundAgent>>();

/**
 * An undici Agent that refuses internal addresses at connect time: an IP literal is checked before the
 * connection, a name after it resolved (guardedLookup). Every connection goes through it, redirects
 * included. Loaded on first use, so job processes that never fetch do not pay for undici.
 */
function agentFor(policy: InternalUrlPolicy): Promise<OutboundAgent> {
  const key = JSON.stringify(policy);
  let agent = agents.get(key);
  if (!agent) {
    agent = import('undici').then(({ Agent, buildConnector: connectorWith, fetch }) => {
      const connector = connectorWith({ lookup: guardedLookup(policy) } as buildConnector.BuildOptions);
      const connect: buildConnector.connector = (options, callback) => {
        const refused = isIP(options.hostname.replace(/^\[|\]$/g, ''))
          ? refusal(policy, options.hostname, options.hostname)
          : null;
        if (refused) return callback(refused, null);
        return connector(options, callback);
      };
      return { fetch, dispatcher: new Agent({ connect }) };
    });
    agents.set(key, agent);
  }
  return agent;
}

export type OutboundRequestInit = NonNullable<Parameters<typeof undiciFetch>[1]>;
export type OutboundResponse = Awaited<ReturnType<typeof undiciFetch>>;

/**
 * fetch() that reaches only what `policy` allows (ALLOW_INTERNAL_URLS); redirects are followed through the
 * same check. A refused request rejects with the InternalAddressError itself, naming the address and the
 * setting, rather than fetch's bare "fetch failed".
 */
export async function outboundFetch(
  url: string | URL,
  init: OutboundRequestInit,
  policy: InternalUrlPolicy,
): Promise<OutboundResponse> {
  const { fetch, dispatcher } = await agentFor(policy);
  try {
    return await fetch(url, { ...init, dispatcher });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof InternalAddressError) throw cause;
    throw err;
  }
}
