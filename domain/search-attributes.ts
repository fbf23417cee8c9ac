/**
 * Typed search attributes that operators filter by in the Temporal UI. No personal data goes here.
 * The dev server registers them at start (devtools/temporal-server.ts); production registers them once with
 * `temporal operator search-attribute create`.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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

/** The names the `temporal` CLI takes for each type (`--search-attribute Name=Keyword`). */
export const CLI_TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.BOOL]: 'Bool',
};
