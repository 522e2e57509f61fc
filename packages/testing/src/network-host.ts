import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

interface Teardown {
  teardown(fn: () => unknown): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Another "host" on this machine: a network namespace joined to this one by a veth pair, so processes in it
 * reach our services only over that link, which the test can cut and heal. Needs root (CI runs as root).
 * Processes started through `command()` also get a hostname of their own (a UTS namespace).
 */
export class NetworkHost {
  /** This machine's address as the host sees it: what its processes connect to. */
  readonly gateway: string;
  private readonly namespace: string;
  private readonly outside: string;

  private constructor(
    readonly hostname: string,
    id: string,
    subnet: string,
  ) {
    this.namespace = `tw-${id}`;
    this.outside = `tw${id}o`;
    this.gateway = `${subnet}.1`;
    const inside = `tw${id}i`;
    ip('netns', 'add', this.namespace);
    try {
      ip('link', 'add', this.outside, 'type', 'veth', 'peer', 'name', inside);
      ip('link', 'set', inside, 'netns', this.namespace);
      ip('addr', 'add', `${this.gateway}/30`, 'dev', this.outside);
      ip('link', 'set', this.outside, 'up');
      ip('netns', 'exec', this.namespace, 'ip', 'addr', 'add', `${subnet}.2/30`, 'dev', inside);
      ip('netns', 'exec', this.namespace, 'ip', 'link', 'set', inside, 'up');
      ip('netns', 'exec', this.namespace, 'ip', 'link', 'set', 'lo', 'up');
    } catch (err) {
      this.destroy();
      throw err;
    }
  }

  /** A host named `hostname` on its own /30; removed at teardown. */
  static create(t: Teardown, hostname: string): NetworkHost {
    const id = randomBytes(4).toString('hex');
    const subnet = `10.${100 + (Number.parseInt(id.slice(0, 2), 16) % 100)}.${Number.parseInt(id.slice(2, 4), 16)}`;
    const host = new NetworkHost(hostname, id, subnet);
    t.teardown(() => host.destroy());
    return host;
  }

  /** argv run inside the host, under its hostname; the process keeps one pid throughout (exec). */
  command(argv: string[]): string[] {
    return [
      'ip',
      'netns',
      'exec',
      this.namespace,
      'unshare',
      '--uts',
      'sh',
      '-c',
      'hostname "$0" && exec "$@"',
      this.hostname,
      ...argv,
    ];
  }

  /** Pulls the cable: the host's processes keep running but reach nothing. */
  cut(): void {
    ip('link', 'set', this.outside, 'down');
  }

  heal(): void {
    ip('link', 'set', this.outside, 'up');
  }

  private destroy(): void {
    for (const args of [
      ['link', 'del', this.outside],
      ['netns', 'del', this.namespace],
    ]) {
      try {
        ip(...args);
      } catch {
        // already gone
      }
    }
  }
}
