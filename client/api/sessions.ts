/**
 * Browser sessions (issues 6 and 17): an operator signs in once with an API key and the browser keeps a signed,
 * expiring cookie instead of the key. Two kinds, each with a cookie, a path and the one scope it grants: the codec
 * server's (`decode`, for the Temporal UI) and the support console's (`read`). A session is honoured only while
 * the key that opened it is still configured with that scope: a key withdrawn from the configuration (a rotation,
 * issue 32) ends its sessions at the next start of the API, even while its client holds another key.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ApiClient, Scope } from './auth';

export const SESSION_KINDS = {
  codec: { cookie: 'codec_session', path: '/codec', scope: 'decode' },
  support: { cookie: 'support_session', path: '/support', scope: 'read' },
} as const satisfies Record<string, { cookie: string; path: string; scope: Scope }>;
export type SessionKind = keyof typeof SESSION_KINDS;

export const SESSION_HOURS = 8;

export class BrowserSessions {
  /**
   * `holder(client, keyTag)`: the client's configured key of that tag, if it is still configured; `secureCookies`:
   * the cookie is sent over HTTPS only (configuration, SESSION_COOKIE_SECURE: never guessed from a Host header)
   */
  constructor(
    private readonly secret: string,
    private readonly holder: (client: string, keyTag: string) => ApiClient | undefined,
    private readonly secureCookies = false,
  ) {}

  /** A token `client.keyTag.expiresAtMs.hmac`, signed for its kind: a codec session never opens the console. */
  issue(kind: SessionKind, caller: { client: string; keyTag?: string }, now = Date.now()): string {
    const body = `${Buffer.from(caller.client).toString('base64url')}.${caller.keyTag ?? '-'}.${now + SESSION_HOURS * 3600_000}`;
    return `${body}.${this.sign(kind, body)}`;
  }

  /** The caller a cookie header's session of this kind names, granted that kind's scope only; null if none holds. */
  verify(kind: SessionKind, cookieHeader: string | undefined, now = Date.now()): ApiClient | null {
    const { scope } = SESSION_KINDS[kind];
    const token = this.tokenIn(kind, cookieHeader);
    const [client, keyTag, expires, signature] = token?.split('.') ?? [];
    if (!client || !keyTag || !expires || !signature) return null;
    const expected = Buffer.from(this.sign(kind, `${client}.${keyTag}.${expires}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given) || Number(expires) < now) return null;
    const holder = this.holder(Buffer.from(client, 'base64url').toString(), keyTag);
    if (!holder?.scopes.includes(scope)) return null;
    return { client: holder.client, scopes: [scope], role: holder.role, units: holder.units };
  }

  /** The token of this kind's session a cookie header carries, or null. */
  tokenIn(kind: SessionKind, cookieHeader: string | undefined): string | null {
    const { cookie } = SESSION_KINDS[kind];
    return (
      cookieHeader
        ?.split(/;\s*/)
        .find((c) => c.startsWith(`${cookie}=`))
        ?.slice(cookie.length + 1) || null
    );
  }

  /**
   * What a sign-out records to end a session on every API process (issue 32): the session's id (the SHA-256 of its
   * token; the token itself is never stored) and when it would have expired anyway. Null for no valid session.
   */
  revocation(kind: SessionKind, cookieHeader: string | undefined, now = Date.now()): { id: string; expiresAt: Date } | null {
    const token = this.tokenIn(kind, cookieHeader);
    if (!token || !this.verify(kind, cookieHeader, now)) return null;
    return { id: sessionId(token), expiresAt: new Date(Number(token.split('.')[2])) };
  }

  /** The Set-Cookie value; `Secure` as configured (a browser then sends it over HTTPS only). */
  cookie(kind: SessionKind, token: string): string {
    const { cookie, path } = SESSION_KINDS[kind];
    return `${cookie}=${token}; HttpOnly; SameSite=Strict; Path=${path}; Max-Age=${SESSION_HOURS * 3600}${this.secureCookies ? '; Secure' : ''}`;
  }

  /** The Set-Cookie value that ends the session in the browser. */
  cleared(kind: SessionKind): string {
    return this.cookie(kind, '').replace(/Max-Age=\d+/, 'Max-Age=0');
  }

  private sign(kind: SessionKind, body: string): string {
    return createHmac('sha256', this.secret).update(`${kind}-session|${body}`).digest('base64url');
  }
}

/** A session's id in the revocation list: the SHA-256 of its token. */
export function sessionId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
