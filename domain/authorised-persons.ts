/**
 * Who may sign a decision (issue 31; R5, R13): the registry of authorised persons — for each person the unit whose
 * decisions they take, their name and position in both languages of the documents, the IIN their personal
 * certificate names (the national CA writes it as the subject's serial number, `IIN<12 digits>`), and the period
 * of the authority. A decision a person takes is signed with that person's own certificate, and the service
 * accepts it only from an authorised person of the deciding unit. Data an operator replaces without a release, as
 * the unit registry (infra/authorised-persons.ts reads it); this module checks it and answers who is authorised.
 * Pure: no I/O.
 */
import { z } from 'zod';
import { bilingual, line } from './fields';
import { isValidIin } from './iin';
import { UNIT_ID, type ProviderUnits } from './provider-units';

const name = line(z.string().min(1).max(300)).refine((t) => t === t.trim(), 'must not begin or end with spaces');

const PersonSchema = z.strictObject({
  id: z.string().max(100).regex(UNIT_ID, 'must be a slug: lowercase letters, digits and single hyphens'),
  unit: z.string(),
  /** as the person's certificate and documents write it */
  name,
  /** the position, in each language of the documents */
  position: bilingual(name, 'the position'),
  iin: z.string().refine(isValidIin, 'must be a valid IIN (12 digits, the last its check digit)'),
  /** the authority's period: from, and until (null: until withdrawn) */
  from: z.iso.datetime({ offset: true }),
  until: z.iso.datetime({ offset: true }).nullable(),
});
export type AuthorisedPerson = z.infer<typeof PersonSchema>;

const RegistrySchema = z.strictObject({ basis: z.string().optional(), persons: z.array(PersonSchema).min(1) });

/** Why a person may not sign a unit's decision, for a refusal that names it. */
export type NotAuthorised = { code: 'official-unknown' | 'official-not-authorised'; message: string };

export class AuthorisedPersons {
  private readonly byId: ReadonlyMap<string, AuthorisedPerson>;

  private constructor(readonly persons: readonly AuthorisedPerson[]) {
    this.byId = new Map(persons.map((p) => [p.id, p]));
  }

  /** Parses and checks a registry against the unit registry; a problem names the person and what is wrong. */
  static parse(raw: unknown, units: ProviderUnits, source = 'the authorised persons'): AuthorisedPersons {
    const parsed = RegistrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const seen = new Set<string>();
    for (const p of parsed.data.persons) {
      if (seen.has(p.id)) throw new Error(`${source}: person ${p.id} is listed twice`);
      seen.add(p.id);
      if (!units.find(p.unit)) throw new Error(`${source}: person ${p.id}: unit ${p.unit} is not in the provider units registry`);
      if (p.until !== null && Date.parse(p.until) <= Date.parse(p.from)) throw new Error(`${source}: person ${p.id}: until must come after from`);
    }
    return new AuthorisedPersons(parsed.data.persons);
  }

  find(id: string): AuthorisedPerson | undefined {
    return this.byId.get(id);
  }

  /** The persons authorised for a unit at a moment. */
  of(unit: string, at: Date): AuthorisedPerson[] {
    return this.persons.filter((p) => p.unit === unit && authorisedAt(p, at));
  }

  /**
   * Whether `personId` may sign `unit`'s decision at `at`: a person of the registry, of that unit, within the
   * period of the authority. Null when they may; else why not, naming who may.
   */
  refusal(personId: string, unit: string, at: Date): NotAuthorised | null {
    const person = this.byId.get(personId);
    const who = this.of(unit, at)
      .map((p) => `${p.id} (${p.name}, ${p.position.ru})`)
      .join('; ');
    const may = who ? `its authorised persons: ${who}` : 'it has no authorised person in the registry';
    if (!person) return { code: 'official-unknown', message: `${personId} is no person of the registry of authorised persons; ${unit}: ${may}` };
    if (person.unit !== unit)
      return { code: 'official-not-authorised', message: `${personId} is an authorised person of ${person.unit}, not of ${unit}; ${may}` };
    if (!authorisedAt(person, at))
      return { code: 'official-not-authorised', message: `${personId}'s authority is not in force at ${at.toISOString()}; ${unit}: ${may}` };
    return null;
  }
}

function authorisedAt(p: AuthorisedPerson, at: Date): boolean {
  return Date.parse(p.from) <= at.getTime() && (p.until === null || at.getTime() < Date.parse(p.until));
}

/** The IIN a personal certificate names: its subject's serial number, `IIN` and 12 digits (the national CA's form). */
export function iinOfSubjectSerial(serialNumber: string | null): string | null {
  return serialNumber && /^IIN\d{12}$/.test(serialNumber) ? serialNumber.slice(3) : null;
}
