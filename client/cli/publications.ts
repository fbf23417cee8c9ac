/**
 * R12: the changes of the standard the central body must publish to the Unified Contact Centre within three
 * working days of their adoption, as recorded (infra/schedule-publication.ts): each with its term, when it reached
 * the contact centre, and whether that was late. Reads the case store's outbox.
 */
import type { Command } from 'commander';
import { formatInstant } from '../../domain/calendar';
import { publicationRecords } from '../../infra/schedule-publication';
import { withStore } from './terminal';

export function publicationCommands(program: Command): void {
  program
    .command('publications')
    .description('R12: each change of the standard, its three-working-day term to reach the Unified Contact Centre, and when it did')
    .option('--json', 'as JSON')
    .action(async (o: { json?: boolean }) => {
      const records = await withStore((store) => publicationRecords(store));
      if (o.json) return console.log(JSON.stringify(records, null, 2));
      if (!records.length)
        return console.log('No change of the standard records its adoption (STANDARD_SCHEDULE entries with "adopted"): nothing to publish.');
      for (const r of records) {
        const delivered = r.deliveredAt
          ? `reached the contact centre ${formatInstant(new Date(r.deliveredAt))}`
          : `not delivered yet (${r.status}, ${r.attempts} attempt(s))`;
        console.log(
          `${r.standard} from ${formatInstant(new Date(r.from))}: adopted ${formatInstant(new Date(r.adopted))}, due ${formatInstant(new Date(r.dueAt))}; ${delivered}${r.late ? ' — LATE (R12)' : ''}`,
        );
        console.log(`  ${r.basis}`);
        if (r.lastError && !r.deliveredAt) console.log(`  last error: ${r.lastError}`);
      }
    });
}
