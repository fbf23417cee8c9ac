/**
 * Temporal's Web UI server for the embedded defaults (issue 17): the same program and version as compose's
 * `temporalio/ui` image, configured as compose configures it — the codec endpoint is our API's /codec, and
 * `includeCredentials` makes the browser send the operator's codec session cookie with each decode call.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { ensureUiServer } from './tools';
import { stopProcess, waitForPort } from './temporal-server';

/** What the UI says where it cannot decode a payload: compose's UI says the same (test/compose.test.ts). */
export const CODEC_ERROR_MESSAGE = 'Payloads are encrypted: sign in to the codec server with a decode key to read them';

export interface UiServerOptions {
  /** the Temporal frontend, host:port */
  temporalAddress: string;
  port: number;
  /** where its configuration and log go */
  dataDir: string;
  /** our API's codec endpoint, e.g. http://localhost:3000/codec */
  codecEndpoint: string;
}

export interface RunningUiServer {
  url: string;
  stop(): Promise<void>;
}

/** The UI server's configuration (its `config/<env>.yaml`): what compose sets through TEMPORAL_* variables. */
export function uiServerConfig(options: UiServerOptions) {
  return {
    temporalGrpcAddress: options.temporalAddress,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: 'default',
    refreshInterval: '1m',
    notifyOnNewVersion: false,
    cors: { allowOrigins: [`http://localhost:${options.port}`, `http://127.0.0.1:${options.port}`], cookieInsecure: true },
    codec: {
      endpoint: options.codecEndpoint,
      passAccessToken: false,
      // The session cookie from /codec/login travels only on a credentialed request (the codec is another origin).
      includeCredentials: true,
      defaultErrorMessage: CODEC_ERROR_MESSAGE,
      defaultErrorLink: `${options.codecEndpoint.replace(/\/$/, '')}/login`,
    },
  };
}

export async function startUiServer(options: UiServerOptions): Promise<RunningUiServer> {
  const binary = ensureUiServer();
  const root = path.join(options.dataDir, 'ui-server');
  fs.mkdirSync(path.join(root, 'config'), { recursive: true });
  fs.writeFileSync(path.join(root, 'config', 'development.yaml'), stringify(uiServerConfig(options)));
  const log = fs.openSync(path.join(root, 'ui-server.log'), 'a');
  const child = spawn(binary, ['--root', root, '--config', 'config', '--env', 'development', 'start'], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the Temporal UI server exited (code ${code}); see ${path.join(root, 'ui-server.log')}`))),
  );
  exited.catch(() => {});
  await Promise.race([waitForPort(options.port, 30_000), exited]);
  return { url: `http://localhost:${options.port}`, stop: () => stopProcess(child) };
}

/** The origins a browser gives the UI served on `port` of this machine: the codec server must allow them. */
export function uiOrigins(port: number): string[] {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}
