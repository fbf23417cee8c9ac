/** Talking to the HTTP API in tests, and waiting for something to become true. */
import { isDecisionRoute, signedByOfficial, signingDirOf } from './officials';

export interface HttpAnswer {
  status: number;
  body: Record<string, any>;
}

/** A key with every scope, for tests that are not about authorisation. */
export const TEST_API_KEY = 'test-key-with-every-scope-0123456789';

/**
 * A JSON client of the API at `baseUrl()`, sending `TEST_API_KEY` unless `headers` say otherwise; `raw` sends a
 * body as it is (bad JSON, say). A decision goes as its official signs it (issue 31, helpers/officials.ts) when the
 * API's stack registered its signing folder.
 */
export function httpClient(baseUrl: () => string) {
  return async function http(method: string, route: string, body?: unknown, raw?: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const signingDir = signingDirOf(baseUrl());
    if (raw === undefined && signingDir && isDecisionRoute(method, route)) {
      return signedByOfficial(
        (r, b) => send('POST', r, b, undefined, headers),
        (r) => send('GET', r, undefined, undefined, headers),
        route,
        body,
        signingDir,
      );
    }
    return send(method, route, body, raw, headers);
  };

  async function send(method: string, route: string, body?: unknown, raw?: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const response = await fetch(`${baseUrl()}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${TEST_API_KEY}`,
        ...(body === undefined && raw === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    return { status: response.status, body: (await response.json()) as HttpAnswer['body'] };
  }
}

/**
 * How long a test waits for something that should happen at once, sized for a slow day: the suite runs in band
 * for a quarter of an hour on two cores, beside the servers it starts. Every wait of the tests is this or a
 * multiple of it, and a test's own timeout is above its waits.
 */
export const PATIENCE_MS = 60_000;

/** Probes until `accept` holds, failing with the last value after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = PATIENCE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
