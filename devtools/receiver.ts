/**
 * The local receiver for the notifier and monitoring webhooks, for machines without the real systems: it
 * stores what arrives by its Idempotency-Key and counts repeats, so a test (or a person) can see that every
 * notice and stage report arrived exactly once.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Store } from '../infra/store';
import { SIGNATURE_HEADER, webhookSignatureProblem } from '../infra/webhook-signature';

export interface ReceiverOptions {
  /** while it says so for a channel, the receiver answers 503, as a failing notifier or monitoring system would */
  unavailable?: (channel: 'notifier' | 'monitoring') => boolean;
  /**
   * each channel's shared secret (or both while it switches): a post whose signature does not verify under one is
   * refused with 401, as a real receiver would
   */
  secrets?: Partial<Record<'notifier' | 'monitoring', string | readonly string[]>>;
}

export function buildReceiver(store: Store, { unavailable = () => false, secrets = {} }: ReceiverOptions = {}): FastifyInstance {
  const app = Fastify({ logger: false });
  // The signature is over the bytes sent: the body is kept as it came, and parsed after it verifies.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  for (const [route, channel] of [
    ['/notifications', 'notifier'],
    ['/stages', 'monitoring'],
  ] as const) {
    app.post(route, async (request, reply) => {
      if (unavailable(channel)) return reply.code(503).send({ error: `${channel} unavailable` });
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || key.length === 0) return reply.code(400).send({ error: 'Idempotency-Key header is required' });
      const raw = request.body as string;
      const secret = secrets[channel];
      const forged = secret && webhookSignatureProblem(secret, request.headers[SIGNATURE_HEADER] as string | undefined, raw);
      if (forged) return reply.code(401).send({ error: forged });
      let payload: object;
      try {
        payload = JSON.parse(raw) as object;
      } catch {
        return reply.code(400).send({ error: 'the body is not JSON' });
      }
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
