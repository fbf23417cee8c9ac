/** Regenerates docs/lifecycle.md from the lifecycle machine (`npm run docs`). */
import fs from 'node:fs';
import path from 'node:path';
import { lifecycleDiagram } from '../domain/lifecycle';
import { PROJECT_ROOT } from './paths';

export const LIFECYCLE_DOC = path.join(PROJECT_ROOT, 'docs', 'lifecycle.md');

export function lifecycleDoc(): string {
  return `# Application lifecycle

Generated from \`domain/lifecycle.ts\` by \`npm run docs\`; a test fails when this page and the machine differ.
\`overdue\` is a flag set under review when the one-working-day term passes (R3): the decision is still owed.

\`\`\`mermaid
${lifecycleDiagram()}
\`\`\`
`;
}

if (require.main === module) {
  fs.writeFileSync(LIFECYCLE_DOC, lifecycleDoc());
  console.log(`wrote ${path.relative(PROJECT_ROOT, LIFECYCLE_DOC)}`);
}
