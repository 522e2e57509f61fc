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
  const sentinels = hosts.split(',').map((hostPort) => {
    const [, host, port] = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hostPort) ?? [];
    if (!host || !port) throw new Error(`sentinel address ${JSON.stringify(hostPort)} is not host:port`);
    return { host, port: Number(port) };
  });
  return {
    sentinels,
    name: decodeURIComponent(name),
    username: username ? decodeURIComponent(username) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
    db: db === undefined ? undefined : Number(db),
  };
}
