/** Tool provisioning says plainly what is missing instead of failing with a stack trace. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { goVersionProblem } from '../devtools/tools';

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

  test('with a Go older than the Temporal tools need, it says which was found and what to do, in one line', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'tools-'));
    // A `go` as Debian 12 ships it: only its version is asked before the build, which it must not reach.
    const bin = path.join(cache, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, 'go'),
      '#!/bin/sh\n[ "$1" = version ] && echo "go version go1.19.8 linux/amd64" && exit 0\necho "go: must not build" >&2; exit 3\n',
      {
        mode: 0o755,
      },
    );
    const result = ensure({ HOME: cache, PATH: `${bin}:${path.dirname(process.execPath)}:/bin:/usr/bin`, TEACHER_ATTESTATION_CACHE: cache });
    expect(result.status).toBe(1);
    const advice = result.stderr.trim().split('\n');
    expect(advice).toEqual([
      "Go 1.19.8 found (Debian 12's golang is 1.19); the Temporal tools need Go ≥ 1.25: `go install golang.org/dl/go1.26.8@latest && ~/go/bin/go1.26.8 download`, then put ~/sdk/go1.26.8/bin first on PATH and run again",
    ]);
    fs.rmSync(cache, { recursive: true, force: true });
  });

  test('the Go check: a release from 1.25 on builds; from 1.21 on GOTOOLCHAIN fetches a newer one; output that is no release is named', () => {
    expect(goVersionProblem('go version go1.25.0 linux/amd64')).toBeNull();
    expect(goVersionProblem('go version go1.26.8 linux/amd64')).toBeNull();
    expect(goVersionProblem('go version go1.22.2 linux/amd64')).toBe(
      'Go 1.22.2 found; the Temporal tools need Go ≥ 1.25: run again with GOTOOLCHAIN=go1.26.8 (Go fetches that release from the module proxy by itself)',
    );
    expect(goVersionProblem('go version devel +abc')).toMatch(/not a Go release; Go ≥ 1\.25 is needed/);
  });

  test('a TEMPORAL_CLI that does not exist is named', () => {
    const result = ensure({ ...process.env, TEMPORAL_CLI: '/nonexistent/temporal' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('TEMPORAL_CLI names /nonexistent/temporal, which does not exist');
  });
});
