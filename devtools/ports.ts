import net from 'node:net';

/**
 * The ports the tests and the bench hand to servers they start, below the kernel's ephemeral range (32768 and up on Linux): a port
 * found free and closed again cannot be taken meanwhile by another socket's `listen(0)` or outgoing connection,
 * and no port is handed out twice in a run.
 */
const LOW = 20_000;
const HIGH = 32_000;
const handedOut = new Set<number>();

/** A TCP port free on loopback, not in the ephemeral range and not handed out before in this process. */
export function freePort(): Promise<number> {
  return freePortIn(LOW, HIGH);
}

/**
 * A free loopback port in [low, high], never one handed out before in this process: Temporal's cluster membership
 * table keeps a service's port as a `smallint`, so a membership port above 32767 stops the service at its start.
 */
export async function freePortIn(low: number, high: number, avoid: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (avoid.has(port) || handedOut.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${low} and ${high}`);
}

/** Loopback ports for each of a cluster's services (`keys`), all different, below the ephemeral range and 32768. */
export async function distinctPorts<K extends string>(keys: readonly K[]): Promise<Record<K, number>> {
  const taken = new Set<number>();
  const ports: Partial<Record<K, number>> = {};
  for (const key of keys) {
    ports[key] = await freePortIn(LOW, HIGH, taken);
    taken.add(ports[key]);
  }
  return ports as Record<K, number>;
}
