/**
 * Provisioning of the tools that would otherwise be downloaded (which cannot work here): the Temporal CLI (the
 * dev server) and Temporal's Web UI server, built from their Go modules; the time-skipping test server from
 * Maven Central; Chromium for the browser tests from Debian's packages. The builds are cached in CACHE_DIR;
 * `tsx devtools/tools.ts ensure` prepares them all.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DIR, PROJECT_ROOT } from '../infra/paths';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
/** The newest CLI tag whose go.mod has no `replace` directive, so `go install` accepts it (DESIGN.md). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
/** Temporal's Web UI server, the same version as compose's `temporalio/ui` image (test/compose.test.ts checks). */
export const UI_SERVER_MODULE = 'github.com/temporalio/ui-server/v2/cmd/server';
export const UI_SERVER_VERSION = '2.42.1';
/**
 * The Temporal server and its SQL schema tool for `npm run start:cluster` (issue 18): the same version as compose's
 * `temporalio/server` and `temporalio/admin-tools` images (test/compose.test.ts checks). v1.29.x builds with Go
 * 1.26 and has no `replace` directive; later ones ask for a newer Go.
 */
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_SERVER_VERSION = '1.29.1';
/** The OpenAPI conformance fuzzer the contract test runs (issue 34), from PyPI. */
export const SCHEMATHESIS_VERSION = '4.32.5';
/** The Node LTS the image runs and the suite runs on a second time (issue 32); Node 20's support ended 30 April 2026. */
export const NODE_LTS_VERSION = '22.23.3';
export const TEST_SERVER_ARTIFACT = 'io.temporal:temporal-test-server';
export const TEST_SERVER_VERSION = '1.32.1';

/**
 * The oldest Go that builds the pinned Temporal modules: their go.mod files say `go 1.25` (the CLI v1.5.1 and the
 * server v1.29.1), and an older `go` refuses them with a message about the go line that does not say what to do.
 */
export const GO_NEEDED = '1.25';
/** The Go release the advice installs: the one this project's builds are checked with (DESIGN.md). */
export const GO_ADVISED = '1.26.8';

/**
 * Why the `go` found cannot build the tools, in one line that says what to do, or null when it can. `versionLine`
 * is what `go version` printed. A Go ≥ 1.21 switches to a newer release by itself with GOTOOLCHAIN (fetched from
 * the module proxy); an older one installs the newer release's wrapper (golang.org/dl) and lets it download.
 */
export function goVersionProblem(versionLine: string, needed = GO_NEEDED): string | null {
  const found = /\bgo(\d+)\.(\d+)(?:\.(\d+))?/.exec(versionLine);
  if (!found)
    return `\`go version\` printed ${JSON.stringify(versionLine.trim().slice(0, 80))}, not a Go release; Go ≥ ${needed} is needed to build the Temporal tools`;
  const [major, minor] = [Number(found[1]), Number(found[2])];
  const [neededMajor, neededMinor] = needed.split('.').map(Number);
  if (major > neededMajor || (major === neededMajor && minor >= neededMinor)) return null;
  const release = `${found[1]}.${found[2]}${found[3] ? `.${found[3]}` : ''}`;
  return minor >= 21 || major > 1
    ? `Go ${release} found; the Temporal tools need Go ≥ ${needed}: run again with GOTOOLCHAIN=go${GO_ADVISED} (Go fetches that release from the module proxy by itself)`
    : `Go ${release} found (Debian 12's golang is 1.19); the Temporal tools need Go ≥ ${needed}: \`go install golang.org/dl/go${GO_ADVISED}@latest && ~/go/bin/go${GO_ADVISED} download\`, then put ~/sdk/go${GO_ADVISED}/bin first on PATH and run again`;
}

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
 * A Go program built once with `go install <module>@<version>` into CACHE_DIR/<dirName>/<binary> (a few minutes
 * on two cores the first time on a machine); `what` names it in messages.
 */
