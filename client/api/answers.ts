/**
 * What the API answers, as schemas (issue 34): the OpenAPI document gives each successful answer its schema from
 * here, so a client generated from `GET /openapi.json` is typed, and the conformance fuzzer checks every answer it
 * sees against them. They describe the views of views.ts and the workflows' statuses (domain/case-status.ts); an
 * answer that drifts from them fails the fuzzer's response check and the generated client's walk
 * (test/openapi-conformance.e2e.test.ts).
 */
import { z } from 'zod';
import { ROLES } from '../../domain/authority';
import { ADDRESSEES, COMPLAINT_STATES, OUTCOMES, SUBJECTS } from '../../domain/complaint';
import { CUSTODY_STEPS } from '../../domain/custody';
import { APPLICATION_STATES } from '../../domain/lifecycle';
import { NOTICE_KINDS } from '../../domain/notices';
import { UNIT_KINDS } from '../../domain/provider-units';
import { CATEGORIES, CHANNELS } from '../../domain/service';
import { STANDARD_IDS } from '../../domain/standards';

const instant = () => z.string().describe('an ISO 8601 instant');
const uuid = () => z.string().describe('a UUID');
const applicationState = z.enum(APPLICATION_STATES);
const decision = z.enum(['accept', 'refuse']);

/** R5, R14: the result's way through the State Corporation (earlier standard). */
const Custody = z
  .object({
    place: z.enum(['state-corporation', 'home']),
    atStateCorporationAt: instant().nullable(),
    storageEndsAt: instant().nullable(),
    issuedAt: instant().nullable(),
    issuedTo: z.enum(['applicant', 'representative']).nullable(),
    returnedToProviderAt: instant().nullable(),
    requestedAt: instant().nullable(),
    resendDueAt: instant().nullable(),
  })
  .describe(`the result's way through the State Corporation: ${CUSTODY_STEPS.join(', ')}`);

const SupersededResult = z.object({
  round: z.number().int(),
  decision,
  decidedAt: instant(),
  notifiedAt: instant().nullable(),
  supersededAt: instant(),
});

/** A signed document of the cabinet (R5, R13). */
export const Notice = z.object({
  noticeId: uuid(),
  kind: z.enum(NOTICE_KINDS as [string, ...string[]]),
  round: z.number().int(),
  supersededAt: instant().nullable(),
  complaintId: uuid().nullable(),
  language: z.enum(['kk', 'ru']),
  createdAt: instant(),
  body: z.string().describe('the document, as signed'),
  signature: z
    .object({ format: z.string(), value: z.string().describe('base64 DER'), certificateFingerprint: z.string().nullable() })
    .nullable()
    .describe('CMS SignedData over the UTF-8 bytes of body; the certificate at GET /signing-certificates/{fingerprint}'),
});

const complaintCommon = {
  complaintId: uuid(),
  applicationId: uuid(),
  addressee: z.enum(ADDRESSEES),
  reviewingUnit: z.string().nullable().describe('the unit of the registry reviewing it'),
  state: z.enum(COMPLAINT_STATES),
  overdue: z.boolean(),
  submittedAt: instant(),
  registeredAt: instant(),
  dueAt: instant(),
  contestedRound: z.number().int(),
  subject: z.enum(SUBJECTS),
  late: z.boolean(),
  periodRestored: z.boolean().nullable(),
  providerDueAt: instant()
    .nullable()
    .optional()
    .describe('filed through the provider: the end of its 3 working days to satisfy it in full (APPK art. 91 §4)'),
  forwardedAt: instant().nullable().optional().describe('when it went on to the body above the provider'),
  forwardedBy: z.enum(['provider', 'service']).nullable().optional().describe('service: the provider let its 3 working days pass'),
  outcome: z.enum(OUTCOMES).nullable(),
  motivation: z
    .strictObject({ kk: z.string(), ru: z.string() })
    .nullable()
    .describe('in each language of the documents (a decision from before issue 31: its one text in both)'),
  official: z.string().nullable(),
  decidedBy: z.enum(['provider', 'reviewing-body']).nullable().optional().describe('the provider satisfying it in full, or the body reviewing it'),
  decidedAt: instant().nullable(),
};

/** A complaint as its case lists it. */
const ComplaintItem = z.object({ ...complaintCommon, endedWithoutDecision: z.literal(true).optional() });

