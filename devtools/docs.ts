/** Regenerates docs/lifecycle.md from the lifecycle machine (`npm run docs`). */
import fs from 'node:fs';
import path from 'node:path';
import { complaintLifecycle } from '../domain/complaint';
import { lifecycleDiagram } from '../domain/lifecycle';
import { PROJECT_ROOT } from '../infra/paths';

export const LIFECYCLE_DOC = path.join(PROJECT_ROOT, 'docs', 'lifecycle.md');

export function lifecycleDoc(): string {
  return `# Application lifecycle

Generated from \`domain/lifecycle.ts\` and \`domain/complaint.ts\` by \`npm run docs\`; a test fails when this page
and the machines differ. \`overdue\` is a flag set under review when the term passes (R3, R13): the decision is still
owed.

An application stays open after its result is delivered (\`notified\`): the applicant may contest it (R13) until
the administrative (pre-trial) stage is over, three months after the notice (Administrative Procedural Code,
art. 92 §1), or at once after the quality-control authority has decided a complaint. While any complaint is under
review the application is \`contested\`; an upheld complaint against the result in force sends it back to
\`under-review\` with a fresh one-working-day term, and the new result supersedes the old. A complaint against the
provider's inaction is taken \`under-review\` while the decision is overdue (the case stays under review); a
complaint after the period is registered as late, and its review may leave it without consideration (art. 92 §2).

\`\`\`mermaid
${lifecycleDiagram()}
\`\`\`

## A complaint (R13)

Each complaint is a workflow of its own (a child of the application's), with its own clock: registered at the
next working moment (R7). One filed through the provider is \`with-provider\` for 3 working days, in which the
provider may satisfy it in full (upheld), never reject it; then it is forwarded, by the provider or by the service
when the days end, to the body above, which decides it within 5 working days of the registration (APPK art. 91
§4, 002 §18). One to the quality-control authority is decided within 15. \`left-without-consideration\` stands only
on decisions recorded before a late complaint was always considered (APPK art. 92 §3).

\`\`\`mermaid
${lifecycleDiagram(complaintLifecycle)}
\`\`\`
`;
}

if (require.main === module) {
  fs.writeFileSync(LIFECYCLE_DOC, lifecycleDoc());
  console.log(`wrote ${path.relative(PROJECT_ROOT, LIFECYCLE_DOC)}`);
}
