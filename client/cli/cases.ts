/** The application and complaint commands: they talk to the HTTP API as any integrator would. */
import { InvalidArgumentError, type Command } from 'commander';
import { api, readJson } from './terminal';
import { decideSigned, type SignatureFlags } from './signing';

export function caseCommands(program: Command): void {
  program
    .command('submit')
    .description('submit an application (JSON as in POST /applications) from a file or - for stdin')
    .argument('<file>')
    .action((file: string) => api('POST', '/applications', readJson(file)));

  program
    .command('status')
    .description('show an application: state, registration, deadline, decision, notices')
    .argument('<applicationId>')
    .action((id: string) => api('GET', `/applications/${encodeURIComponent(id)}`));

  const decisionOptions = (command: Command) =>
    command
      .requiredOption('--decision <decision>', 'accept or refuse')
      .requiredOption('--official <person>', 'the deciding official: their id in the registry of authorised persons (GET /authorised-persons)')
      .option('--grounds <list>', 'refusal grounds of R9, comma-separated (1,2,3)')
      .option('--motivation-kk <text>', 'the motivation of a refusal, in Kazakh (the Kazakh document prints it)')
      .option('--motivation-ru <text>', 'the motivation of a refusal, in Russian (the Russian document prints it)');
  const decisionOf = (o: DecisionFlags) => ({
    decision: o.decision,
    official: o.official,
    ...(o.grounds && { grounds: o.grounds.split(',').map((g) => Number(g.trim())) }),
    ...((o.motivationKk || o.motivationRu) && { motivation: { kk: o.motivationKk, ru: o.motivationRu } }),
  });

  decisionOptions(
    program
      .command('prepare-decision')
      .description("the documents the provider's decision will issue, for its official to sign (issue 31); nothing changes")
      .argument('<applicationId>'),
  ).action((id: string, o: DecisionFlags) => api('POST', `/applications/${encodeURIComponent(id)}/decision/documents`, decisionOf(o)));

  decisionOptions(
    program
      .command('decide')
      .description(
        "record the provider's decision (R3, R9), signed by its official over the documents prepared for it (issue 31): the signatures given, or made with the development person's key",
      )
      .argument('<applicationId>'),
  )
    .option('--prepared-at <instant>', 'when the signed documents were prepared (prepare-decision answers it)')
    .option('--signature-kk <cms>', "the official's detached CMS over the Kazakh document, base64 (or @file)")
    .option('--signature-ru <cms>', "the official's detached CMS over the Russian document, base64 (or @file)")
    .option(
      '--sign-as-development-person',
      "development only: prepare, sign with the official's development key in DATA_DIR (as NCALayer would), decide",
    )
    .action((id: string, o: DecisionFlags & SignatureFlags) => decideSigned(`/applications/${encodeURIComponent(id)}/decision`, decisionOf(o), o));

  program
    .command('withdraw')
    .description("withdraw an application on the applicant's behalf (only before the decision)")
    .argument('<applicationId>')
    .option('--reason <text>', "the applicant's reason")
    .action((id: string, o: { reason?: string }) =>
      api('POST', `/applications/${encodeURIComponent(id)}/withdrawal`, o.reason ? { reason: o.reason } : {}),
    );

  // R5, R14 (earlier standard): a State Corporation result, at the counter and after.
  program
    .command('issue-result')
    .description('the State Corporation issues the result to the applicant or a representative (R5); at home for a home visit (R11)')
    .argument('<applicationId>')
    .requiredOption('--official <name>', 'the State Corporation employee')
    .option('--to <whom>', 'applicant or representative', 'applicant')
    .option('--power-of-attorney <number and date>', "a representative's notarised power of attorney")
    .option('--at-home', 'issued on the home visit the applicant asked for (R11)')
    .action((id: string, o: { official: string; to: string; powerOfAttorney?: string; atHome?: boolean }) =>
      api('POST', `/applications/${encodeURIComponent(id)}/result-issue`, {
        to: o.to,
        place: o.atHome ? 'home' : 'state-corporation',
        official: o.official,
        ...(o.powerOfAttorney && { powerOfAttorney: o.powerOfAttorney }),
      }),
    );

  program
    .command('request-result')
    .description('the applicant came after the result went back to the provider: ask for it again (R14, one working day)')
    .argument('<applicationId>')
    .requiredOption('--official <name>', 'the State Corporation employee')
    .action((id: string, o: { official: string }) => api('POST', `/applications/${encodeURIComponent(id)}/result-request`, { official: o.official }));

  program
    .command('dispatch-result')
    .description('the provider sends the result back to the State Corporation after a later request (R14)')
    .argument('<applicationId>')
    .requiredOption('--official <name>', "the provider's official")
    .action((id: string, o: { official: string }) =>
      api('POST', `/applications/${encodeURIComponent(id)}/result-dispatch`, { official: o.official }),
    );

  program
    .command('complain')
    .description(
      "file a complaint against an application's result (R13): through the provider to the body above it (the provider may satisfy it in 3 working days; decided in 5), or to the quality authority (15)",
    )
    .argument('<applicationId>')
    .requiredOption('--to <addressee>', 'provider or quality-authority')
    .requiredOption('--text <text>', 'what the complaint is about')
    .option('--subject <subject>', "what it contests: result (default), lateness of the decision, or the provider's inaction while overdue")
    .option('--ground <text...>', 'grounds of the complaint, one per option')
    .option('--restoration-reason <text>', 'for a complaint after the three months: why the period should be restored (APPK art. 92)')
    .option('--submitted-at <instant>', 'when the applicant filed it (ISO 8601; now when absent)')
    .action((id: string, o: { to: string; text: string; subject?: string; ground?: string[]; restorationReason?: string; submittedAt?: string }) =>
      api('POST', `/applications/${encodeURIComponent(id)}/complaints`, {
        addressee: o.to,
        text: o.text,
        ...(o.subject && { subject: o.subject }),
        ...(o.ground && { grounds: o.ground }),
        ...(o.restorationReason && { restorationReason: o.restorationReason }),
        ...(o.submittedAt && { submittedAt: o.submittedAt }),
      }),
    );

  program
    .command('complaint')
    .description('show a complaint: registration, due time, overdue flag, outcome, decision documents')
    .argument('<complaintId>')
    .action((id: string) => api('GET', `/complaints/${encodeURIComponent(id)}`));

  const complaintDecisionOptions = (command: Command) =>
    command
      .requiredOption('--outcome <outcome>', 'upheld, partly-upheld or rejected')
      .requiredOption('--motivation-kk <text>', 'the motivation of the decision, in Kazakh')
      .requiredOption('--motivation-ru <text>', 'the motivation of the decision, in Russian')
      .requiredOption('--official <person>', 'the deciding official: their id in the registry of authorised persons (GET /authorised-persons)')
      .option('--period-restored <yes|no>', 'for a late complaint: whether the period is restored (APPK art. 92)', (v: string) => {
        if (v !== 'yes' && v !== 'no') throw new InvalidArgumentError('must be yes or no');
        return v === 'yes';
      });
  const complaintDecisionOf = (o: ComplaintDecisionFlags) => ({
    outcome: o.outcome,
    motivation: { kk: o.motivationKk, ru: o.motivationRu },
    official: o.official,
    ...(o.periodRestored !== undefined && { periodRestored: o.periodRestored }),
  });

  complaintDecisionOptions(
    program
      .command('prepare-complaint-decision')
      .description("a complaint's decision as it will be issued, for the deciding official to sign (issue 31); nothing changes")
      .argument('<complaintId>'),
  ).action((id: string, o: ComplaintDecisionFlags) =>
    api('POST', `/complaints/${encodeURIComponent(id)}/decision/documents`, complaintDecisionOf(o)),
  );

  complaintDecisionOptions(
    program
      .command('decide-complaint')
      .description(
        "record a motivated decision on a complaint (R13): the reviewing body's, or the full satisfaction (upheld) by the provider it was filed through (APPK art. 91 §4); signed by its official as a provider's decision is (issue 31)",
      )
      .argument('<complaintId>'),
  )
    .option('--prepared-at <instant>', 'when the signed documents were prepared (prepare-complaint-decision answers it)')
    .option('--signature-kk <cms>', "the official's detached CMS over the Kazakh document, base64 (or @file)")
    .option('--signature-ru <cms>', "the official's detached CMS over the Russian document, base64 (or @file)")
    .option(
      '--sign-as-development-person',
      "development only: prepare, sign with the official's development key in DATA_DIR (as NCALayer would), decide",
    )
    .action((id: string, o: ComplaintDecisionFlags & SignatureFlags) =>
      decideSigned(`/complaints/${encodeURIComponent(id)}/decision`, complaintDecisionOf(o), o),
    );

  program
    .command('forward-complaint')
    .description('send a complaint filed through the provider on to the body above it, which decides it (R13, APPK art. 91 §4)')
    .argument('<complaintId>')
    .requiredOption('--official <name>', 'the official who forwards it')
    .action((id: string, o: { official: string }) => api('POST', `/complaints/${encodeURIComponent(id)}/forwarding`, { official: o.official }));
}

interface DecisionFlags {
  decision: string;
  official: string;
  grounds?: string;
  motivationKk?: string;
  motivationRu?: string;
}

interface ComplaintDecisionFlags {
  outcome: string;
  motivationKk: string;
  motivationRu: string;
  official: string;
  periodRestored?: boolean;
}