const caseFields = {
  standard: z.enum(STANDARD_IDS),
  channel: z.enum(CHANNELS),
  state: applicationState,
  submittedAt: instant(),
  registeredAt: instant().nullable(),
  decisionDueAt: instant().nullable(),
  overdue: z.boolean(),
  decision: decision.nullable(),
  refusalGrounds: z.array(z.number().int()).nullable(),
  round: z.number().int(),
  supersededResults: z.array(SupersededResult),
  complaintPeriodEndsAt: instant().nullable(),
  preTrialCompletedAt: instant().nullable(),
  custody: Custody.nullable(),
  identity: z
    .object({
      register: z.enum(['confirmed', 'name-differs', 'not-found']),
      registerName: z.string().nullable().describe('the name the person register holds, which the documents print'),
      submittedName: z.string().describe('the name the caller submitted; never printed when the register holds another'),
    })
    .nullable()
    .describe('R8: what the person register (ГБД ФЛ) said of the applicant; null when it was not asked (no consent, or a case from before)'),
};

/** GET /applications/{id}: the case, its complaints and its documents. */
export const CaseAnswer = z.object({
  applicationId: uuid(),
  providerUnit: z.string().nullable().describe('the unit of the registry that provides the service (R1), whose authorised persons decide the case'),
  ...caseFields,
  decisionOrderedAt: instant().nullable(),
  yearHeldBy: uuid().nullable(),
  complaints: z.array(ComplaintItem),
  notices: z.array(Notice),
});

/** What an update of a case answers: the case as its workflow holds it after the update. */
export const CaseStatusAnswer = z.object({
  applicationId: uuid(),
  ...caseFields,
  decidedAt: instant().nullable(),
  notifiedAt: instant().nullable(),
  withdrawnAt: instant().nullable(),
  decisionOrderedAt: instant().optional(),
  yearHeldBy: uuid().optional(),
  complaints: z.array(
    z.object({
      complaintId: uuid(),
      addressee: z.enum(ADDRESSEES),
      subject: z.enum(SUBJECTS).optional(),
      late: z.boolean().optional(),
      submittedAt: instant(),
      registeredAt: instant(),
      dueAt: instant(),
      contestedRound: z.number().int(),
      outcome: z.enum(OUTCOMES).nullable(),
      decidedAt: instant().nullable(),
      endedWithoutDecision: z.boolean().optional(),
    }),
  ),
});

/** POST /applications: accepted for processing. */
export const SubmittedAnswer = z.object({
  applicationId: uuid(),
  workflowId: z.string(),
  cabinetId: uuid().describe("the applicant's personal cabinet"),
  state: z.literal('received'),
  standard: z.enum(STANDARD_IDS),
});

/** POST /applications/{id}/complaints: registered. */
export const FiledComplaintAnswer = z.object({
  complaintId: uuid(),
  workflowId: z.string(),
  addressee: z.enum(ADDRESSEES),
  subject: z.enum(SUBJECTS),
  late: z.boolean(),
  registeredAt: instant(),
  dueAt: instant(),
});

/** GET /complaints/{id}. */
export const ComplaintAnswer = z.object({
  ...complaintCommon,
  restorationReason: z.string().nullable(),
  notifiedAt: instant().nullable(),
  documents: z.array(Notice),
});

/** POST /complaints/{id}/decision: the complaint as its workflow holds it after the decision. */
export const ComplaintStatusAnswer = z.object({
  ...complaintCommon,
  reviewingUnit: z.string().nullable().optional(),
  restorationReason: z.string().nullable(),
  notifiedAt: instant().nullable(),
});

/** GET /cabinets/{cabinetId}. */
/** R11: what the Unified Contact Centre reads back to the teacher. */
export const StatusLookupAnswer = z.object({
  applicationId: uuid(),
  state: applicationState,
  status: z.object({ kk: z.string(), ru: z.string() }).describe('the state in words'),
  submittedAt: instant(),
  registeredAt: instant().nullable(),
  decisionDueAt: instant().nullable(),
  overdue: z.boolean(),
  decidedAt: instant().nullable(),
  complaintPeriodEndsAt: instant().nullable(),
  nextStep: z.object({ kk: z.string(), ru: z.string() }).describe('what happens next, and by when, as said to the teacher'),
});

export const CabinetAnswer = z.object({
  cabinetId: uuid(),
  applications: z.array(
    z.object({
      applicationId: uuid(),
      category: z.enum(CATEGORIES),
      academicYear: z.string(),
      state: applicationState,
      preTrialCompletedAt: instant().nullable(),
      documents: z.array(Notice),
    }),
  ),
});

