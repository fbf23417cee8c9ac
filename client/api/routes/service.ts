/** Routes of the `service` tag: health, the signing certificate, and this API's own description. */
import { openApiDocument } from '../openapi';
import { refuse } from '../refusals';
import type { ApiRoutes } from '../routing';

export function serviceRoutes({ route, deps, routes }: ApiRoutes): void {
  const { client, store, taskQueue, certificatePem } = deps;

  route(
    {
      method: 'GET',
      url: '/signing-certificate',
      operationId: 'getSigningCertificate',
      summary: 'The certificate (PEM) that verifies the signatures of the documents (R5)',
      tag: 'service',
      scope: null,
      produces: 'application/x-pem-file',
      responses: { 200: 'the certificate', 404: 'none published here' },
    },
    async (request, reply) => {
      if (!certificatePem) return refuse(reply, { code: 'not-found', field: null, rule: null, message: 'no signing certificate is published here' });
      return reply.type('application/x-pem-file').send(certificatePem());
    },
  );

  route(
    {
      method: 'GET',
      url: '/healthz',
      operationId: 'health',
      summary: 'Whether the database, Temporal and a worker answer',
      tag: 'service',
      scope: null,
      responses: { 200: 'all answer', 503: 'one does not: checks says which' },
    },
    async (request, reply) => {
      const checks: Record<string, string> = {};
      await Promise.all([
        store.$queryRawUnsafe('SELECT 1').then(
          () => (checks.database = 'ok'),
          (e: Error) => (checks.database = `unreachable: ${e.message}`),
        ),
        client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 }).then(
          (r) => {
            checks.temporal = 'ok';
            checks.worker = (r.pollers?.length ?? 0) > 0 ? 'ok' : `no worker polls ${taskQueue}`;
          },
          (e: Error) => {
            checks.temporal = `unreachable: ${e.message}`;
            checks.worker = 'unknown';
          },
        ),
      ]);
      const healthy = Object.values(checks).every((v) => v === 'ok');
      return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable', checks });
    },
  );

  route(
    {
      method: 'GET',
      url: '/openapi.json',
      operationId: 'openApi',
      summary: 'This API, as an OpenAPI 3.1 document',
      tag: 'service',
      scope: null,
      responses: { 200: 'the document' },
    },
    async () =>
      openApiDocument(routes, {
        title: "Teachers' attestation: acceptance of documents",
        version: '1',
        description: 'The HTTP API for upstream systems (the e-government portal, the Platform) and operators. See docs/integrators.md.',
      }),
  );
}
