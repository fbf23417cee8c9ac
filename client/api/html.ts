/**
 * How the API answers with a page (the support console's, the codec server's sign-in): a Content-Security-Policy
 * that lets only this answer's own scripts run — each `<script>` of our templates gets the answer's nonce, and
 * no untrusted value is ever written into one (issue 32) — that refuses to be framed, and never cached.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** The policy of a page whose scripts carry `nonce`. */
export function pagePolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `script-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * Sends a page of ours. Its templates escape every value they insert (so no inserted text can open a script);
 * the scripts the templates themselves hold get this answer's nonce, and only they may run.
 */
export function sendPage(reply: FastifyReply, page: string, status = 200) {
  const nonce = randomBytes(16).toString('base64');
  return reply
    .code(status)
    .header('content-security-policy', pagePolicy(nonce))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(page.replaceAll('<script>', `<script nonce="${nonce}">`));
}
