/**
 * What a write of the case store costs the worker's CPU through Prisma (issue 19), against a real (embedded)
 * PostgreSQL: each write a retried attempt repeats, in the form it had and the form it has, with the ratio. It
 * says why the outbox, the notices and the applications are written with one insert that skips what is there
 * instead of an upsert with nothing to update, and why the relay marks deliveries in raw SQL.
 *
 *   npm run bench:store [-- --operations 1500]
 */
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { positive } from './cli-options';
import { enqueue, type OutboxEntry } from '../infra/outbox';
import type { Prisma, Store } from '../infra/store';
import { startScratchDatabase } from './database';
import { markDelivered } from '../worker/outbox-relay';

const options = new Command()
  .option('--operations <n>', 'operations measured per form (after 200 to warm up)', positive, 1500)
  .parse()
  .opts<{ operations: number }>();

const message = (channel: OutboxEntry['channel'] = 'monitoring'): OutboxEntry => ({ key: randomUUID(), channel, payload: { report: 'stage' } });

interface Pair {
  write: string;
  before: () => Promise<unknown>;
  after: () => Promise<unknown>;
}

/** Each write the activities repeat on a retry, in the form it had (before) and the form it has (after). */
function pairs(store: Store, ids: readonly string[]): Pair[] {
  let next = 0;
  const anId = () => ids[next++ % ids.length];
  // The form enqueue had before issue 19.
  const upsert = async (tx: Prisma.TransactionClient, m: OutboxEntry) => {
    await tx.outboxMessage.upsert({ where: { key: m.key }, update: {}, create: { ...m, payload: m.payload as Prisma.InputJsonObject } });
  };
  return [
    {
      write: 'an outbox message',
      before: () => upsert(store, message()),
      after: () => enqueue(store, [message()]),
    },
    {
      write: 'two outbox messages in a transaction',
      before: () =>
        store.$transaction(async (tx) => {
          for (const m of [message(), message('notifier')]) await upsert(tx, m);
        }),
      after: () => store.$transaction((tx) => enqueue(tx, [message(), message('notifier')])),
    },
    {
      write: 'the relay marks a delivery',
      before: () =>
        store.outboxMessage.update({
          where: { id: anId() },
          data: { status: 'delivered', deliveredAt: new Date(), attempts: { increment: 1 }, lastError: null },
        }),
      after: () => markDelivered(store, anId()),
    },
  ];
}

/** This process's CPU (ms) and the wall time (ms) per operation, over `n` operations. */
async function measure(operation: () => Promise<unknown>, n: number): Promise<{ cpu: number; wall: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < n; i++) await operation();
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / 1000 / n, wall: (performance.now() - started) / n };
}

async function main(): Promise<void> {
  // The tests' database: an embedded PostgreSQL of its own, migrated, removed afterwards.
  const { store, stop } = await startScratchDatabase('attestation-bench-store-');
  try {
    const n = options.operations;
    // Messages for the relay's marks, written beforehand so that only the mark is measured.
    await enqueue(
      store,
      Array.from({ length: 2 * (n + 200) }, () => message()),
    );
    const pending = await store.outboxMessage.findMany({ where: { status: 'pending' }, select: { id: true } });
    const forms = pairs(
      store,
      pending.map((m) => m.id),
    );
    const roundTrip = () => store.$queryRawUnsafe('SELECT 1');
    // Every form warmed up before any is measured: the first measured would otherwise pay for the JIT.
    for (const operation of [roundTrip, ...forms.flatMap((p) => [p.before, p.after])]) for (let i = 0; i < 200; i++) await operation();
    const trip = await measure(roundTrip, n);
    const ms = (x: number) => `${x.toFixed(3)} ms`;
    console.log(`| write (${n} of each; this process's CPU, wall) | before | after | after / before |`);
    console.log('| --- | ---: | ---: | ---: |');
    for (const p of forms) {
      const before = await measure(p.before, n);
      const after = await measure(p.after, n);
      console.log(
        `| ${p.write} | ${ms(before.cpu)}, ${ms(before.wall)} | ${ms(after.cpu)}, ${ms(after.wall)} | ${(after.cpu / before.cpu).toFixed(2)}× |`,
      );
    }
    console.log(`| (a raw SELECT 1: a round trip and nothing else) | | ${ms(trip.cpu)}, ${ms(trip.wall)} | |`);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
