/**
 * Which key signs for which unit (R5, R13), as configured. `SIGNERS_FILE` (JSON) lists the units that hold a key —
 * a PEM key and certificate, or a PKCS#12 container behind a signing service (NCANode) — and the trust anchors
 * their certificates chain to; a unit without a key of its own signs with the nearest unit above it that has one
 * (R1: every level of the tree is a provider). Without `SIGNERS_FILE`, development signers: a local CA issues each
 * unit's authorised person a certificate on first use (infra/signer.ts). Checked at start: every certificate
 * current and chaining to the anchors, and the top of every branch (the Ministry, the quality-control
 * authority, the State Corporation) able to sign.
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
import { assertCurrent, chainsTo, CmsSigner, type DocumentSigner, type UnitKey, type UnitSigners } from './signer';

const SignersFileSchema = z.strictObject({
  trustAnchorsFile: z.string().min(1),
  signers: z
    .array(
      z.union([
        z.strictObject({ unit: z.string(), keyFile: z.string().min(1), certFile: z.string().min(1) }),
        z.strictObject({
          unit: z.string(),
          certFile: z.string().min(1),
          ncanode: z.strictObject({ url: z.url(), p12File: z.string().min(1), passwordEnv: z.string().min(1), withTsp: z.boolean().optional() }),
        }),
      ]),
    )
    .min(1),
});

/**
 * The unit whose key signs for `unitId`: the unit itself or the nearest above it with a key. A case from before
 * the registry (its unit free text) is signed for by the Ministry.
 */
export function signingUnitOf(units: ProviderUnits, unitId: string, hasKey: (id: string) => boolean): string | null {
  const chain = units.find(unitId) ? units.ancestry(unitId) : [units.ministry()];
  return chain.find((u) => hasKey(u.id))?.id ?? null;
}

/** Configured signers, checked whole. */
export class ConfiguredSigners implements UnitSigners {
  private readonly anchors: string;
  private readonly byUnit = new Map<string, DocumentSigner>();

  constructor(
    file: string,
    private readonly units: ProviderUnits,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const base = path.dirname(file);
    const resolve = (p: string) => path.resolve(base, p);
    const parsed = SignersFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    this.anchors = fs.readFileSync(resolve(parsed.data.trustAnchorsFile), 'utf8');
    for (const entry of parsed.data.signers) {
      const what = `${file}: the signer of ${entry.unit}`;
      if (!units.find(entry.unit)) throw new Error(`${what}: no such unit in the provider units registry`);
      if (this.byUnit.has(entry.unit)) throw new Error(`${what} is listed twice`);
      let signer: DocumentSigner;
      if ('keyFile' in entry) {
        signer = new CmsSigner(fs.readFileSync(resolve(entry.keyFile), 'utf8'), fs.readFileSync(resolve(entry.certFile), 'utf8'));
      } else {
        const password = env[entry.ncanode.passwordEnv];
        if (!password) throw new Error(`${what}: ${entry.ncanode.passwordEnv} (the container's password) is not set`);
        signer = new NcaNodeSigner({ ...entry.ncanode, p12File: resolve(entry.ncanode.p12File), certFile: resolve(entry.certFile), password });
      }
      assertCurrent(signer.identity(), what);
      if (!chainsTo(signer.identity().certificatePem, this.anchors))
        throw new Error(`${what}: its certificate does not chain to ${parsed.data.trustAnchorsFile}`);
      this.byUnit.set(entry.unit, signer);
    }
    for (const top of units.units.filter((u) => u.parent === null)) {
      if (!this.byUnit.has(top.id)) throw new Error(`${file}: ${top.id} has no signer, and no unit above it to sign for it`);
    }
  }

  forUnit(unitId: string): UnitKey {
    const unit = signingUnitOf(this.units, unitId, (id) => this.byUnit.has(id))!;
    return { unit, signer: this.byUnit.get(unit)! };
  }

  trustAnchorsPem(): string {
    return this.anchors;
  }
}

/** Development signers that keep to the registry: each unit its own key, a case from before it the Ministry's. */
class RegistryDevelopmentSigners implements UnitSigners {
  private readonly signers: DevelopmentSigners;

  constructor(
    dir: string,
    private readonly units: ProviderUnits,
  ) {
    this.signers = new DevelopmentSigners(dir, (id) => units.get(id).names.ru);
  }

  forUnit(unitId: string): UnitKey {
    const unit = signingUnitOf(this.units, unitId, () => true)!;
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
