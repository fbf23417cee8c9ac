/** Routes of the `service` tag: health, the provider units and their authorised persons, the signing certificates, and this API's own description. */
import { certificateWarnings, DEFAULT_CERTIFICATE_WARNING_DAYS, type SigningCertificateInUse } from '../../../infra/certificate-expiry';
import { AuthorisedPersonsAnswer, HealthAnswer, OpenApiAnswer, ProviderUnitsAnswer, SigningCertificateAnswer } from '../answers';
import { undeliveredCounts } from '../../../infra/outbox';
import { missingSearchAttributes } from '../../../infra/temporal-setup';
import { authenticate } from '../auth';
import { openApiDocument } from '../openapi';
import { refuse } from '../refusals';
import type { ApiRoutes } from '../routing';
import { signingCertificate } from '../../../infra/case-store';

export function serviceRoutes({ route, deps, routes }: ApiRoutes): void {
  const { client, store, taskQueue, trustAnchorsPem, units } = deps;

  route(
    {
      method: 'GET',
      url: '/provider-units',
      operationId: 'listProviderUnits',
      summary:
        'The registry of units (R1): the providers (Ministry, regional and city departments, district departments, organisations), the quality-control authority and its departments (R13), the State Corporation; a submission names its providerUnit by id',
      tag: 'service',
      scope: null,
      answers: { 200: ProviderUnitsAnswer },
      responses: { 200: '{ units: [{ id, kind, parent, names: { kk, ru }, territory?, superiorBody? }] }' },
    },
    async () => ({ units: units.units }),
  );

  route(
    {
      method: 'GET',
      url: '/authorised-persons',
      operationId: 'listAuthorisedPersons',
      summary:
        "Who may sign each unit's decisions with their own certificate (issue 31): a decision's official is one of these, by id; names and positions as the documents print them, no IIN",
      tag: 'service',
      scope: 'decide',
      answers: { 200: AuthorisedPersonsAnswer },
      responses: {
        200: '{ persons: [{ id, unit, name, position: { kk, ru }, from, until }] }',
        401: 'no API key, or an unknown one',
        403: "the key's client lacks the scope decide",
      },
    },
    async () => ({ persons: deps.authorisedPersons.persons.map(({ iin: _iin, ...p }) => p) }),
  );

  route(
    {
      method: 'GET',
      url: '/signing-certificate',
      operationId: 'getTrustAnchors',
      summary:
        "The certification authority's certificate (PEM) that every signer's certificate chains to: verify a document with `openssl cms -verify -binary -inform DER -in sig.der -content doc.txt -CAfile ca.pem` (R5)",
      tag: 'service',
      scope: null,
      produces: 'application/x-pem-file',
      responses: { 200: 'the certificate', 404: 'none published here' },
    },
    async (request, reply) => {
      if (!trustAnchorsPem) return refuse(reply, { code: 'not-found', field: null, rule: null, message: 'no signing certificate is published here' });
      return reply.type('application/x-pem-file').send(trustAnchorsPem());
    },
  );

  route(
    {
      method: 'GET',
      url: '/signing-certificates/:fingerprint',
      operationId: 'getSigningCertificate',
      summary: "A signer's certificate by the fingerprint a document carries: the authorised person, the unit, the validity and the PEM (R5)",
      tag: 'service',
      scope: null,
      params: {
        fingerprint: {
          description: 'the SHA-256 fingerprint of the certificate, 64 hex digits',
          schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        },
      },
      answers: { 200: SigningCertificateAnswer },
      responses: {
        200: '{ fingerprint, unit, person, organisation, notBefore, notAfter, pem }',
        400: 'not a fingerprint',
        404: 'no document was signed with it',
      },
    },
    async (request, reply) => {
      const { fingerprint } = request.params;
      if (!/^[0-9a-f]{64}$/.test(fingerprint)) {
        return refuse(reply, {
          code: 'invalid-field',
          field: 'fingerprint',
          rule: null,
          message: 'fingerprint: must be 64 lowercase hex digits (SHA-256)',
        });
      }
      const row = await signingCertificate(store, fingerprint);
      if (!row)
        return refuse(reply, {
          code: 'not-found',
          field: 'fingerprint',
          rule: null,
          message: `no document was signed with certificate ${fingerprint}`,
        });
      return { ...row, firstUsedAt: undefined };
    },
  );

  /** Whether the database, Temporal (with the service's search attributes) and a worker answer, each in words. */
  const checkAll = async () => {
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
      // Issue 18: a server without the service's search attributes would refuse every start.
      missingSearchAttributes(client.connection, client.options.namespace).then(
        (missing) => (checks.searchAttributes = missing.length === 0 ? 'ok' : `missing: ${missing.join(', ')} (run cli setup)`),
        (e: Error) => (checks.searchAttributes = `unknown: ${e.message}`),
      ),
    ]);
    return { checks, healthy: Object.values(checks).every((v) => v === 'ok') };
  };
  /** How long a stranger's answer of /healthz is reused. */
  const STRANGERS_CACHE_MS = 5_000;
  let strangers: { settledAt: number | null; healthy: Promise<boolean> } | undefined;

  // The certificates are read from their files at most once a minute, however often the probe asks.
  let certificatesReadAt = 0;
  let certificates: SigningCertificateInUse[] = [];
  const certificateWarningsNow = () => {
    if (!deps.signingCertificates) return [];
    if (Date.now() - certificatesReadAt > 60_000) {
      certificatesReadAt = Date.now();
      try {
        certificates = deps.signingCertificates();
      } catch (error) {
        return [`the signing certificates could not be read: ${(error as Error).message}`];
      }
    }
    return certificateWarnings(certificates, deps.now(), deps.certificateWarningDays ?? DEFAULT_CERTIFICATE_WARNING_DAYS);
  };

  route(
    {
      method: 'GET',
      url: '/healthz',
      operationId: 'health',
      summary:
        "Whether the database, Temporal (with the service's search attributes) and a worker answer; which one does not, to a caller with a read key",
      tag: 'service',
      scope: null,
      answers: { 200: HealthAnswer, 503: HealthAnswer },
      responses: {
        200: 'all answer: { status }, with checks and the outbox (pending, dead letters) for a read key',
        503: 'one does not: { status }, with checks (which one) for a read key',
      },
    },
    async (request, reply) => {
      // A stranger learns up or down, from an answer at most a few seconds old: a probe repeated by anyone costs
      // the database and Temporal nothing more (issue 32). What is down, and its error, only a reader learns, fresh.
      const reader = authenticate(request.headers.authorization, deps.apiKeys)?.scopes.includes('read') ?? false;
      if (!reader) {
        // One check at a time for all of them, and its answer kept a few seconds after it came.
        if (!strangers || (strangers.settledAt !== null && Date.now() - strangers.settledAt > STRANGERS_CACHE_MS)) {
          const entry: typeof strangers = { settledAt: null, healthy: checkAll().then((c) => c.healthy) };
          void entry.healthy.finally(() => (entry.settledAt = Date.now()));
          strangers = entry;
        }
        const healthy = await strangers.healthy;
        return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable' });
      }
      const { checks, healthy } = await checkAll();
      // Undelivered notices and reports, the dead letters among them (`cli outbox`): shown, not a reason for 503.
      const outbox = checks.database === 'ok' ? await undeliveredCounts(store).catch(() => undefined) : undefined;
      // Issue 35: a signing certificate near its end is a warning, not a reason for 503 (the worker still signs).
      const warnings = certificateWarningsNow();
      return reply.code(healthy ? 200 : 503).send({
        status: healthy ? 'ok' : 'unavailable',
        checks,
        ...(outbox && { outbox }),
        ...(warnings.length > 0 && { warnings }),
      });
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
      answers: { 200: OpenApiAnswer },
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
