/**
 * The codec server (issue 6): the Temporal Web UI sends the encrypted payloads it shows to `<endpoint>/decode`
 * and gets them back readable — for an authorised operator only. Operators hold an API key with the `decode`
 * scope; the UI either passes it as a bearer token, or the operator signs in once at `/codec/login` and the
 * browser sends the session cookie (the UI's "include cross-origin credentials" setting).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../../domain/refusals';
import type { ApiClient } from './auth';
import type { EncryptionCodec } from '../../infra/payload-codec';
import type { RouteDoc } from './openapi';
import { refuse } from './refusals';

const SESSION_COOKIE = 'codec_session';
const SESSION_HOURS = 8;

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

/**
 * Signed, expiring session tokens for the cookie: `client.expiresAtMs.hmac`, under a secret of their own. A
 * session is honoured only while its client still holds a key with the `decode` scope (`stillEntitled`): a key
 * withdrawn from the configuration ends its sessions at the next start of the API.
 */
export class CodecSessions {
  constructor(
    private readonly secret: string,
    private readonly stillEntitled: (client: string) => boolean = () => true,
  ) {}

  issue(client: string, now = Date.now()): string {
    const body = `${Buffer.from(client).toString('base64url')}.${now + SESSION_HOURS * 3600_000}`;
    return `${body}.${this.sign(body)}`;
  }

  /** The client a cookie header's session names, if it is genuine and not expired. */
  verify(cookieHeader: string | undefined, now = Date.now()): ApiClient | null {
    const token = cookieHeader
      ?.split(/;\s*/)
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`))
      ?.slice(SESSION_COOKIE.length + 1);
    const [client, expires, signature] = token?.split('.') ?? [];
    if (!client || !expires || !signature) return null;
    const expected = Buffer.from(this.sign(`${client}.${expires}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given) || Number(expires) < now) return null;
    const name = Buffer.from(client, 'base64url').toString();
    return this.stillEntitled(name) ? { client: name, scopes: ['decode'], role: 'operator', units: [] } : null;
  }

  /** The cookie; `Secure` unless the API is reached on this machine (a browser sends it over HTTPS only). */
  cookie(token: string, host = 'localhost'): string {
    const local = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host);
    return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/codec; Max-Age=${SESSION_HOURS * 3600}${local ? '' : '; Secure'}`;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(`codec-session|${body}`).digest('base64url');
  }
}

const LOGIN_PAGE = `<!doctype html><meta charset="utf-8"><title>Codec server: sign in</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Decode payloads in the Temporal UI</h1>
<p>Paste an API key with the <code>decode</code> scope. The browser keeps a session cookie for ${SESSION_HOURS} hours; in the
Temporal UI's codec settings, turn on <em>Include cross-origin credentials</em>.</p>
<input id="key" type="password" size="50" autocomplete="off"> <button id="go">Sign in</button>
<p id="out"></p>
<script>
document.getElementById('go').onclick = async () => {
  const r = await fetch('session', { method: 'POST', headers: { authorization: 'Bearer ' + document.getElementById('key').value } });
  document.getElementById('out').textContent = r.ok ? 'Signed in: the Temporal UI can now decode payloads.' : (await r.json()).error.message;
};
</script>`;

type Route = (doc: RouteDoc, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => void;

export function registerCodecServer({
  app,
  route,
  codec,
  sessions,
  corsOrigins,
}: {
  app: FastifyInstance;
  route: Route;
  codec: EncryptionCodec;
  sessions: CodecSessions;
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
        sessionCookie: true,
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
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(LOGIN_PAGE),
  );
  route(
    {
      method: 'POST',
      url: '/codec/session',
      operationId: 'codecSession',
      summary: 'Signs the browser in: sets the session cookie the Temporal UI sends with its codec calls',
      tag: 'support',
      scope: 'decode',
      responses: { 204: 'signed in (Set-Cookie)', 401: 'no key', 403: 'no decode scope' },
    },
    async (request, reply) =>
      reply
        .header('set-cookie', sessions.cookie(sessions.issue(request.apiClient!.client), request.headers.host))
        .code(204)
        .send(),
  );
}
