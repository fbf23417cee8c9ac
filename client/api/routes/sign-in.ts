/** Signing a browser in (issues 6 and 17): the route each kind of browser session is opened by (sessions.ts). */
import type { ApiRoutes } from '../routing';
import { SESSION_KINDS, type BrowserSessions, type SessionKind } from '../sessions';
import { revokeSession } from '../../../infra/revoked-sessions';
import type { Store } from '../../../infra/store';

/**
 * Signs a browser out (issue 32): its session is revoked on every API process, so a copy of the cookie opens
 * nothing afterwards; the Set-Cookie value that clears it in the browser is returned.
 */
export async function endSession(store: Store, sessions: BrowserSessions, kind: SessionKind, cookieHeader: string | undefined): Promise<string> {
  const revocation = sessions.revocation(kind, cookieHeader);
  if (revocation) await revokeSession(store, revocation);
  return sessions.cleared(kind);
}

/** The route that signs a browser in: a key with the kind's scope as the bearer, the session's cookie back (204). */
export function sessionRoute(
  { route, sessions }: Pick<ApiRoutes, 'route' | 'sessions'>,
  kind: SessionKind,
  doc: { url: string; operationId: string; summary: string },
): void {
  const { scope } = SESSION_KINDS[kind];
  route(
    { ...doc, method: 'POST', tag: 'support', scope, responses: { 204: 'signed in (Set-Cookie)', 401: 'no key', 403: `no ${scope} scope` } },
    async (request, reply) =>
      reply
        .header('set-cookie', sessions.cookie(kind, sessions.issue(kind, request.apiClient!)))
        .code(204)
        .send(),
  );
}
