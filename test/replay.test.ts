/**
 * Replays the recorded histories of every workflow path (test/histories/**.binpb, protobuf, written by
 * `npm run histories`) against the current workflow code. They were recorded afresh at release 1.0.0, which
 * retired the pre-release patches (CHANGELOG.md); from then on, histories of earlier code stay in subdirectories
 * named for the change (`before-<change>/`), so cases started by it keep replaying. A change that would make a
 * running case fail to replay — a non-determinism error — fails here, before it reaches a server with cases in
 * flight. Changes that must alter running workflows go behind `patched()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowCode } from '../worker/workflow-code';

const dir = path.join(__dirname, 'histories');
const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.binpb')).sort();

describe('replay of recorded workflow histories', () => {
  test('there are histories for every path of both workflows', () => {
    const names = files.join(' ');
    for (const path of [
      'accepted',
      'refused-after-overdue',
      'refused-automatically',
      'withdrawn',
      'complaint-upheld-reopens-review',
      'complaints-side-by-side',
      'complaint-overdue-partly-upheld',
      'complaint-upheld',
      'complaint-against-inaction-orders-decision',
      'complaint-late-rejected-or-restored',
      'complaint-lateness-then-result',
      'complaint-satisfied-by-provider',
      'complaint-forwarded-on-expiry-decided-late',
      'complaint-forwarded-by-provider',
      'complaint-upheld-year-held-by-a-newer-application',
      'complaint-upheld-against-closed-case',
      'closed-case-reopened-by-upheld-complaint',
      'refused-automatically-without-consent',
      'standard-1-no-consent-documents-asked-of-the-applicant',
    ]) {
      expect(names).toContain(path);
    }
  });

  test('every recorded history replays against the current workflow code', async () => {
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.binpb$/, '').replace(/\//g, '--'),
      history: temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, file))),
    }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(workflowCode, histories)) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
