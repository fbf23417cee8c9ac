/**
 * Issue 31 in the tests: a decision is signed by the official who takes it, over the documents the API prepared.
 * Tests that take decisions as a provider's system would send them through `signedByOfficial`: it asks the API
 * to prepare the documents, signs them with the development authorised person's own key (as NCALayer would at
 * the official's workplace), and sends the decision with the signatures. A test that names an official by name
 * (not an id of the registry) gets the deciding unit's development person (`<unit>-head`, as the shipped registry
 * has them); one that sends its own signatures, or a hostile official, is sent as it is.
 */
import path from 'node:path';
import { developmentPersonKey } from '../../infra/development-ca';
import { SHIPPED_AUTHORISED_PERSONS_FILE, loadAuthorisedPersons } from '../../infra/authorised-persons';
import { shippedProviderUnits } from '../../infra/provider-units';
import { CmsSigner } from '../../infra/signer';

export interface Answer {
  status: number;
  body: any;
}

/** The development CA's folder each API under test trusts, by its base URL (the stacks register theirs). */
const signingDirs = new Map<string, string>();
export function registerSigningDir(baseUrl: string, signingDir: string): void {
  signingDirs.set(baseUrl, signingDir);
}
export function signingDirOf(baseUrl: string): string | undefined {
  return signingDirs.get(baseUrl);
}

const DECISION = /^\/(applications|complaints)\/([^/?]+)\/decision$/;
/**
 * A name as a test writes one ("A. Head", "Динара Ахметова"): letters, spaces, dots, commas, hyphens, as long as a
 * name is; anything else (a hostile value, say) goes to the API as it is.
 */
const PLAIN_NAME = /^[\p{L}][\p{L} .,'’-]{0,79}$/u;

export function isDecisionRoute(method: string, route: string): boolean {
  return method === 'POST' && DECISION.test(route);
}

/** A development authorised person's signature of a document, by their id in the shipped registry. */
export async function signAs(signingDir: string, personId: string, body: string): Promise<string> {
  const units = shippedProviderUnits();
  const person = loadAuthorisedPersons(SHIPPED_AUTHORISED_PERSONS_FILE, units).find(personId);
  if (!person) throw new Error(`no development person ${personId}`);
  const key = developmentPersonKey(signingDir, person, units.get(person.unit).names.ru);
  return (await new CmsSigner(key.keyPem, key.certPem).sign(Buffer.from(body, 'utf8'))).cms;
}

/**
 * Sends a decision as the deciding official signs it: prepared, signed with the development person's key, sent.
 * `send` posts a body to a route and `read` gets one, each as the test's caller; a refusal of the preparation is
 * the answer.
 */
export async function signedByOfficial(
  send: (route: string, body: unknown) => Promise<Answer>,
  read: (route: string) => Promise<Answer>,
  route: string,
  body: unknown,
  signingDir: string,
): Promise<Answer> {
  if (body === null || typeof body !== 'object' || 'signatures' in body) return send(route, body);
  const decision = { ...(body as Record<string, unknown>) };
  const named = typeof decision.official === 'string' && PLAIN_NAME.test(decision.official) && !/^[a-z0-9-]+$/.test(decision.official);
  // a name, not an id: the person of the deciding unit — the first of the units that may decide whose person the
  // API takes for this caller (a complaint's reviewer, or the provider it is with)
  const candidates = named ? await decidingUnits(read, route) : [];
  let prepared: Answer | undefined;
  for (const unit of candidates) {
    decision.official = `${unit}-head`;
    prepared = await send(`${route}/documents`, decision);
    if (prepared.body?.error?.code !== 'official-not-authorised') break;
  }
  if (candidates.length === 0) prepared = await send(`${route}/documents`, decision);
  if (prepared!.status !== 200) return prepared!;
  const official = String(decision.official);
  const signatures: Record<string, string> = {};
  for (const d of prepared!.body.documents as Array<{ language: string; body: string }>)
    signatures[d.language] = await signAs(signingDir, official, d.body);
  return send(route, { ...decision, preparedAt: prepared!.body.preparedAt, signatures });
}

/** The units whose official may decide: the case's provider; a complaint's reviewer and its provider. */
async function decidingUnits(read: (route: string) => Promise<Answer>, route: string): Promise<string[]> {
  const [, what, id] = DECISION.exec(route)!;
  const providerOf = async (applicationId: string) => {
    const kase = await read(`/applications/${applicationId}`);
    return kase.status === 200 && kase.body.providerUnit ? [kase.body.providerUnit as string] : [];
  };
  if (what === 'applications') return providerOf(id);
  const complaint = await read(`/complaints/${id}`);
  if (complaint.status !== 200) return [];
  const reviewer = complaint.body.reviewingUnit ? [complaint.body.reviewingUnit as string] : [];
  const provider = await providerOf(complaint.body.applicationId);
  return complaint.body.state === 'with-provider' ? [...provider, ...reviewer] : [...reviewer, ...provider];
}

/** The signing folder of a stack's data folder. */
export const signingDirIn = (dataDir: string) => path.join(dataDir, 'signing');
