/**
 * Typed search attributes that operators filter by in the Temporal UI. No personal data goes here.
 * The dev server registers them at start (devtools/temporal-server.ts); production registers them once with
 * `temporal operator search-attribute create`.
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

export const ApplicationStateKey = defineSearchAttributeKey('ApplicationState', SearchAttributeType.KEYWORD);
export const CategoryKey = defineSearchAttributeKey('Category', SearchAttributeType.KEYWORD);
export const ChannelKey = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const ProviderUnitKey = defineSearchAttributeKey('ProviderUnit', SearchAttributeType.KEYWORD);
/** The API client that submitted the application (the portal, the Platform, …), fixed at its start: who may withdraw it (R1). */
export const SubmittedByKey = defineSearchAttributeKey('SubmittedBy', SearchAttributeType.KEYWORD);
/** The standard the case follows (domain/standards.ts), set at its start: a filter for cases of an old standard. */
export const StandardKey = defineSearchAttributeKey('Standard', SearchAttributeType.KEYWORD);
export const DecisionDueAtKey = defineSearchAttributeKey('DecisionDueAt', SearchAttributeType.DATETIME);
export const OverdueKey = defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL);
// A complaint's workflow (R13) sets its own state and addressee, and DecisionDueAt/Overdue for its review.
export const ComplaintStateKey = defineSearchAttributeKey('ComplaintState', SearchAttributeType.KEYWORD);
export const ComplaintAddresseeKey = defineSearchAttributeKey('ComplaintAddressee', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [
  ApplicationStateKey,
  CategoryKey,
  ChannelKey,
  ProviderUnitKey,
  SubmittedByKey,
  StandardKey,
  DecisionDueAtKey,
  OverdueKey,
  ComplaintStateKey,
  ComplaintAddresseeKey,
];

/**
 * The search attributes an application's run starts with, and its one-line summary in the Temporal UI: the same for
 * the API's start and a closed case's reopening (workflows/complaint.ts). `state` is where the run begins.
 */
export function applicationRunAttributes(
  input: { category: string; channel: string; providerUnit: string; submittedBy?: string; standard?: string; academicYear: string },
  state: string,
): { typedSearchAttributes: SearchAttributePair[]; staticSummary: string } {
  const standard = input.standard ?? 'standard-2';
  return {
    typedSearchAttributes: [
      { key: ApplicationStateKey, value: state },
      { key: CategoryKey, value: input.category },
      { key: ChannelKey, value: input.channel },
      { key: ProviderUnitKey, value: input.providerUnit },
      // R1: who may withdraw it, readable from the moment it starts (client/api/entitlement.ts).
      ...(input.submittedBy ? [{ key: SubmittedByKey, value: input.submittedBy }] : []),
      { key: StandardKey, value: standard },
    ],
    staticSummary: `Attestation application: ${input.category} via ${input.channel}, ${input.academicYear}, under ${standard}`,
  };
}

/** The names the `temporal` CLI takes for each type (`--search-attribute Name=Keyword`). */
export const CLI_TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.BOOL]: 'Bool',
};
