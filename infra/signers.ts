/**
 * Which key signs for which unit (R5, R13), as configured. `SIGNERS_FILE` (JSON) lists every unit's own key — the
 * body's organisation certificate, a PEM key and certificate or a PKCS#12 container behind a signing service
 * (NCANode) — and the trust anchors their certificates chain to. Every unit of the registry issues documents (a
 * result, a complaint's decision, a receipt), so every unit has a key of its own: a unit's documents are never
 * signed with another unit's key (issue 31), and a file that leaves a unit out stops the start, naming it. Without
 * `SIGNERS_FILE`, development signers: a local CA issues each unit its organisation certificate on first use
 * (infra/development-ca.ts). Checked at start: every certificate current and chaining to the anchors.
 *
 *   { "trustAnchorsFile": "/run/secrets/ca.pem",
 *     "signers": [ { "unit": "ministry-of-education", "keyFile": "…", "certFile": "…" },
 *                  { "unit": "almaty-city-education-department", "certFile": "…",
 *                    "ncanode": { "url": "http://ncanode:14579", "p12File": "…", "passwordEnv": "ALMATY_P12_PASSWORD" } } ] }
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ProviderUnits } from '../domain/provider-units';
import { NcaNodeSigner } from './ncanode-signer';
import { DevelopmentSigners, ensureDevelopmentCa } from './development-ca';
import { assertCurrent, chainsTo, CmsSigner, identityOf, type DocumentSigner, type UnitKey, type UnitSigners } from './signer';
import { developmentCertificates } from './development-ca';
import type { SigningCertificateInUse } from './certificate-expiry';

/** A key and its certificate: files, or a container behind NCANode. */
const KeyFiles = { keyFile: z.string().min(1), certFile: z.string().min(1) };
const NcaNodeKey = {
  certFile: z.string().min(1),
  ncanode: z.strictObject({ url: z.url(), p12File: z.string().min(1), passwordEnv: z.string().min(1), withTsp: z.boolean().optional() }),
};
const SigningKeySchema = z.union([z.strictObject(KeyFiles), z.strictObject(NcaNodeKey)]);
type SigningKeyEntry = z.infer<typeof SigningKeySchema>;

const SignersFileSchema = z.strictObject({
  trustAnchorsFile: z.string().min(1),
  signers: z
    .array(
      // `next`: the unit's next certificate, configured beside the current one before it expires (issue 35); it
      // signs from its notBefore on.
      z.union([
        z.strictObject({ unit: z.string(), ...KeyFiles, next: SigningKeySchema.optional() }),
        z.strictObject({ unit: z.string(), ...NcaNodeKey, next: SigningKeySchema.optional() }),
      ]),
    )
    .min(1),
});

/** The parsed SIGNERS_FILE, its paths resolved against its folder. */
function readSignersFile(file: string) {
  const parsed = SignersFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return { ...parsed.data, resolve: (p: string) => path.resolve(path.dirname(file), p) };
}

/**
 * The unit whose key signs for `unitId`: the unit itself (issue 31: never another unit's key). A case from before
 * the registry, whose unit is free text no key can belong to, is signed for by the Ministry, the top of the tree.
 */
export function signingUnitOf(units: ProviderUnits, unitId: string): string {
  return units.find(unitId) ? unitId : units.ministry().id;
}

/** The units of the registry that have no key of their own: each issues documents, so none may lack one. */
export function unitsWithoutKey(units: ProviderUnits, hasKey: (id: string) => boolean): string[] {
  return units.units.filter((u) => !hasKey(u.id)).map((u) => u.id);
}

/** Configured signers, checked whole. */
export class ConfiguredSigners implements UnitSigners {
  private readonly anchors: string;
  /** each unit's signer, and its next one (configured before the current certificate expires) */
  private readonly byUnit = new Map<string, { current: DocumentSigner; next?: DocumentSigner }>();

  constructor(
    file: string,
    private readonly units: ProviderUnits,
    env: NodeJS.ProcessEnv = process.env,
    private readonly now: () => Date = () => new Date(),
  ) {
    const parsed = readSignersFile(file);
    const { resolve } = parsed;
    this.anchors = fs.readFileSync(resolve(parsed.trustAnchorsFile), 'utf8');
    const signerOf = (entry: SigningKeyEntry, what: string): DocumentSigner => {
      if ('keyFile' in entry) return new CmsSigner(fs.readFileSync(resolve(entry.keyFile), 'utf8'), fs.readFileSync(resolve(entry.certFile), 'utf8'));
      const password = env[entry.ncanode.passwordEnv];
      if (!password) throw new Error(`${what}: ${entry.ncanode.passwordEnv} (the container's password) is not set`);
      return new NcaNodeSigner({ ...entry.ncanode, p12File: resolve(entry.ncanode.p12File), certFile: resolve(entry.certFile), password });
    };
    // Each chain is checked at a moment within the certificate's own validity (now, for the one in force; a next
    // one at its start), after the one in force is found current, so an expired certificate is named as such.
    const chained = (signer: DocumentSigner, what: string) => {
      const { notBefore, notAfter, certificatePem } = signer.identity();
      const at = new Date(Math.min(Math.max(this.now().getTime(), notBefore.getTime()), notAfter.getTime()));
      if (!chainsTo(certificatePem, this.anchors, at)) throw new Error(`${what}: its certificate does not chain to ${parsed.trustAnchorsFile}`);
    };
    for (const { next, ...entry } of parsed.signers) {
      const what = `${file}: the signer of ${entry.unit}`;
      if (!units.find(entry.unit)) throw new Error(`${what}: no such unit in the provider units registry`);
      if (this.byUnit.has(entry.unit)) throw new Error(`${what} is listed twice`);
      const pair = { current: signerOf(entry, what), ...(next && { next: signerOf(next, `${what} (next)`) }) };
      // The one in force now must be current; the next one takes over at its notBefore.
      assertCurrent(this.inForce(pair).identity(), what, this.now());
      chained(pair.current, what);
      if (pair.next) chained(pair.next, `${what} (next)`);
      this.byUnit.set(entry.unit, pair);
    }
    const missing = unitsWithoutKey(units, (id) => this.byUnit.has(id));
    if (missing.length > 0) {
      throw new Error(
        `${file}: ${missing.length} unit(s) of the registry have no key of their own, and a unit's documents are never signed with another's: ${missing.join(', ')}`,
      );
    }
  }