function goInstallCached(what: string, module: string, version: string, dirName: string, binary: string): string {
  const dir = path.join(CACHE_DIR, dirName);
  const cached = path.join(dir, binary);
  if (fs.existsSync(cached)) return cached;

  fs.mkdirSync(CACHE_DIR, { recursive: true });
  if (!onPath('go')) {
    throw new ToolUnavailableError(
      `${what} is needed and was not found: no cached build at ${cached}, and no Go toolchain to build it with. ` +
        `Install Go ≥ ${GO_NEEDED} (Debian 12's \`apt-get install golang\` gives 1.19, too old: see README, "Set-up"), or set TEMPORAL_ADDRESS to use a server you run.`,
    );
  }
  const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
  const oldGo = goVersionProblem(`${goVersion.stdout ?? ''}${goVersion.stderr ?? ''}`);
  if (oldGo) throw new ToolUnavailableError(oldGo);
  log(`building ${what} ${version} with go install (first run on this machine: a few minutes)…`);
  const staging = fs.mkdtempSync(path.join(CACHE_DIR, '.build-'));
  const started = Date.now();
  const build = spawnSync('go', ['install', `${module}@${version}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOBIN: staging, GOFLAGS: [process.env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' ') },
  });
  const built = path.join(staging, path.basename(module));
  if (build.status !== 0 || !fs.existsSync(built)) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new ToolUnavailableError(
      `go install ${module}@${version} failed (exit ${build.status}); see the output above. ` +
        `If the Go checksum database cannot be reached, try GONOSUMDB=github.com/temporalio or GOFLAGS=-mod=mod.`,
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.renameSync(built, cached); // atomic: a half-built binary is never cached
  fs.rmSync(staging, { recursive: true, force: true });
  log(`${what} built in ${Math.round((Date.now() - started) / 1000)} s: ${cached}`);
  return cached;
}

/** The Temporal CLI (the dev server): `TEMPORAL_CLI` if set, else `temporal` on PATH, else the cached build. */
export function ensureTemporalCli(): string {
  const named = process.env.TEMPORAL_CLI;
  if (named) {
    if (!fs.existsSync(named)) throw new ToolUnavailableError(`TEMPORAL_CLI names ${named}, which does not exist`);
    return named;
  }
  return (
    onPath('temporal') ??
    goInstallCached('the Temporal CLI', TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal')
  );
}

/**
 * Temporal's Web UI server — the program inside the `temporalio/ui` image compose runs, at the same version — so
 * that `npm start` serves the UI with the codec's `includeCredentials` (the dev server's own UI cannot set it, and
 * without it the browser never sends the operator's codec session: issue 17).
 */
export function ensureUiServer(): string {
  return goInstallCached(
    'the Temporal UI server',
    UI_SERVER_MODULE,
    `v${UI_SERVER_VERSION}`,
    `temporal-ui-server-v${UI_SERVER_VERSION}`,
    'temporal-ui-server',
  );
}

export interface TemporalServerTools {
  /** the server binary (`temporal-server … start --service <name>`) */
  server: string;
  /** `temporal-sql-tool`, with the server's schemas embedded */
  sqlTool: string;
  /** the directory holding `config/docker.yaml`, the config template the `temporalio/server` image starts from */
  root: string;
}

/**
 * Temporal's server and SQL tool, built from `go.temporal.io/server` (about four minutes the first time on two
 * cores), with the module's own config template beside them: the file the `temporalio/server` image of the same
 * version renders from its environment, so compose and the local cluster configure the server the same way.
 */
export function ensureTemporalServer(): TemporalServerTools {
  const version = `v${TEMPORAL_SERVER_VERSION}`;
  const dirName = `temporal-server-${version}`;
  const root = path.join(CACHE_DIR, dirName);
  const server = goInstallCached('the Temporal server', `${TEMPORAL_SERVER_MODULE}/cmd/server`, version, dirName, 'temporal-server');
  const sqlTool = goInstallCached("Temporal's SQL schema tool", `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql`, version, dirName, 'temporal-sql-tool');
  const template = path.join(root, 'config', 'docker.yaml');
  if (!fs.existsSync(template)) {
    // The module's source is in Go's module cache after the build (or is fetched again from the module proxy).
    const download = spawnSync('go', ['mod', 'download', '-json', `${TEMPORAL_SERVER_MODULE}@${version}`], { encoding: 'utf8' });
    const dir = download.status === 0 ? (JSON.parse(download.stdout) as { Dir?: string }).Dir : undefined;
    if (!dir) throw new ToolUnavailableError(`go mod download ${TEMPORAL_SERVER_MODULE}@${version} failed: ${download.stderr}`);
    fs.mkdirSync(path.dirname(template), { recursive: true });
    fs.copyFileSync(path.join(dir, 'config', 'docker.yaml'), `${template}.partial`);
    fs.renameSync(`${template}.partial`, template);
  }
  return { server, sqlTool, root };
}

/**
 * A program from one of Debian's packages: `envVar` if set, else the program on PATH, else the package installed
 * (as root, with apt-get; reading the package lists once if the machine never did) — never a download of its own.
 */
function ensureDebianProgram(program: string, debianPackage: string, envVar: string, neededFor: string): string {
  const named = process.env[envVar];
  if (named) {
    if (!fs.existsSync(named)) throw new ToolUnavailableError(`${envVar} names ${named}, which does not exist`);
    return named;
  }
  const found = onPath(program);
  if (found) return found;
  const asRoot = process.getuid?.() === 0;
  if (!asRoot || !onPath('apt-get')) {
    throw new ToolUnavailableError(
      `${neededFor} and it was not found: install Debian's package (\`sudo apt-get install ${debianPackage}\`) or set ${envVar} to the executable.`,
    );
  }
  log(`installing Debian's ${debianPackage} package (first run on this machine: under a minute)…`);
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  // A machine whose package lists were never read knows no such package yet: read them once, then try again.
  if (!install() && !(spawnSync('apt-get', ['update'], { stdio: ['ignore', 'inherit', 'inherit'] }).status === 0 && install())) {
    throw new ToolUnavailableError(`apt-get could not install ${debianPackage}; see the output above, or set ${envVar} to the executable.`);
  }
  const installed = onPath(program);
  if (!installed) throw new ToolUnavailableError(`apt-get installed ${debianPackage}, but no \`${program}\` is on PATH`);
  return installed;
}

