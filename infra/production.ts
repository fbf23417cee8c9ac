/**
 * A production deployment is closed by default: with `NODE_ENV=production` a process refuses to start on the
 * development fallbacks that `npm start` relies on. Each process lists what it cannot do without
 * (worker/production.ts, client/api-production.ts); every problem is named, with the setting that fixes it,
 * all at once.
 */

/** The smallest secret accepted in production: 32 characters. */
export const MIN_SECRET_LENGTH = 32;
/** …with at least this many different characters: "aaaa…" or "changeme" repeated is no secret. */
export const MIN_DISTINCT_CHARACTERS = 12;

/** A setting production cannot do without: whether it is missing from an environment, and why it matters. */
export interface ProductionRequirement {
  missing(env: NodeJS.ProcessEnv): boolean;
  why: string;
}

/** Shared by both processes: personal data never reaches Temporal in the clear. */
export const PAYLOAD_ENCRYPTED: ProductionRequirement = {
  missing: (env) => !env.PAYLOAD_KEYS,
  why: 'PAYLOAD_KEYS is not set: personal data would reach Temporal unencrypted',
};

/** A secret of at least MIN_SECRET_LENGTH characters in `name`. */
export function longSecret(name: string, read: (env: NodeJS.ProcessEnv) => string | undefined, purpose: string): ProductionRequirement {
  return {
    // long, and not a few characters repeated (issue 32): a generated secret (openssl rand -base64 48) has dozens
    missing: (env) => (read(env) ?? '').length < MIN_SECRET_LENGTH || new Set(read(env)).size < MIN_DISTINCT_CHARACTERS,
    why: `${name} must be at least ${MIN_SECRET_LENGTH} characters, ${MIN_DISTINCT_CHARACTERS} of them different (generate it: openssl rand -base64 48): ${purpose}`,
  };
}

/** An outbound address in `name`, when set, is https:// (issue 32): personal data and keys never cross a network in the clear. */
export function httpsOnly(name: string, what: string): ProductionRequirement {
  return {
    missing: (env) => Boolean(env[name]) && !/^https:\/\//i.test(env[name]!),
    why: `${name} must be an https:// URL in production: ${what} would cross the network in the clear`,
  };
}

/** Shared by both processes: Temporal is spoken to over TLS (infra/temporal-connection.ts). */
export const TEMPORAL_OVER_TLS: ProductionRequirement = {
  missing: (env) => env.TEMPORAL_TLS !== 'true' && !env.TEMPORAL_TLS_CA && !env.TEMPORAL_TLS_CERT,
  why: 'Temporal is reached without TLS: set TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (mTLS), or TEMPORAL_TLS=true',
};

/** What a production process lacks, in words; empty when it may start, or when this is not production. */
export function productionProblems(requirements: readonly ProductionRequirement[], env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.NODE_ENV !== 'production') return [];
  return requirements.filter((r) => r.missing(env)).map((r) => r.why);
}

/** Throws, listing every problem, when a production process may not start. */
export function assertReadyForProduction(name: string, requirements: readonly ProductionRequirement[], env: NodeJS.ProcessEnv = process.env): void {
  const problems = productionProblems(requirements, env);
  if (problems.length > 0) throw new Error(`the ${name} refuses to start with NODE_ENV=production:\n- ${problems.join('\n- ')}`);
}

/**
 * Why a secret's JSON does not parse, without a fragment of it (issue 32): Node's message quotes the text around
 * the fault, which in PAYLOAD_KEYS or API_KEYS is part of a key. The position alone, and the kind of fault.
 */
export function jsonFaultWithoutContent(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message)?.[1];
  const kind = /Unexpected end/i.test(message) ? 'it ends too early' : 'an unexpected character';
  return position ? `${kind} at position ${position}` : kind;
}
