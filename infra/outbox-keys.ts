/**
 * The outbox's message keys: each is the exactly-once key of one message, and its receiver sees it as the
 * Idempotency-Key of the delivery — an external contract, so it is built here and nowhere else, and parsed
 * here. A key never changes for a message that already has one: cases running since a key's first form find
 * their messages by it.
 *
 *   stage:<applicationId>[:<occurrence>]:<stage>      a stage reported to monitoring (R12)
 *   escalation:<applicationId>[:<occurrence>]         a late decision, to the supervising unit (R3)
 *   custody:<applicationId>:<occurrence>              a State Corporation step, to whom it concerns (R14)
 *   notice:<document>                                 a signed document for the cabinet (R5, R13)
 *   complaint-stage:<complaintId>:<stage>             a complaint's stage (R12, R13)
 *   complaint-escalation:<complaintId>                a late review, to the body above the reviewer (R13)
 *   complaint-forwarding:<complaintId>                a complaint forwarded by or past the provider, to the body deciding it (APPK art. 91 §4)
 *   schedule-publication:<standard>:<from, UTC>       a change of the standard, to the contact centre (R12)
 */

/** What a notice key names: a result of a round, a complaint's decision, or another document of the case. */
export interface DocumentRef {
  applicationId: string;
  kind: string;
  /** a result's round (R13); 1 when absent */
  round?: number;
  /** the complaint a complaint-decision answers */
  complaintId?: string;
}

/**
 * A document's key: the first result keeps the key it always had, so cases running before complaints existed
 * find their notices.
 */
export function documentKey({ applicationId, kind, round = 1, complaintId }: DocumentRef): string {
  if (kind === 'complaint-decision') return `${applicationId}:complaint:${complaintId}`;
  return round > 1 ? `${applicationId}:r${round}:${kind}` : `${applicationId}:${kind}`;
}

const occurring = (occurrence?: string) => (occurrence ? `:${occurrence}` : '');

export const outboxKeys = {
  stage: (applicationId: string, stage: string, occurrence?: string) => `stage:${applicationId}${occurring(occurrence)}:${stage}`,
  escalation: (applicationId: string, occurrence?: string) => `escalation:${applicationId}${occurring(occurrence)}`,
  custody: (applicationId: string, occurrence: string) => `custody:${applicationId}:${occurrence}`,
  notice: (document: string) => `notice:${document}`,
  complaintStage: (complaintId: string, stage: string) => `complaint-stage:${complaintId}:${stage}`,
  complaintEscalation: (complaintId: string) => `complaint-escalation:${complaintId}`,
  complaintForwarding: (complaintId: string) => `complaint-forwarding:${complaintId}`,
  schedulePublication: (standard: string, from: string) => `${SCHEDULE_PUBLICATION}:${standard}:${new Date(from).toISOString()}`,
};

/** The kind of key of a change of the standard published to the contact centre (R12). */
export const SCHEDULE_PUBLICATION = 'schedule-publication';

/** A key's kind, the case it belongs to, and the rest (the stage, the document's tail). */
export function parseOutboxKey(key: string): { kind: string; caseId: string; rest: string } {
  const [kind, caseId = '', ...rest] = key.split(':');
  return { kind, caseId, rest: rest.join(':') };
}
