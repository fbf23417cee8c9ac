/** Small pieces every process of the service shares: required settings and a clean stop on a signal. */
import type { FastifyInstance } from 'fastify';

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