/** GET /provider-units. */
export const ProviderUnitsAnswer = z.object({
  units: z.array(
    z.looseObject({
      id: z.string(),
      kind: z.enum(UNIT_KINDS),
      parent: z.string().nullable(),
      names: z.object({ kk: z.string(), ru: z.string() }),
      territory: z.string().optional(),
      superiorBody: z
        .string()
        .optional()
        .describe('the body that decides complaints filed through this unit, where it is not its parent (APPK art. 91 §4)'),
    }),
  ),
});

/** GET /authorised-persons (issue 31): who may sign each unit's decisions; no IIN leaves the service. */
export const AuthorisedPersonsAnswer = z.object({
  persons: z.array(
    z.object({
      id: z.string(),
      unit: z.string(),
      name: z.string(),
      position: z.object({ kk: z.string(), ru: z.string() }),
      from: instant(),
      until: instant().nullable(),
    }),
  ),
});

/** POST /applications/{id}/decision/documents, POST /complaints/{id}/decision/documents (issue 31). */
export const PreparedDocumentsAnswer = z.object({
  kind: z.enum(['acceptance', 'receipt', 'refusal', 'complaint-decision']),
  unit: z.string().describe('the deciding unit, whose authorised person signs'),
  official: z.object({ id: z.string(), name: z.string(), position: z.object({ kk: z.string(), ru: z.string() }) }),
  preparedAt: instant().describe('repeated in the decision: the decision date the documents print'),
  documents: z.array(
    z.object({
      language: z.enum(['kk', 'ru']),
      body: z.string().describe("the exact text to sign: a detached CMS over its UTF-8 bytes, with the official's own certificate"),
    }),
  ),
});

/** GET /signing-certificates/{fingerprint}. */
export const SigningCertificateAnswer = z.object({
  fingerprint: z.string(),
  unit: z.string(),
  person: z.string(),
  organisation: z.string(),
  notBefore: instant(),
  notAfter: instant(),
  pem: z.string(),
});

/** GET /healthz, answered 200 or 503. */
export const HealthAnswer = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.string()).optional().describe('each part: ok, or what is wrong (a read key only)'),
  outbox: z.looseObject({}).optional().describe('undelivered messages and dead letters (a read key only)'),
  warnings: z.array(z.string()).optional().describe('what needs an operator soon, e.g. a signing certificate near its end (a read key only)'),
});

/** GET /support/stuck. */
export const StuckAnswer = z.object({
  checkedAt: instant(),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  truncated: z.boolean(),
  cases: z.array(
    z.object({
      reason: z.string(),
      applicationId: uuid().nullable(),
      complaintId: uuid().nullable(),
      workflowId: z.string(),
      detail: z.string(),
      nextStep: z.string(),
      since: instant().nullable(),
      lastError: z.string().nullable(),
    }),
  ),
});

/** GET /support/cases/{id}: the story; its parts are described in docs/support.md. */
export const StoryAnswer = z.looseObject({
  applicationId: uuid(),
  state: applicationState,
  overdue: z.boolean(),
  deadlines: z.looseObject({}),
  stages: z.array(z.looseObject({ stage: z.string(), at: instant() })),
  complaints: z.array(z.looseObject({})),
});

/** The codec server's answer: the payloads, encoded or decoded. */
export const PayloadsAnswer = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })),
});

/** GET /openapi.json: an OpenAPI 3.1 document. */
export const OpenApiAnswer = z.looseObject({ openapi: z.string(), paths: z.looseObject({}) });

/** POST /support/cases/{id}/restart: the case started again. */
export const RestartedAnswer = z.object({
  applicationId: uuid(),
  workflowId: z.string(),
  runId: z.string(),
  endedRun: z.object({
    status: z
      .string()
      .describe(
        'how the run before ended: FAILED, TIMED_OUT, TERMINATED, CANCELLED; NOT_FOUND when Temporal had none (restored from an older backup)',
      ),
    closedAt: instant().nullable(),
  }),
});

/** GET /support/cases/{id}/reads: who read the case's personal data (issue 32). */
export const CaseReadsAnswer = z.object({
  applicationId: uuid(),
  reads: z.array(
    z.object({
      client: z.string(),
      role: z.enum(ROLES),
      route: z.string().describe('the route it was read through, as registered: GET /applications/:id'),
      at: instant(),
    }),
  ),
});