/** Chromium for the browser tests and the docs' screenshots (Debian's `chromium`; `CHROMIUM` names another). */
export function ensureChromium(): string {
  return ensureDebianProgram('chromium', 'chromium', 'CHROMIUM', 'The browser tests need Chromium');
}

/**
 * Prometheus and its `promtool`, for the alert rules' tests (infra/prometheus/): Debian's `prometheus` package;
 * `PROMETHEUS` names another `prometheus`, with its `promtool` beside it.
 */
export function ensurePrometheus(): { prometheus: string; promtool: string } {
  const prometheus = ensureDebianProgram('prometheus', 'prometheus', 'PROMETHEUS', 'The alert rules are tested with Prometheus');
  const promtool = path.join(path.dirname(prometheus), 'promtool');
  if (!fs.existsSync(promtool)) throw new ToolUnavailableError(`no promtool beside ${prometheus}`);
  return { prometheus, promtool };
}

/**
 * SQLite's shell, whose `.backup` copies the dev server's store consistently while the server writes to it (the
 * backup of the embedded stack: devtools/backup.ts): Debian's `sqlite3`; `SQLITE3` names another.
 */
export function ensureSqlite(): string {
  return ensureDebianProgram('sqlite3', 'sqlite3', 'SQLITE3', "Backing up the Temporal dev server's store needs SQLite's shell");
}

/**
 * Schemathesis, the OpenAPI conformance fuzzer (`st`), in a virtual environment of its own in CACHE_DIR, installed
 * from PyPI with the machine's Python 3 once (about half a minute); `SCHEMATHESIS` names another `st` instead.
 */
