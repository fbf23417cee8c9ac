/** Small pieces every process of the service shares: required settings and a clean stop on a signal. */
import type { FastifyInstance } from 'fastify';
import { Duration } from 'luxon';

/** A setting the process cannot run without; the message says who normally sets it. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (npm start sets it on the embedded defaults)`);
  return value;
}

/** Serves an HTTP app until SIGINT/SIGTERM, then closes it, runs `cleanup` and exits. */
export async function serveUntilSignalled(app: FastifyInstance, port: number, host: string, cleanup: () => Promise<void>): Promise<void> {
  await app.listen({ port, host });
  const shutdown = async () => {
    await app.close();
    await cleanup();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** Runs a process's main, printing a failure and exiting non-zero. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

/** A duration setting in ISO 8601 (`P7D`, `PT36H`), in milliseconds; `fallbackMs` when unset. Refuses a bad one by name. */
export function durationEnv(name: string, fallbackMs: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallbackMs;
  const duration = Duration.fromISO(raw);
  if (!duration.isValid || duration.toMillis() <= 0)
    throw new Error(`${name} must be a positive ISO 8601 duration such as P7D or PT36H; it is ${JSON.stringify(raw)}`);
  return duration.toMillis();
}

/** A positive whole-number setting; `fallback` when unset. Refuses a bad one by name. */
export function countEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[1-9][0-9]{0,8}$/.test(raw)) throw new Error(`${name} must be a positive whole number; it is ${JSON.stringify(raw)}`);
  return Number(raw);
}
