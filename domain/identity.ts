/**
 * R8: the applicant's identity comes from the state register of individuals (ГБД ФЛ), read by IIN through the
 * e-government gateway (issue 33). The name the register holds is the one the signed documents print; a name the
 * caller submitted that differs from it is shown to the provider and to support, never printed. A register that
 * holds no person with the IIN is shown too: whether the data is unreliable (R9 ground 1) is the provider's finding,
 * never an automatic one.
 */

/** What the person register answered for an IIN. */
export type RegisterPerson = { found: false } | { found: true; surname: string; name: string; patronymic: string | null };

/** The identity check of a case, as the provider and support see it. */
export interface IdentityCheck {
  /** confirmed: the register holds the name submitted; name-differs: it holds another; not-found: no such person */
  register: 'confirmed' | 'name-differs' | 'not-found';
  /** the name the register holds (surname, name, patronymic), which the documents print; null when not found */
  registerName: string | null;
  /** the name the caller submitted */
  submittedName: string;
}

/** The register's name in its order: surname, name, patronymic. */
export function registerNameOf(person: Extract<RegisterPerson, { found: true }>): string {
  return [person.surname, person.name, person.patronymic].filter((part): part is string => Boolean(part && part.trim())).join(' ');
}

/** A name's words, compared without case, extra spaces, hyphen spacing or the ё/е spelling, in any order. */
function nameWords(name: string): string {
  return name
    .normalize('NFC')
    .toLocaleLowerCase('ru')
    .replace(/ё/g, 'е')
    .replace(/\s*-\s*/g, '-')
    .split(/\s+/)
    .filter(Boolean)
    .sort()
    .join(' ');
}

/** The case's identity check from what the register answered; null when the register was not asked (no consent). */
export function identityCheck(submittedName: string, person: RegisterPerson | undefined): IdentityCheck | null {
  if (!person) return null;
  if (!person.found) return { register: 'not-found', registerName: null, submittedName };
  const registerName = registerNameOf(person);
  return { register: nameWords(registerName) === nameWords(submittedName) ? 'confirmed' : 'name-differs', registerName, submittedName };
}

/** R8: the name a case's documents print: the register's when it holds the person, else the one submitted. */
export function nameOnDocuments(submittedName: string, identity: Pick<IdentityCheck, 'registerName'> | null | undefined): string {
  return identity?.registerName ?? submittedName;
}
