/**
 * The local receiver for the notifier and monitoring webhooks, for machines without the real systems: it
 * stores what arrives by its Idempotency-Key and counts repeats, so a test (or a person) can see that every
 * notice and stage report arrived exactly once.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Store } from '../infra/store';

export interface ReceiverOptions {
  /** while it says so for a channel, the receiver answers 503, as a failing notifier or monitoring system would */
  unavailable?: (channel: 'notifier' | 'monitoring') => boolean;
}

export function buildReceiver(store: Store, { unavailable = () => false }: ReceiverOptions = {}): FastifyInstance {
  const app = Fastify({ logger: false });
  for (const [route, channel] of [
    ['/notifications', 'notifier'],
    ['/stages', 'monitoring'],
  ] as const) {
    app.post(route, async (request, reply) => {
      if (unavailable(channel)) return reply.code(503).send({ error: `${channel} unavailable` });
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || key.length === 0) return reply.code(400).send({ error: 'Idempotency-Key header is required' });
      const payload = request.body as object;
      await store.receivedMessage.upsert({
        where: { key },
        update: { deliveries: { increment: 1 } },
        create: { key, channel, payload },
      });
      return reply.code(202).send({ received: key });
    });
  }
  app.get('/received', async () => store.receivedMessage.findMany({ orderBy: { receivedAt: 'asc' } }));
  return app;
}
