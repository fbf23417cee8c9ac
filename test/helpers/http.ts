/** Talking to the HTTP API in tests, and waiting for something to become true. */

export interface HttpAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any>;
}

/** A JSON client of the API at `baseUrl()`; `raw` sends a body as it is (bad JSON, say). */
export function httpClient(baseUrl: () => string) {
  return async function http(method: string, route: string, body?: unknown, raw?: string): Promise<HttpAnswer> {
    const response = await fetch(`${baseUrl()}${route}`, {
      method,
      headers: body === undefined && raw === undefined ? {} : { 'content-type': 'application/json' },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    return { status: response.status, body: (await response.json()) as HttpAnswer['body'] };
  };
}

/** Probes until `accept` holds, failing with the last value after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
