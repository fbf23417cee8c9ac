/**
 * The codec server (issue 6): the Temporal Web UI sends the encrypted payloads it shows to `<endpoint>/decode`
 * and gets them back readable — for an authorised operator only. Operators hold an API key with the `decode`
 * scope; the UI either passes it as a bearer token, or the operator signs in once at `/codec/login` and the
 * browser sends the session cookie (sessions.ts) — the UI server's codec `includeCredentials` (devtools/ui-server.ts).
 */
import { PayloadsAnswer } from './answers';
import { sendPage } from './html';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../../domain/refusals';
import type { EncryptionCodec } from '../../infra/payload-codec';
import type { ApiRoutes } from './routing';
import { refuse } from './refusals';
import { SESSION_HOURS, type BrowserSessions } from './sessions';
import { endSession, sessionRoute } from './routes/sign-in';
import type { Store } from '../../infra/store';

/** The body of /encode and /decode: Payloads in protobuf JSON (bytes as base64). */
export const CodecRequestSchema = z.strictObject({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string(), z.string().max(1_000_000)).optional(),
        data: z.string().max(8_000_000).optional(),
      }),
    )
    .max(1000),
});

type JsonPayload = { metadata?: Record<string, string>; data?: string };

const fromJson = (p: JsonPayload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

const LOGIN_PAGE = `<!doctype html><meta charset="utf-8"><title>Codec server: sign in</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Decode payloads in the Temporal UI</h1>
<p>Paste an API key with the <code>decode</code> scope. The browser keeps a session cookie for ${SESSION_HOURS} hours; in the
Temporal UI (<code>npm start</code> serves it with the codec's <em>include credentials</em> on), workflow pages then show
their input and results decoded.</p>
<input id="key" type="password" size="50" autocomplete="off"> <button id="go">Sign in</button>
<p id="out"></p>
<script>
document.getElementById('go').onclick = async () => {
  const r = await fetch('session', { method: 'POST', headers: { authorization: 'Bearer ' + document.getElementById('key').value } });
  document.getElementById('out').textContent = r.ok ? 'Signed in: the Temporal UI can now decode payloads.' : (await r.json()).error.message;
};
</script>`;

export function registerCodecServer({
  app,
  route,
  codec,
  sessions,
  corsOrigins,
  store,
}: {
  app: FastifyInstance;
  store: Store;
  route: ApiRoutes['route'];
  codec: EncryptionCodec;
  sessions: BrowserSessions;
  /** the origins of the Temporal UI allowed to call from a browser */
  corsOrigins: readonly string[];
}): void {
  // CORS for the UI's browser calls: only the listed origins, with credentials (the session cookie).
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!request.url.startsWith('/codec/') || !origin || !corsOrigins.includes(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
    reply.header('access-control-allow-headers', 'content-type, x-namespace, authorization, caller-type');
    reply.header('access-control-allow-methods', 'POST, OPTIONS');
    reply.header('vary', 'origin');
  });
  app.options('/codec/:operation', async (_request, reply) => reply.code(204).send());

  for (const operation of ['encode', 'decode'] as const) {
    route(
      {
        method: 'POST',
        url: `/codec/${operation}`,
        operationId: `codec${operation === 'encode' ? 'Encode' : 'Decode'}`,
        summary: `The Temporal UI's codec endpoint: ${operation} payloads (AES-256-GCM; personal data)`,
        tag: 'support',
        scope: 'decode',
        body: CodecRequestSchema,
        session: 'codec',
        answers: { 200: PayloadsAnswer },
        responses: { 200: '{ payloads }, same shape', 400: 'not payloads', 401: 'no key or session', 403: 'no decode scope' },
      },
      async (request, reply) => {
        const parsed = parseInput(CodecRequestSchema, request.body);
        if (!parsed.ok) return refuse(reply, parsed.error);
        try {
          const payloads = parsed.value.payloads.map(fromJson);
          const result = operation === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
          request.log.info(
            { client: request.apiClient?.client, operation, payloads: payloads.length, namespace: request.headers['x-namespace'] },
            'codec',
          );
          return { payloads: result.map(toJson) };
        } catch (error) {
          return refuse(reply, { code: 'undecodable', field: 'payloads', rule: null, message: (error as Error).message });
        }
      },
    );
  }

  route(
    {
      method: 'GET',
      url: '/codec/login',
      operationId: 'codecLoginPage',
      summary: 'A page where an operator signs the browser in to the codec server',
      tag: 'support',
      scope: null,
      produces: 'text/html',
      responses: { 200: 'the page' },
    },
    async (_request, reply) => sendPage(reply, LOGIN_PAGE),
  );
  sessionRoute({ route, sessions }, 'codec', {
    url: '/codec/session',
    operationId: 'codecSession',
    summary: 'Signs the browser in: sets the session cookie the Temporal UI sends with its codec calls',
  });
  route(
    {
      method: 'POST',
      url: '/codec/sign-out',
      operationId: 'codecSignOut',
      summary: "Ends the browser's codec session, on every API process",
      tag: 'support',
      scope: null,
      responses: { 204: 'signed out (the cookie cleared)' },
    },
    async (request, reply) =>
      reply
        .header('set-cookie', await endSession(store, sessions, 'codec', request.headers.cookie))
        .code(204)
        .send(),
  );
}
