/**
 * The case metrics the workflows count (issue 6), exported with the SDK's own on the worker's Prometheus
 * endpoint. Emitted once per event: the SDK does not emit during replay. Tags carry no personal data.
 */
import { metricMeter } from '@temporalio/workflow';

type Tags = Record<string, string | boolean>;

const counters = {
  registered: ['attestation_applications_registered', 'applications registered (R7)'],
  decided: ['attestation_decisions', "providers' decisions and automatic refusals (R3, R9)"],
  decisionOverdue: ['attestation_decisions_overdue', 'decisions that passed their one-working-day term (R3)'],
  decisionOrdered: ['attestation_decisions_ordered', 'decisions ordered at once by an upheld complaint against inaction (R13)'],
  noticeIssued: ['attestation_notices_issued', 'signed documents delivered to the personal cabinet (R5, R13)'],
  complaintFiled: ['attestation_complaints_filed', 'complaints registered (R13)'],
  complaintDecided: ['attestation_complaints_decided', 'complaints decided (R13)'],
  complaintOverdue: ['attestation_complaint_reviews_overdue', 'complaint reviews that passed their 5 or 15 working days (R13)'],
  complaintForwardedOnExpiry: [
    'attestation_complaints_forwarded_on_expiry',
    'complaints the service forwarded to the body above because the provider let its 3 working days pass (APPK art. 91 §4)',
  ],
  closed: ['attestation_cases_closed', 'cases whose administrative stage is over'],
  closedCaseReopened: ['attestation_closed_cases_reopened', 'closed cases taken back to review by a complaint upheld against the result (R13)'],
} as const;

export function count(what: keyof typeof counters, tags: Tags = {}): void {
  const [name, description] = counters[what];
  metricMeter.createCounter(name, 'cases', description).add(1, tags);
}
