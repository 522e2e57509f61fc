/** A Sentinel-managed Redis, from `redis-sentinel://[[user]:password@]host:port[,host:port...]/master[/db]`. */
export interface RedisSentinelTarget {
  sentinels: Array<{ host: string; port: number }>;
  /** The master's name as the sentinels know it. */
  name: string;
  username?: string;
  password?: string;
  db?: number;
}

const SENTINEL_URL = /^redis-sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/@]+)\/([^/?#]+)(?:\/(\d+))?$/;

/** The Sentinel form of REDIS_URL parsed; null for any other form (redis://, rediss://). Throws when malformed. */
export function parseRedisSentinelUrl(url: string): RedisSentinelTarget | null {
  if (!url.startsWith('redis-sentinel://')) return null;
  const match = SENTINEL_URL.exec(url);
  if (!match) throw new Error('must be redis-sentinel://[[user]:password@]host:port[,host:port...]/master[/db]');
  const [, username, password, hosts = '', name = '', db] = match;
  return {
    sentinels: hostPorts(hosts),
    name: decodeURIComponent(name),
    username: username ? decodeURIComponent(username) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
    db: db === undefined ? undefined : Number(db),
  };
}

/** A Redis Cluster, from `redis-cluster://[[user]:password@]host:port[,host:port...]` (any of its nodes). */
export interface RedisClusterTarget {
  nodes: Array<{ host: string; port: number }>;
  username?: string;
  password?: string;
}

const CLUSTER_URL = /^redis-cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/@]+)\/?$/;

/** The Cluster form of REDIS_URL parsed; null for any other form. Throws when malformed. */
export function parseRedisClusterUrl(url: string): RedisClusterTarget | null {
  if (!url.startsWith('redis-cluster://')) return null;
  const match = CLUSTER_URL.exec(url);
  if (!match) throw new Error('must be redis-cluster://[[user]:password@]host:port[,host:port...]');
  const [, username, password, hosts = ''] = match;
  return {
    nodes: hostPorts(hosts),
    username: username ? decodeURIComponent(username) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
  };
}

function hostPorts(hosts: string): Array<{ host: string; port: number }> {
  return hosts.split(',').map((hostPort) => {
    const [, host, port] = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hostPort) ?? [];
    if (!host || !port) throw new Error(`address ${JSON.stringify(hostPort)} is not host:port`);
    return { host, port: Number(port) };
  });
}
