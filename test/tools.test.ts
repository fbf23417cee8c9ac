/** Tool provisioning says plainly what is missing instead of failing with a stack trace. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

function ensure(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'devtools', 'tools.ts'), 'ensure'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
}

describe('tool provisioning', () => {
  test('with no Temporal CLI and no Go toolchain it explains what to install, without a stack trace', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'tools-'));
    const result = ensure({
      HOME: cache,
      PATH: path.dirname(process.execPath) === '/usr/bin' ? '/usr/bin:/bin' : `${path.dirname(process.execPath)}:/bin`,
      TEACHER_ATTESTATION_CACHE: cache,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no Go toolchain to build it with/);
    expect(result.stderr).toMatch(/TEMPORAL_ADDRESS/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    fs.rmSync(cache, { recursive: true, force: true });
  });

  test('a TEMPORAL_CLI that does not exist is named', () => {
    const result = ensure({ ...process.env, TEMPORAL_CLI: '/nonexistent/temporal' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('TEMPORAL_CLI names /nonexistent/temporal, which does not exist');
  });
});
