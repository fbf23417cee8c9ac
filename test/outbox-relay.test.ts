/**
 * The outbox relay against a real PostgreSQL and a real (slow) HTTP receiver: two relays, as two workers run
 * them, never send a message twice; a failed delivery waits out its back-off.
 */
import http from 'node:http';
import { deliverDue, startOutboxRelay } from '../worker/outbox-relay';
import { startTestDatabase, type TestDatabase } from './helpers/service';

let database: TestDatabase;
beforeAll(async () => {
  database = await startTestDatabase('attestation-relay-');
}, 120_000);
afterAll(async () => {
  await database?.stop();
});

/** A receiver that takes `delayMs` to answer each POST, counting them by Idempotency-Key. */
async function slowReceiver(delayMs: number, status = 200) {
  const posts = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const key = String(request.headers['idempotency-key']);
    posts.set(key, (posts.get(key) ?? 0) + 1);
    request.resume();
    setTimeout(() => response.writeHead(status).end(), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { posts, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('two relays working through a slow receiver deliver every message exactly once', async () => {
  const { store } = database;
  const keys = Array.from({ length: 12 }, (_, i) => `relay-test:${i}`);
  await store.outboxMessage.createMany({ data: keys.map((key) => ({ key, channel: 'monitoring', payload: { n: key } })) });
  // Each answer takes 300 ms: one relay's batch of twelve takes over three seconds, well past the old
  // one-second claim, when a second relay used to take the rest of the batch and send it again.
  const receiver = await slowReceiver(300);
  const targets = { notifier: receiver.url, monitoring: receiver.url };
  const relays = [startOutboxRelay(store, targets, { intervalMs: 100 }), startOutboxRelay(store, targets, { intervalMs: 100 })];
  for (let i = 0; i < 200 && (await store.outboxMessage.count({ where: { key: { in: keys }, status: 'delivered' } })) < keys.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(relays.map((r) => r.stop()));
  await receiver.close();
  expect(await store.outboxMessage.count({ where: { key: { in: keys }, status: 'delivered' } })).toBe(keys.length);
  expect(keys.map((k) => receiver.posts.get(k))).toEqual(keys.map(() => 1));
}, 60_000);

test('a failed delivery keeps its error and is not tried again before its back-off', async () => {
  const { store } = database;
  await store.outboxMessage.create({ data: { key: 'relay-test:failing', channel: 'notifier', payload: {} } });
  const receiver = await slowReceiver(0, 503);
  const targets = { notifier: receiver.url, monitoring: receiver.url };
  await deliverDue(store, targets);
  await deliverDue(store, targets); // at once: still backing off (2 s after the first failure)
  expect(receiver.posts.get('relay-test:failing')).toBe(1);
  expect(await store.outboxMessage.findUniqueOrThrow({ where: { key: 'relay-test:failing' } })).toMatchObject({
    status: 'pending',
    attempts: 1,
    lastError: 'notifier answered 503',
  });
  await new Promise((r) => setTimeout(r, 2_500));
  await deliverDue(store, targets);
  expect(receiver.posts.get('relay-test:failing')).toBe(2);
  await receiver.close();
}, 30_000);
