/**
 * R1: the provider is a hierarchy — the Ministry (its Committee of Secondary Education), the education departments
 * of the regions, of the cities of republican significance and of the capital, the district and city departments
 * under them, and the education organisations. Beside it stand the bodies that review complaints (R13: the
 * quality-control authority and its territorial departments) and the State Corporation (R5, earlier standard).
 * The registry is data an operator replaces without a release (infra/provider-units.ts reads it); this module
 * validates it and answers the questions the rules ask of it: is this a unit, who is above it, who reviews a
 * complaint against it. Pure: no I/O.
 */
import { z } from 'zod';
import { asOneLine, line } from './fields';
import type { Addressee } from './complaint';
import type { Refusal } from './refusals';
import type { NoticeKind } from './notices';

export const UNIT_KINDS = [
  'ministry',
  'region',
  // a city of republican significance or the capital
  'city',
  // a district department, or a department of a city of regional significance
  'district',
  'organisation',
  // R13: the authorised body for the assessment and control of the quality of public services, and its departments
  'quality-authority',
  'quality-authority-territorial',
  // R5 (earlier standard): issues the receipt for a package and hands out results
  'state-corporation',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** The kinds that provide the service (R1): a case's `providerUnit` is one of these. */
export const PROVIDER_KINDS: readonly UnitKind[] = ['ministry', 'region', 'city', 'district', 'organisation'];

/** A stable slug: lowercase letters, digits, single hyphens. It is an id in URLs, metrics and search attributes. */
export const UNIT_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A unit's name heads signed documents: one line, with none of the characters a text may not hold (fields.ts). */
const name = line(z.string().min(1).max(300))
  .refine((t) => t === t.trim(), 'must not begin or end with spaces')
  // issue 31: a name printed on a document closes every quote it opens: «…» outside, „…“ inside
  .refine((t) => quotesBalanced(t), 'must close every quote it opens: «…» outside, „…“ inside («„…“»)');

/** Whether «» and „“ pair up, each inner pair within an outer one or alone. */
export function quotesBalanced(text: string): boolean {
  const open: string[] = [];
  for (const c of text) {
    if (c === '«' || c === '„') open.push(c);
    else if (c === '»' || c === '“') {
      if (open.pop() !== (c === '»' ? '«' : '„')) return false;
    }
  }
  return open.length === 0;
}

const UnitSchema = z.strictObject({
  id: z.string().max(100).regex(UNIT_ID, 'must be a slug: lowercase letters, digits and single hyphens'),
  kind: z.enum(UNIT_KINDS),
  parent: z.string().nullable(),
  names: z.strictObject({ kk: name, ru: name }),
  /** a territorial department of the quality-control authority: the region or city whose cases it hears */
  territory: z.string().optional(),
  /**
   * R13, APPK art. 91: the superior body that decides complaints filed through this unit, where it is not the unit's
   * parent (an organisation under a region's department but answering to a district's, say)
   */
  superiorBody: z.string().optional(),
});
export type ProviderUnit = z.infer<typeof UnitSchema>;

const RegistrySchema = z.strictObject({ basis: z.string().optional(), units: z.array(UnitSchema).min(1) });

/** The registry of units, checked whole: ids unique, every parent known, no cycle, the tree as R1 draws it. */
export class ProviderUnits {
  private readonly byId: ReadonlyMap<string, ProviderUnit>;

  private constructor(readonly units: readonly ProviderUnit[]) {
    this.byId = new Map(units.map((u) => [u.id, u]));
  }

  /** Parses and checks a registry; a problem names the unit and what is wrong (for the operator who edits it). */
  static parse(raw: unknown, source = 'the provider units'): ProviderUnits {
    const parsed = RegistrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const units = parsed.data.units;
    const fail = (message: string): never => {
      throw new Error(`${source}: ${message}`);
    };
    const byId = new Map<string, ProviderUnit>();
    for (const u of units) {
      if (byId.has(u.id)) fail(`unit ${u.id} is listed twice`);
      byId.set(u.id, u);
    }
    for (const u of units) {
      if (u.parent !== null && !byId.has(u.parent)) fail(`unit ${u.id}: parent ${u.parent} is not in the registry`);
      const seen = new Set([u.id]);
      for (let p = u.parent; p !== null; p = byId.get(p)!.parent) {
        if (seen.has(p)) fail(`unit ${u.id}: its parents go round in a circle (${[...seen, p].join(' → ')})`);
        seen.add(p);
      }
      const parentKind = u.parent === null ? null : byId.get(u.parent)!.kind;
      const expected = EXPECTED_PARENT[u.kind];
      if (!expected.includes(parentKind)) {
        fail(`unit ${u.id} (${u.kind}) must be under ${expected.map((k) => k ?? 'nothing').join(' or ')}, not ${parentKind ?? 'nothing'}`);
      }
      if (u.kind === 'quality-authority-territorial') {
        const territory = u.territory === undefined ? undefined : byId.get(u.territory);
        if (!territory || (territory.kind !== 'region' && territory.kind !== 'city')) {
          fail(`unit ${u.id}: territory must name a region or a city of the registry`);
        }
      } else if (u.territory !== undefined) fail(`unit ${u.id}: only a territorial department of the quality-control authority has a territory`);
      if (u.superiorBody !== undefined) {
        const superior = byId.get(u.superiorBody);
        if (!superior || !PROVIDER_KINDS.includes(superior.kind) || superior.id === u.id) {
          fail(`unit ${u.id}: superiorBody must name another education department or the Ministry of the registry`);
        }
      }
    }
    const once = (kind: UnitKind) => units.filter((u) => u.kind === kind).length === 1 || fail(`the registry must have exactly one ${kind}`);
    once('ministry');
    once('quality-authority');
    return new ProviderUnits(units);
  }

  /** The unit with this id, or undefined. */
  find(id: string): ProviderUnit | undefined {
    return this.byId.get(id);
  }

  /** The unit with this id; throws for an id the registry lacks (a caller that checked it first). */
  get(id: string): ProviderUnit {
    const unit = this.byId.get(id);
    if (!unit) throw new Error(`no provider unit ${id} in the registry`);
    return unit;
  }

  /** The units that provide the service (R1), for `GET /provider-units` and the door's check. */
  providers(): ProviderUnit[] {
    return this.units.filter((u) => PROVIDER_KINDS.includes(u.kind));
  }

  /**
   * R3, R14: who hears that a unit missed its term — the unit above it. A unit at the top (the Ministry) has none
   * above: its own breach goes to the quality-control authority, which watches every provider (R13).
   */
  supervisorOf(unitId: string): ProviderUnit {
    const unit = this.find(unitId);
    const parent = unit?.parent ? this.get(unit.parent) : undefined;
    return parent ?? this.centralQualityAuthority();
  }

  /**
   * R13, APPK art. 91: the superior body that decides a complaint filed through this unit — the one the registry
   * names (`superiorBody`), else its parent; the Ministry, at the top of the tree, answers to the quality-control
   * authority.
   */
  superiorBodyOf(unitId: string): ProviderUnit {
    const named = this.find(unitId)?.superiorBody;
    return named ? this.get(named) : this.supervisorOf(unitId);
  }

  /**
   * R13: the body that reviews a complaint about a case of this unit. A complaint to the provider is filed through
   * it and decided by the body above it (5 working days; 002 §18, APPK art. 91); one to the quality-control
   * authority by its department for the region or city the unit lies in (15 working days), or by the authority
   * itself where it has none there.
   */
  reviewingBody(providerUnitId: string, addressee: Addressee): ProviderUnit {
    if (addressee === 'provider') return this.superiorBodyOf(this.find(providerUnitId) ? providerUnitId : this.ministry().id);
    const territory = this.ancestry(providerUnitId).find((u) => u.kind === 'region' || u.kind === 'city');
    const department = territory && this.units.find((u) => u.kind === 'quality-authority-territorial' && u.territory === territory.id);
    return department ?? this.centralQualityAuthority();
  }

  /**
   * R13: the body reviewing a filed complaint: the one fixed when it was filed, while the registry knows it; for a
   * complaint from before (or a body since removed), the one that would review it now.
   */
  reviewerOf(complaint: { reviewingUnit: string | null; addressee: string }, providerUnitId: string): ProviderUnit {
    const fixed = complaint.reviewingUnit === null ? undefined : this.find(complaint.reviewingUnit);
    return fixed ?? this.reviewingBody(providerUnitId, complaint.addressee as Addressee);
  }

  /** R13: who hears that a review is late — the body above the reviewer (the authority's centre above its departments). */
  superiorOf(bodyId: string): ProviderUnit {
    return this.supervisorOf(bodyId);
  }

  /** The State Corporation, which signs its own receipts (R5, earlier standard); the Ministry where none is listed. */
  stateCorporation(): ProviderUnit {
    return this.units.find((u) => u.kind === 'state-corporation') ?? this.ministry();
  }

  ministry(): ProviderUnit {
    return this.units.find((u) => u.kind === 'ministry')!;
  }

  /** The unit and every unit above it, nearest first. */
  ancestry(unitId: string): ProviderUnit[] {
    const chain: ProviderUnit[] = [];
    for (let u = this.find(unitId); u; u = u.parent ? this.find(u.parent) : undefined) chain.push(u);
    return chain;
  }

  private centralQualityAuthority(): ProviderUnit {
    return this.units.find((u) => u.kind === 'quality-authority')!;
  }
}

/** R1: where each kind of unit stands in the tree (null: at the top). */
const EXPECTED_PARENT: Record<UnitKind, readonly (UnitKind | null)[]> = {
  ministry: [null],
  region: ['ministry'],
  city: ['ministry'],
  district: ['region', 'city'],
  organisation: ['ministry', 'region', 'city', 'district'],
  'quality-authority': [null],
  'quality-authority-territorial': ['quality-authority'],
  'state-corporation': [null],
};

/** R1: a submission names a unit that provides the service, by its id in the registry; anything else is refused. */
export function unknownProviderUnitRefusal(units: ProviderUnits, providerUnit: string): Refusal | null {
  const unit = units.find(providerUnit);
  if (unit && PROVIDER_KINDS.includes(unit.kind)) return null;
  return {
    code: 'unknown-provider-unit',
    field: 'providerUnit',
    rule: 'R1',
    message: unit
      ? `${providerUnit} is a ${unit.kind}, which does not provide the service; name an education department or organisation (GET /provider-units)`
      : `no provider unit ${JSON.stringify(providerUnit.slice(0, 100))}; name a unit by its id (GET /provider-units lists them)`,
  };
}

/**
 * A unit's name in a language for a document's header. A case from before the registry stored the unit as free
 * text: it is printed on one line, its control characters dropped, so it can never forge a line of a document.
 */
export function unitName(units: ProviderUnits, unitId: string, language: 'kk' | 'ru'): string {
  const unit = units.find(unitId);
  if (unit) return unit.names[language];
  return asOneLine(unitId).slice(0, 300);
}

/**
 * R5, R13: the unit that issues a document — with its own key, or by its authorised person's own signature for a
 * decision a person takes (issue 31) — the provider for a result and the pre-trial record, the reviewing body for a
 * complaint's decision, the State Corporation for its receipt.
 */
export function issuingUnitOf(
  kind: NoticeKind,
  units: ProviderUnits,
  application: { providerUnit: string },
  complaint?: { reviewingUnit: string | null; addressee: string; decidedBy: string | null },
): string {
  if (kind === 'intake-receipt') return units.stateCorporation().id;
  // APPK art. 91 §4: a complaint the provider satisfied in full is the provider's act; any other, the reviewer's.
  if (kind === 'complaint-decision' && complaint && complaint.decidedBy !== 'provider')
    return units.reviewerOf(complaint, application.providerUnit).id;
  return application.providerUnit;
}
