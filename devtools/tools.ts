/**
 * Provisioning of the Temporal tools that the SDK would otherwise download (which cannot work here):
 * the Temporal CLI (dev server with the Web UI) built from its Go module, and the time-skipping test server
 * from Maven Central. Both are cached in CACHE_DIR; `tsx devtools/tools.ts ensure` prepares them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DIR } from '../infra/paths';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
/** The newest CLI tag whose go.mod has no `replace` directive, so `go install` accepts it (DESIGN.md). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEST_SERVER_ARTIFACT = 'io.temporal:temporal-test-server';
export const TEST_SERVER_VERSION = '1.32.1';

/** A tool cannot be had on this machine; the message says what was tried and what to do. */
export class ToolUnavailableError extends Error {
  override name = 'ToolUnavailableError';
}

function onPath(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

function log(message: string): void {
  process.stderr.write(`[tools] ${message}\n`);
}

/**
 * The Temporal CLI: `TEMPORAL_CLI` if set, else `temporal` on PATH, else the cached build, else a fresh
 * `go install` into the cache (a few minutes on two cores, once per machine).
 */
export function ensureTemporalCli(): string {
  const named = process.env.TEMPORAL_CLI;
  if (named) {
    if (!fs.existsSync(named)) throw new ToolUnavailableError(`TEMPORAL_CLI names ${named}, which does not exist`);
    return named;
  }
  const installed = onPath('temporal');
  if (installed) return installed;

  const dir = path.join(CACHE_DIR, `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const binary = path.join(dir, 'temporal');
  if (fs.existsSync(binary)) return binary;

  fs.mkdirSync(CACHE_DIR, { recursive: true });
  if (!onPath('go')) {
    throw new ToolUnavailableError(
      `The Temporal CLI is needed for the dev server and was not found: no TEMPORAL_CLI, no \`temporal\` on PATH, ` +
        `no cached build at ${binary}, and no Go toolchain to build it with. Install Go (https://go.dev/dl/ or ` +
        `\`apt-get install golang\`) or the Temporal CLI, or set TEMPORAL_ADDRESS to use a server you run.`,
    );
  }
  log(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first run on this machine: a few minutes)…`);
  const staging = fs.mkdtempSync(path.join(CACHE_DIR, '.build-'));
  const started = Date.now();
  const build = spawnSync('go', ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOBIN: staging, GOFLAGS: [process.env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' ') },
  });
  if (build.status !== 0 || !fs.existsSync(path.join(staging, 'temporal'))) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new ToolUnavailableError(
      `go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} failed (exit ${build.status}); see the output above. ` +
        `If the Go checksum database cannot be reached, try GONOSUMDB=github.com/temporalio or GOFLAGS=-mod=mod.`,
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.renameSync(path.join(staging, 'temporal'), binary); // atomic: a half-built binary is never cached
  fs.rmSync(staging, { recursive: true, force: true });
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
  return binary;
}

/**
 * An executable that runs Temporal's Java test server with time skipping, in the form the TypeScript SDK
 * calls it (`<path> <port> …`), resolved from Maven Central once and cached.
 */
export function ensureTestServer(): string {
  const dir = path.join(CACHE_DIR, `temporal-test-server-${TEST_SERVER_VERSION}`);
  const launcher = path.join(dir, 'test-server');
  if (fs.existsSync(launcher)) return launcher;

  for (const tool of ['java', 'mvn']) {
    if (!onPath(tool)) {
      throw new ToolUnavailableError(
        `The time-skipping test server (${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION}) needs \`${tool}\` to be ` +
          `fetched from Maven Central and run; install a JDK 17+ and Maven (\`apt-get install default-jdk maven\`).`,
      );
    }
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  log(`fetching ${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION} from Maven Central…`);
  const staging = fs.mkdtempSync(path.join(CACHE_DIR, '.build-'));
  const [groupId, artifactId] = TEST_SERVER_ARTIFACT.split(':');
  fs.writeFileSync(
    path.join(staging, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local.teacher-attestation</groupId><artifactId>test-server-classpath</artifactId><version>1</version>
  <dependencies><dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${TEST_SERVER_VERSION}</version></dependency></dependencies>
</project>\n`,
  );
  const fetch = spawnSync('mvn', ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'], {
    cwd: staging,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (fetch.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new ToolUnavailableError(`mvn could not fetch ${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION} (exit ${fetch.status})`);
  }
  // Quick JVM start matters: the SDK gives the server about five seconds to answer.
  fs.writeFileSync(
    path.join(staging, 'test-server'),
    `#!/bin/sh\n# Temporal's time-skipping test server; called by the SDK as: test-server <port> [args…]\n` +
      `exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss1m -cp "${dir}/lib/*" io.temporal.testserver.TestServer "$@" --enable-time-skipping\n`,
    { mode: 0o755 },
  );
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  return launcher;
}

if (require.main === module) {
  const command = process.argv[2] ?? 'ensure';
  try {
    if (command !== 'ensure') throw new ToolUnavailableError(`unknown command ${command}; use: ensure`);
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    log(`temporal CLI: ${ensureTemporalCli()}`);
    log(`test server:  ${ensureTestServer()}`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
