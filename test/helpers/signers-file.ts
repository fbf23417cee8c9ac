/**
 * SIGNERS_FILE entries for tests: every unit of the registry with its own organisation key (issue 31: a unit's
 * documents are never signed with another unit's key, so a file that leaves one out stops the start).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ProviderUnits } from '../../domain/provider-units';
import type { DevelopmentCa } from '../../infra/development-ca';

/**
 * Every unit's key and certificate issued by `ca` into `dir` (`<unit>.key.pem`, `<unit>.cert.pem`, made once per
 * folder), as SIGNERS_FILE entries with paths relative to `dir`; `instead` replaces a unit's entry, `without` leaves
 * units out.
 */
export function everyUnitsKeys(
  dir: string,
  ca: DevelopmentCa,
  units: ProviderUnits,
  { instead = {}, without = [] }: { instead?: Record<string, object>; without?: string[] } = {},
): object[] {
  return units.units
    .filter((u) => !without.includes(u.id))
    .map((u) => {
      if (instead[u.id]) return { unit: u.id, ...instead[u.id] };
      const keyFile = `${u.id}.key.pem`;
      const certFile = `${u.id}.cert.pem`;
      if (!fs.existsSync(path.join(dir, certFile))) {
        const made = ca.issue(u.names.ru, u.names.ru);
        fs.writeFileSync(path.join(dir, keyFile), made.keyPem);
        fs.writeFileSync(path.join(dir, certFile), made.certPem);
      }
      return { unit: u.id, keyFile, certFile };
    });
}
