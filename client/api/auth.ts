/**
 * Who may call the API: upstream systems and operators hold API keys, each with scopes (issue 6). Keys come from
 * configuration — `API_KEYS` (JSON) or `API_KEYS_FILE` — and are kept as SHA-256 digests, so the configuration
 * can be stored without the keys themselves. `npm start` makes a development key with every scope.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { ROLES, UNIT_BOUND_ROLES, type Caller } from '../../domain/authority';
import { UNIT_ID, type ProviderUnits } from '../../domain/provider-units';
import { jsonFaultWithoutContent } from '../../infra/production';

/**
 * submit: applications, withdrawals, complaints; decide: the provider's and the reviewing bodies' decisions;
 * read: cases, cabinets, support views; decode: the codec server, which reveals the personal data in Temporal's
 * payloads (kept apart from read, which never shows an IIN).
 */
export const SCOPES = ['submit', 'decide', 'read', 'decode', 'operate'] as const;
export type Scope = (typeof SCOPES)[number];

/** An authenticated caller: its scopes (what kind of request) and its role and units (on whose cases, R1). */
export interface ApiClient extends Caller {
  scopes: readonly Scope[];
  /** the client's own requests per minute, where it differs from RATE_LIMIT_PER_MINUTE (a portal sends more than a school) */
  rateLimitPerMinute?: number;
  /**
   * which of the client's keys authenticated it (a tag of its digest, not the key): a browser session is bound to
   * that key, so removing the key from the configuration (a rotation) ends the sessions it opened
   */
  keyTag?: string;
}

/** A key's tag: the first 16 hex digits of its digest, enough to tell a client's keys apart and nothing more. */
export const keyTagOf = (digest: Buffer) => digest.subarray(0, 8).toString('hex');

const SHA256_HEX = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

const ApiKeySchema = z
  .strictObject({
    // a name of letters, digits, dots, hyphens and underscores: it prefixes the client's idempotency keys
    // (client:key), so no two clients' keys can ever name the same record, and it appears in logs and refusals
    client: z
      .string()
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dots, hyphens and underscores (no colon, no spaces)'),
    // the key itself (development), or its SHA-256 in hex (production configuration)
    key: z.string().min(16, 'must be at least 16 characters').optional(),
    sha256: SHA256_HEX.optional(),
    // a rotation (docs/operators.md): the client's old key, accepted beside the new one until it is removed
    previousSha256: SHA256_HEX.optional(),
    scopes: z.array(z.enum(SCOPES, { error: `must be one of ${SCOPES.join(', ')}` })).min(1),
    // R1: whose cases the key acts on (domain/authority.ts); named on every key, so no key is an administrator's
    // by omission
    role: z.enum(ROLES, {
      error: (issue) => (issue.input === undefined ? `every key names its role: one of ${ROLES.join(', ')}` : `must be one of ${ROLES.join(', ')}`),
    }),
    units: z.array(z.string().regex(UNIT_ID, 'must be a unit id of the registry')).min(1).optional(),
    rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
  })
  .refine((k) => Boolean(k.key) !== Boolean(k.sha256), 'give either key or sha256')
  .refine((k) => UNIT_BOUND_ROLES.includes(k.role) === Boolean(k.units), {
    message: `units are given with the roles ${UNIT_BOUND_ROLES.join(' and ')}, and only with them`,
    path: ['units'],
  });

export interface ApiKeyEntry extends ApiClient {
  digest: Buffer;
}

const digestOf = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** Parses the key configuration, naming the entry and the field that is wrong. */
export function parseApiKeys(json: string, source = 'API_KEYS'): ApiKeyEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    // no cause: the parser's message quotes part of the text, a key (issue 32); Node would print it with the stack
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`${source} is not JSON: ${jsonFaultWithoutContent(error)}`);
  }
  const parsed = z.array(ApiKeySchema).min(1, 'must list at least one key').safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  // One entry per client: a session, a rate limit or an idempotency record is the client's, so two entries of one
  // name would give one key's rights to the other's; a rotation lists the old key in the same entry.
  for (const [i, k] of parsed.data.entries()) {
    const first = parsed.data.findIndex((other) => other.client === k.client);
    if (first !== i)
      throw new Error(
        `${source}: keys ${first} and ${i} both name client ${k.client}; one entry per client (a rotation gives the old key as previousSha256)`,
      );
  }
  const entries = parsed.data.flatMap((k) => {
    const client = {
      client: k.client,
      scopes: k.scopes,
      role: k.role,
      units: k.units ?? [],
      ...(k.rateLimitPerMinute && { rateLimitPerMinute: k.rateLimitPerMinute }),
    };
    const current = { ...client, digest: k.sha256 ? Buffer.from(k.sha256, 'hex') : digestOf(k.key!) };
    return k.previousSha256 ? [current, { ...client, digest: Buffer.from(k.previousSha256, 'hex') }] : [current];
  });
  for (const [i, k] of entries.entries()) {
    if (entries.findIndex((other) => other.digest.equals(k.digest)) !== i) throw new Error(`${source}: a key of client ${k.client} is listed twice`);
  }
  return entries;
}

/**
 * Checks at start that every unit a key names is in the registry, and of the kind its role acts for: a typo
 * would otherwise lock a provider out of its own cases, silently.
 */
export function checkKeyUnits(keys: readonly ApiKeyEntry[], units: ProviderUnits): void {
  for (const key of keys) {
    for (const id of key.units) {
      const unit = units.find(id);
      if (!unit) throw new Error(`API key of client ${key.client}: unit ${id} is not in the provider units registry`);
      const authority = unit.kind === 'quality-authority' || unit.kind === 'quality-authority-territorial';
      if ((key.role === 'quality-authority') !== authority || unit.kind === 'state-corporation') {
        throw new Error(`API key of client ${key.client}: unit ${id} is a ${unit.kind}, which a ${key.role}'s key does not act for`);
      }
    }
  }
}

/** The keys this process accepts, from API_KEYS or API_KEYS_FILE. */
export function apiKeysFromEnvironment(env: NodeJS.ProcessEnv = process.env): ApiKeyEntry[] {
  if (env.API_KEYS) return parseApiKeys(env.API_KEYS);
  if (env.API_KEYS_FILE) return parseApiKeys(fs.readFileSync(env.API_KEYS_FILE, 'utf8'), env.API_KEYS_FILE);
  throw new Error('no API keys are configured: set API_KEYS or API_KEYS_FILE (npm start makes a development key)');
}

/** The client a `Authorization: Bearer <key>` header names, or null. Compares digests in constant time. */
export function authenticate(header: string | undefined, keys: readonly ApiKeyEntry[]): ApiClient | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const digest = digestOf(match[1]);
  const found = keys.find((k) => timingSafeEqual(k.digest, digest));
  if (!found) return null;
  const { digest: foundDigest, ...caller } = found;
  return { ...caller, keyTag: keyTagOf(foundDigest) };
}

/** A new random key (256 bits, base64url). */
export function newApiKey(): string {
  return randomBytes(32).toString('base64url');
}

/** The configuration entry for a key, digest only: `{"client", "sha256", "scopes", "role"}` (and its units when bound). */
export function keyEntry(
  client: string,
  key: string,
  scopes: readonly Scope[] = SCOPES,
  binding: { role: Caller['role']; units?: string[]; rateLimitPerMinute?: number } = { role: 'administrator' },
) {
  return { client, sha256: digestOf(key).toString('hex'), scopes, ...binding };
}
