/**
 * Issue 31 at the CLI: a decision goes with its official's signatures of the documents the API prepared. Given
 * (`--prepared-at`, `--signature-kk`, `--signature-ru`), they are sent as they are; with
 * `--sign-as-development-person` the CLI stands in for NCALayer on a development machine: it asks the API to
 * prepare the documents, signs each with the development key the local CA issued the official (DATA_DIR's
 * `signing/persons/<id>/`), and sends the decision.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { developmentPersonKey } from '../../infra/development-ca';
import { authorisedPersonsFromEnvironment } from '../../infra/authorised-persons';
import { DATA_DIR } from '../../infra/paths';
import { providerUnitsFromEnvironment } from '../../infra/provider-units';
import { CmsSigner } from '../../infra/signer';
import { api, call, fail } from './terminal';

export interface SignatureFlags {
  preparedAt?: string;
  signatureKk?: string;
  signatureRu?: string;
  signAsDevelopmentPerson?: boolean;
}

/** A signature given on the command line: base64, or `@file` holding base64 or DER. */
function signatureOf(value: string): string {
  if (!value.startsWith('@')) return value.trim();
  const bytes = fs.readFileSync(path.resolve(value.slice(1)));
  const text = bytes.toString('utf8').trim();
  return /^[A-Za-z0-9+/\s]+={0,2}$/.test(text) ? text.replace(/\s/g, '') : bytes.toString('base64');
}

export async function decideSigned(route: string, decision: { official: string }, o: SignatureFlags): Promise<void> {
  if (o.signAsDevelopmentPerson) {
    if (process.env.NODE_ENV === 'production')
      fail('--sign-as-development-person is for development: an official signs with their own key (NCALayer)');
    const prepared = JSON.parse(await call('POST', `${route}/documents`, decision)) as {
      preparedAt: string;
      documents: Array<{ language: 'kk' | 'ru'; body: string }>;
    };
    const units = providerUnitsFromEnvironment();
    const person = authorisedPersonsFromEnvironment(units).find(decision.official);
    if (!person) throw new InvalidArgumentError(`${decision.official} is no person of the registry of authorised persons`);
    const key = developmentPersonKey(path.join(DATA_DIR, 'signing'), person, units.get(person.unit).names.ru);
    const signer = new CmsSigner(key.keyPem, key.certPem);
    const signatures: Record<string, string> = {};
    for (const d of prepared.documents) signatures[d.language] = (await signer.sign(Buffer.from(d.body, 'utf8'))).cms;
    return api('POST', route, { ...decision, preparedAt: prepared.preparedAt, signatures });
  }
  return api('POST', route, {
    ...decision,
    ...(o.preparedAt && { preparedAt: o.preparedAt }),
    ...((o.signatureKk || o.signatureRu) && {
      signatures: { ...(o.signatureKk && { kk: signatureOf(o.signatureKk) }), ...(o.signatureRu && { ru: signatureOf(o.signatureRu) }) },
    }),
  });
}
