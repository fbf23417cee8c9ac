/**
 * The outbox relay against a real PostgreSQL and a real (slow) HTTP receiver: two relays, as two workers run
 * them, never send a message twice; a failed delivery waits out its back-off; after its last attempt a message is
 * a dead letter until requeued; every post is signed, and the local receiver refuses one that does not verify.
 */
import http from 'node:http';
import { buildReceiver } from '../devtools/receiver';
import { requeueDeadLetters, undeliveredCounts } from '../infra/outbox';
import { SIGNATURE_HEADER, signWebhook, webhookSignatureProblem } from '../infra/webhook-signature';
import { deliverDue, startOutboxRelay } from '../worker/outbox-relay';
import { eventually, PATIENCE_MS } from './helpers/http';
import { startTestDatabase, type TestDatabase } from './helpers/service';

let database: TestDatabase;
beforeAll(async () => {
  database = await startTestDatabase('attestation-relay-');
}, 120_000);
afterAll(async () => {
  await database?.stop();
});

/** A receiver that takes `delayMs` to answer each POST, counting them by Idempotency-Key, with when each came. */
async function slowReceiver(delayMs: number, status = 200) {
  const posts = new Map<string, number>();
  const times = new Map<string, number[]>();
  const server = http.createServer((request, response) => {
    const key = String(request.headers['idempotency-key']);
    posts.set(key, (posts.get(key) ?? 0) + 1);
    times.set(key, [...(times.get(key) ?? []), Date.now()]);
    request.resume();
    setTimeout(() => response.writeHead(status).end(), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { posts, times, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test(
  'two relays working through a slow receiver deliver every message exactly once',
  async () => {
    const { store } = database;
    const keys = Array.from({ length: 12 }, (_, i) => `relay-test:${i}`);
    await store.outboxMessage.createMany({ data: keys.map((key) => ({ key, channel: 'monitoring', payload: { n: key } })) });
    // Each answer takes 300 ms: one relay's batch of twelve takes over three seconds, well past the old
    // one-second claim, when a second relay used to take the rest of the batch and send it again.
    const receiver = await slowReceiver(300);
    const targets = { notifier: receiver.url, monitoring: receiver.url };
    const relays = [startOutboxRelay(store, targets, { intervalMs: 100 }), startOutboxRelay(store, targets, { intervalMs: 100 })];
    await eventually(
      () => store.outboxMessage.count({ where: { key: { in: keys }, status: 'delivered' } }),
      (n) => n === keys.length,
    );
    await Promise.all(relays.map((r) => r.stop()));
    await receiver.close();
    expect(await store.outboxMessage.count({ where: { key: { in: keys }, status: 'delivered' } })).toBe(keys.length);
    expect(keys.map((k) => receiver.posts.get(k))).toEqual(keys.map(() => 1));
  },
  2 * PATIENCE_MS,
);

test(
  'a failed delivery keeps its error and is not tried again before its back-off',
  async () => {
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
    // Tried again once the back-off has passed, and not before: 2 s after the first failure (2^1 s).
    await eventually(
      async () => {
        await deliverDue(store, targets);
        return receiver.posts.get('relay-test:failing');
      },
      (n) => n === 2,
    );
    const [first, second] = receiver.times.get('relay-test:failing')!;
    expect(second - first).toBeGreaterThanOrEqual(1_900); // the database's clock and ours may differ by a moment
    await receiver.close();
  },
  2 * PATIENCE_MS,
);

test('a receiver that redirects is a failed delivery: the notice goes nowhere else (issue 32)', async () => {
  const { store } = database;
  await store.outboxMessage.create({ data: { key: 'relay-test:redirected', channel: 'notifier', payload: { teacher: 'x' } } });
  const elsewhere = await slowReceiver(0);
  const redirecting = http.createServer((request, response) => {
    request.resume();
    response.writeHead(307, { location: `${elsewhere.url}/collect` }).end();
  });
  await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(redirecting.address() as { port: number }).port}`;
  try {
    expect(await deliverDue(store, { notifier: url, monitoring: url })).toBe(0);
    expect(elsewhere.posts.size).toBe(0);
    expect(await store.outboxMessage.findUniqueOrThrow({ where: { key: 'relay-test:redirected' } })).toMatchObject({
      status: 'pending',
      attempts: 1,
    });
  } finally {
    await new Promise<void>((resolve) => redirecting.close(() => resolve()));
    await elsewhere.close();
  }
});

test(
  'after its last attempt a message is a dead letter: no longer tried, counted, and tried again once requeued',
  async () => {
    const { store } = database;
    await store.outboxMessage.create({ data: { key: 'relay-test:dead', channel: 'notifier', payload: { applicationId: 'x' } } });
    const receiver = await slowReceiver(0, 401);
    const targets = { notifier: receiver.url, monitoring: receiver.url };
    await deliverDue(store, targets, { maxAttempts: 1 });
    expect(await store.outboxMessage.findUniqueOrThrow({ where: { key: 'relay-test:dead' } })).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: 'notifier answered 401',
    });
    // Past the back-off a pending message would be tried: a dead one is not.
    await store.outboxMessage.update({ where: { key: 'relay-test:dead' }, data: { claimedAt: new Date(Date.now() - 3_600_000) } });
    await deliverDue(store, targets, { maxAttempts: 1 });
    expect(receiver.posts.get('relay-test:dead')).toBe(1);
    expect(await undeliveredCounts(store)).toMatchObject({ dead: 1 });

    expect(await requeueDeadLetters(store, ['relay-test:dead'])).toBe(1);
    await receiver.close();
    const healthy = await slowReceiver(0, 200);
    await deliverDue(store, { notifier: healthy.url, monitoring: healthy.url });
    expect(await store.outboxMessage.findUniqueOrThrow({ where: { key: 'relay-test:dead' } })).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await undeliveredCounts(store)).toMatchObject({ dead: 0 });
    await healthy.close();
  },
  2 * PATIENCE_MS,
);

test("each post is signed with its receiver's secret; the local receiver refuses a forged, altered or unsigned one", async () => {
  const { store } = database;
  const secrets = { notifier: 'n'.repeat(32), monitoring: 'm'.repeat(32) };
  const receiver = buildReceiver(store, { secrets });
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}`;
  try {
    await store.outboxMessage.create({ data: { key: 'relay-test:signed', channel: 'notifier', payload: { applicationId: 'y' } } });
    // the monitoring secret on the notifier's post: refused, and retried later like any failure
    await deliverDue(store, { notifier: `${base}/notifications`, monitoring: `${base}/stages` }, { secrets: { notifier: secrets.monitoring } });
    expect(await store.outboxMessage.findUniqueOrThrow({ where: { key: 'relay-test:signed' } })).toMatchObject({
      status: 'pending',
      lastError: 'notifier answered 401',
    });
    await store.outboxMessage.update({ where: { key: 'relay-test:signed' }, data: { claimedAt: null } });
    await deliverDue(store, { notifier: `${base}/notifications`, monitoring: `${base}/stages` }, { secrets });
    expect((await store.outboxMessage.findUniqueOrThrow({ where: { key: 'relay-test:signed' } })).status).toBe('delivered');
    expect(await store.receivedMessage.findUnique({ where: { key: 'relay-test:signed' } })).toMatchObject({ channel: 'notifier', deliveries: 1 });

    const body = JSON.stringify({ key: 'forged', applicationId: 'z' });
    const send = (headers: Record<string, string>, sent = body) =>
      fetch(`${base}/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'forged', ...headers },
        body: sent,
      });
    expect((await send({})).status).toBe(401);
    expect((await send({ [SIGNATURE_HEADER]: signWebhook('w'.repeat(32), body) })).status).toBe(401);
    expect((await send({ [SIGNATURE_HEADER]: signWebhook(secrets.notifier, body) }, body.replace('z', 'q'))).status).toBe(401);
    expect((await send({ [SIGNATURE_HEADER]: signWebhook(secrets.notifier, body, Math.floor(Date.now() / 1000) - 3600) })).status).toBe(401);
    expect(await store.receivedMessage.findUnique({ where: { key: 'forged' } })).toBeNull();
  } finally {
    await receiver.close();
  }
});

test('a signature verifies only the body it was made for, under its secret, while fresh', () => {
  const now = 1_800_000_000;
  const header = signWebhook('s'.repeat(32), '{"a":1}', now);
  expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
  expect(webhookSignatureProblem('s'.repeat(32), header, '{"a":1}', now + 10)).toBeNull();
  expect(webhookSignatureProblem('s'.repeat(32), header, '{"a":2}', now)).toBe('the signature does not match the body under the shared secret');
  expect(webhookSignatureProblem('t'.repeat(32), header, '{"a":1}', now)).toBe('the signature does not match the body under the shared secret');
  expect(webhookSignatureProblem('s'.repeat(32), header, '{"a":1}', now + 301)).toBe('the signature is 301 s old; at most 300 s is taken');
  expect(webhookSignatureProblem('s'.repeat(32), undefined, '{"a":1}', now)).toMatch(/missing or not of the form/);
});

test('a switch of secret, the relay and the receiver each at its own pace, delivers every message once, none refused', async () => {
  const { store } = database;
  const [oldSecret, newSecret] = ['old-notifier-secret-0123456789', 'new-notifier-secret-0123456789'];
  // The receiver's secrets change under it, as its operators switch (a real receiver's configuration).
  const held: string[] = [oldSecret];
  const receiver = buildReceiver(store, { secrets: { notifier: held } });
  const receiverHolds = (secrets: string[]) => held.splice(0, held.length, ...secrets);
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}`;
  const targets = { notifier: `${base}/notifications`, monitoring: `${base}/stages` };
  let n = 0;
  const sendOne = async (secrets: string | { current: string; previous?: string }) => {
    const key = `relay-test:switch-${n++}`;
    await store.outboxMessage.create({ data: { key, channel: 'notifier', payload: { applicationId: key } } });
    await deliverDue(store, targets, { secrets: { notifier: secrets } });
    return key;
  };
  try {
    const keys = [
      await sendOne(oldSecret),
      // 1. The service signs with the new secret and the previous one: the receiver, still on the old, verifies.
      await sendOne({ current: newSecret, previous: oldSecret }),
      // 2. The receiver takes the new secret (holding both for a while, then the new alone).
      (receiverHolds([oldSecret, newSecret]), await sendOne({ current: newSecret, previous: oldSecret })),
      (receiverHolds([newSecret]), await sendOne({ current: newSecret, previous: oldSecret })),
      // 3. The switch ends: the previous secret is dropped from the service.
      await sendOne(newSecret),
    ];
    const messages = await store.outboxMessage.findMany({ where: { key: { in: keys } } });
    // Each delivered at its first attempt: nothing was refused on the way.
    expect(messages.map((m) => [m.key, m.status, m.attempts, m.lastError])).toEqual(
      expect.arrayContaining(keys.map((k) => [k, 'delivered', 1, null])),
    );
    const received = await store.receivedMessage.findMany({ where: { key: { in: keys } } });
    expect(received.map((r) => r.deliveries)).toEqual(keys.map(() => 1));
    // Without the overlap the receiver on the old secret would refuse what is signed with the new alone.
    receiverHolds([oldSecret]);
    const refused = await sendOne(newSecret);
    expect(await store.outboxMessage.findUniqueOrThrow({ where: { key: refused } })).toMatchObject({
      status: 'pending',
      lastError: 'notifier answered 401',
    });
  } finally {
    await receiver.close();
  }
});
