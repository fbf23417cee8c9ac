/**
 * The registry of authorised persons (issue 31) as the service runs with it: the file AUTHORISED_PERSONS_FILE
 * names (JSON, as domain/authorised-persons.json), which an operator replaces without a release, or the shipped
 * one — fictitious development persons, one for each unit, refused in production. Checked whole at start.
 */
import path from 'node:path';
import { AuthorisedPersons } from '../domain/authorised-persons';
import type { ProviderUnits } from '../domain/provider-units';
import { loadOperatorFile } from './operator-file';

/** The development registry shipped with the service: one fictitious person for each unit of the shipped registry. */
export const SHIPPED_AUTHORISED_PERSONS_FILE = path.join(__dirname, '..', 'domain', 'authorised-persons.json');

export function loadAuthorisedPersons(file: string, units: ProviderUnits): AuthorisedPersons {
  return loadOperatorFile(file, 'authorised persons', (raw, source) => AuthorisedPersons.parse(raw, units, source));
}

/** The registry this process runs with: AUTHORISED_PERSONS_FILE, or the shipped development one. */
export function authorisedPersonsFromEnvironment(units: ProviderUnits, env: NodeJS.ProcessEnv = process.env): AuthorisedPersons {
  return loadAuthorisedPersons(env.AUTHORISED_PERSONS_FILE || SHIPPED_AUTHORISED_PERSONS_FILE, units);
}