  /** A unit's signer in force: its next one from that certificate's notBefore on, else the current one. */
  private inForce({ current, next }: { current: DocumentSigner; next?: DocumentSigner }): DocumentSigner {
    return next && next.identity().notBefore <= this.now() ? next : current;
  }

  forUnit(unitId: string): UnitKey {
    const unit = signingUnitOf(this.units, unitId);
    return { unit, signer: this.inForce(this.byUnit.get(unit)!) };
  }

  trustAnchorsPem(): string {
    return this.anchors;
  }
}

/**
 * The signing certificates configured, each unit's current one and its next (issue 35), read from the
 * certificate files alone — no key is opened, so the API can tell their expiry too: SIGNERS_FILE's, or the
 * development signers' issued so far under `devDir`.
 */
export function signingCertificatesFromEnvironment(devDir: string, env: NodeJS.ProcessEnv = process.env): SigningCertificateInUse[] {
  if (!env.SIGNERS_FILE) return developmentCertificates(devDir);
  const parsed = readSignersFile(env.SIGNERS_FILE);
  return parsed.signers.flatMap((entry) => [
    { unit: entry.unit, slot: 'current' as const, ...identityOf(fs.readFileSync(parsed.resolve(entry.certFile), 'utf8')) },
    ...(entry.next ? [{ unit: entry.unit, slot: 'next' as const, ...identityOf(fs.readFileSync(parsed.resolve(entry.next.certFile), 'utf8')) }] : []),
  ]);
}

/** Development signers that keep to the registry: each unit its own organisation key, a case from before it the Ministry's. */
class RegistryDevelopmentSigners implements UnitSigners {
  private readonly signers: DevelopmentSigners;

  constructor(
    dir: string,
    private readonly units: ProviderUnits,
  ) {
    this.signers = new DevelopmentSigners(dir, (id) => units.get(id).names.ru);
  }

  forUnit(unitId: string): UnitKey {
    const unit = signingUnitOf(this.units, unitId);
    return { unit, signer: this.signers.forUnit(unit) };
  }

  trustAnchorsPem(): string {
    return this.signers.trustAnchorsPem();
  }
}

/** Development signers under `dir` for the units of the registry (tests and `npm start`). */
export function developmentSigners(dir: string, units: ProviderUnits): UnitSigners {
  return new RegistryDevelopmentSigners(dir, units);
}

/** The worker's signers: SIGNERS_FILE when set; otherwise development signers under `devDir`. */
export function signersFromEnvironment(devDir: string, units: ProviderUnits, env: NodeJS.ProcessEnv = process.env): UnitSigners {
  return env.SIGNERS_FILE ? new ConfiguredSigners(env.SIGNERS_FILE, units, env) : developmentSigners(devDir, units);
}

/** The trust anchors to publish for verification (PEM): SIGNERS_FILE's, or the development CA's. */
export function trustAnchorsFromEnvironment(devDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!env.SIGNERS_FILE) return ensureDevelopmentCa(devDir).certPem;
  const file = env.SIGNERS_FILE;
  const { trustAnchorsFile } = JSON.parse(fs.readFileSync(file, 'utf8')) as { trustAnchorsFile: string };
  return fs.readFileSync(path.resolve(path.dirname(file), trustAnchorsFile), 'utf8');
}

/** The entries of SIGNERS_FILE, current and next, with paths resolved; none without the file. */
function configuredKeys(env: NodeJS.ProcessEnv): SigningKeyEntry[] {
  if (!env.SIGNERS_FILE || !fs.existsSync(env.SIGNERS_FILE)) return [];
  const { signers, resolve } = readSignersFile(env.SIGNERS_FILE);
  return signers
    .flatMap((s) => [s, ...(s.next ? [s.next] : [])])
    .map((k) => ('keyFile' in k ? { ...k, keyFile: resolve(k.keyFile) } : { ...k, ncanode: { ...k.ncanode, p12File: resolve(k.ncanode.p12File) } }));
}

/** The signing services SIGNERS_FILE names that are not reached over https:// (issue 32). */
export function signingServicesOverHttp(env: NodeJS.ProcessEnv = process.env): string[] {
  return configuredKeys(env).flatMap((k) => ('ncanode' in k && !/^https:\/\//i.test(k.ncanode.url) ? [k.ncanode.url] : []));
}

/** The key files and containers of SIGNERS_FILE this process can read: none, in the API (issue 32). */
export function signingKeysReadable(env: NodeJS.ProcessEnv = process.env): string[] {
  const readable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      return true;
    } catch {
      return false;
    }
  };
  return configuredKeys(env)
    .map((k) => ('keyFile' in k ? k.keyFile : k.ncanode.p12File))
    .filter(readable);
}