export function ensureSchemathesis(): string {
  const named = process.env.SCHEMATHESIS;
  if (named) {
    if (!fs.existsSync(named)) throw new ToolUnavailableError(`SCHEMATHESIS names ${named}, which does not exist`);
    return named;
  }
  const dir = path.join(CACHE_DIR, `schemathesis-${SCHEMATHESIS_VERSION}`);
  const st = path.join(dir, 'bin', 'st');
  // A venv's scripts name its folder, so it is made in place; the mark, written last, says it is whole.
  const installedMark = path.join(dir, '.installed');
  if (fs.existsSync(installedMark)) return st;
  const python = onPath('python3');
  if (!python) {
    throw new ToolUnavailableError(
      'The API contract test needs Python 3 (3.10 or newer) with venv to install Schemathesis from PyPI: `apt-get install python3 python3-venv`, or set SCHEMATHESIS to an `st` executable.',
    );
  }
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${dir}…`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const run = (command: string, args: string[]) => spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] }).status === 0;
  const installed =
    run(python, ['-m', 'venv', dir]) &&
    run(path.join(dir, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  if (!installed || !fs.existsSync(st)) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new ToolUnavailableError(
      `could not install schemathesis ${SCHEMATHESIS_VERSION} (python3 -m venv, then pip install); see the output above`,
    );
  }
  fs.writeFileSync(installedMark, `schemathesis ${SCHEMATHESIS_VERSION}\n`);
  return st;
}

/**
 * A supported Node LTS for the suite's second run (issue 32: the image runs Node 22; this machine may run an older
 * one): the `node` package of the npm registry at NODE_LTS_VERSION, installed once into CACHE_DIR. Its bin folder.
 */
export function ensureNodeLts(): string {
  const dir = path.join(CACHE_DIR, `node-${NODE_LTS_VERSION}`);
  const bin = path.join(dir, 'node_modules', '.bin');
  const installedMark = path.join(dir, '.installed');
  if (fs.existsSync(installedMark)) return bin;
  log(`installing Node ${NODE_LTS_VERSION} from the npm registry into ${dir}…`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const npm = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', `node@${NODE_LTS_VERSION}`], {
    // npm's report to stderr: stdout carries the bin folder alone
    stdio: ['ignore', 2, 2],
  });
  const version = spawnSync(path.join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (npm.status !== 0 || version !== `v${NODE_LTS_VERSION}`) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new ToolUnavailableError(
      `could not install Node ${NODE_LTS_VERSION} from the npm registry (npm install node@${NODE_LTS_VERSION}); see the output above`,
    );
  }
  fs.writeFileSync(installedMark, `node ${NODE_LTS_VERSION}\n`);
  return bin;
}

/**
 * An executable that runs Temporal's Java test server with time skipping, in the form the TypeScript SDK
 * calls it (`<path> <port> [--start-at=<epoch ms>]`): the server's libraries resolved from Maven Central once and
 * cached, and our launcher (devtools/test-server/TestServerAt.java, which can start the server's clock at a given
 * instant) compiled once per version of its source.
 */
export function ensureTestServer(): string {
  const dir = path.join(CACHE_DIR, `temporal-test-server-${TEST_SERVER_VERSION}`);
  if (!fs.existsSync(path.join(dir, 'lib'))) fetchTestServer(dir);
  return ensureTestServerLauncher(dir);
}

function fetchTestServer(dir: string): void {
  for (const tool of ['java', 'javac', 'mvn']) {
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
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
}

const TEST_SERVER_LAUNCHER_SOURCE = path.join(PROJECT_ROOT, 'devtools', 'test-server', 'TestServerAt.java');

function ensureTestServerLauncher(dir: string): string {
  const source = fs.readFileSync(TEST_SERVER_LAUNCHER_SOURCE);
  const classes = path.join(dir, `launcher-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`);
  const launcher = path.join(classes, 'test-server');
  if (fs.existsSync(launcher)) return launcher;
  if (!onPath('javac')) {
    throw new ToolUnavailableError("The time-skipping test server's launcher needs `javac`; install a JDK 17+ (`apt-get install default-jdk`).");
  }
  const staging = fs.mkdtempSync(path.join(dir, '.launcher-'));
  const compiled = spawnSync('javac', ['-nowarn', '-cp', `${dir}/lib/*`, '-d', staging, TEST_SERVER_LAUNCHER_SOURCE], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (compiled.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new ToolUnavailableError(`javac could not compile ${TEST_SERVER_LAUNCHER_SOURCE} (exit ${compiled.status})`);
  }
  // Quick JVM start matters: the SDK gives the server about five seconds to answer.
  fs.writeFileSync(
    path.join(staging, 'test-server'),
    `#!/bin/sh\n# Temporal's time-skipping test server; called by the SDK as: test-server <port> [--start-at=<epoch ms>]\n` +
      `exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss1m -cp "${dir}/lib/*:${classes}" TestServerAt "$@"\n`,
    { mode: 0o755 },
  );
  fs.rmSync(classes, { recursive: true, force: true });
  fs.renameSync(staging, classes);
  return launcher;
}

if (require.main === module) {
  const command = process.argv[2] ?? 'ensure';
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    if (command === 'ensure') {
      log(`temporal CLI: ${ensureTemporalCli()}`);
      log(`UI server:    ${ensureUiServer()}`);
      log(`test server:  ${ensureTestServer()}`);
      log(`chromium:     ${ensureChromium()}`);
      log(`prometheus:   ${ensurePrometheus().prometheus}`);
      log(`sqlite3:      ${ensureSqlite()}`);
      log(`schemathesis: ${ensureSchemathesis()}`);
    } else if (command === 'node-lts-bin') {
      // printed alone on stdout, for `npm run test:node-lts` to put first on PATH
      process.stdout.write(`${ensureNodeLts()}\n`);
    } else if (command === 'ensure-cluster') {
      // What `npm run start:cluster` and `npm run test:cluster` add: the server itself and the UI server.
      log(`server:       ${ensureTemporalServer().server}`);
      log(`UI server:    ${ensureUiServer()}`);
    } else {
      throw new ToolUnavailableError(`unknown command ${command}; use: ensure | ensure-cluster | node-lts-bin`);
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
