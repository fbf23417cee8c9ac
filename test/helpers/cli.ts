import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/** Runs the CLI as `npm run --silent cli -- …` does, returning its exit code and output. */
export function cli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'client', 'cli.ts'), ...args], {
    cwd: root,
    input: options.input,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
