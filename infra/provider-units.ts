/**
 * The registry of provider units (R1) as the service runs with it: the file PROVIDER_UNITS_FILE names (JSON, as
 * domain/provider-units.json), which an operator replaces without a release, or the shipped one. Checked whole
 * when a process starts (domain/provider-units.ts): a broken file stops the start with the unit and the problem.
 */
import path from 'node:path';
import { ProviderUnits } from '../domain/provider-units';
import { loadOperatorFile } from './operator-file';

/** The registry shipped with the service. */
export const SHIPPED_PROVIDER_UNITS_FILE = path.join(__dirname, '..', 'domain', 'provider-units.json');

/** Reads and checks a registry file. */
export function loadProviderUnits(file: string): ProviderUnits {
  return loadOperatorFile(file, 'provider units', (raw, source) => ProviderUnits.parse(raw, source));
}

/** The registry this process runs with: PROVIDER_UNITS_FILE, or the shipped one. */
export function providerUnitsFromEnvironment(env: NodeJS.ProcessEnv = process.env): ProviderUnits {
  return loadProviderUnits(env.PROVIDER_UNITS_FILE || SHIPPED_PROVIDER_UNITS_FILE);
}

let shipped: ProviderUnits | undefined;
/** The shipped registry, read once (tests and tools). */
export function shippedProviderUnits(): ProviderUnits {
  return (shipped ??= loadProviderUnits(SHIPPED_PROVIDER_UNITS_FILE));
}
