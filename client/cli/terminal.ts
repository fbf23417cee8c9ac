/** The CLI's terminal side: parsing arguments, failing with a message, calling the HTTP API, the database `npm start` runs. */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { formatInstant, parseLocalDate } from '../../domain/calendar';
import { characterProblem } from '../../domain/fields';
import { DATA_DIR } from '../../infra/paths';
import { createStore, type Store } from '../../infra/store';

/** An instant as a person reads it (Asia/Almaty), or a dash. */
export const at = (iso: string | null | undefined) => (iso ? formatInstant(new Date(iso)) : '—');

const apiUrl = () => (process.env.API_URL ?? 'http://localhost:3000').replace(/\/$/, '');

/**
 * Issue 32: the key goes over https://, or plain HTTP to this machine or a container of a private network (a host
 * name without a dot, as compose's `api`), never in the clear across networks.
 */
export function keyMayTravelTo(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return (
    parsed.protocol === 'http:' && (host === 'localhost' || /^127\./.test(host) || host === '::1' || (!host.includes('.') && !host.includes(':')))
  );
}

/** API_KEY, else the development key a local `npm start` wrote. */
export function apiKey(): string | undefined {
  if (process.env.API_KEY) return process.env.API_KEY;
  const file = path.join(DATA_DIR, 'dev-api-key');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

export function wholeDays(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number of days ≥ 0');
  return Number(value);
}

export function instant(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('must be an ISO 8601 date-time, e.g. 2026-03-20T19:05:00+05:00');
  }
  return date;
}

/** A text an override shows with its day: one line, none of the characters no text may hold (issue 16). */
export function oneLineArgument(value: string): string {
  const problem = characterProblem(value, false);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

export function localDate(value: string): string {
  try {
    parseLocalDate(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
}

/** What `npm start` keeps in DATA_DIR under `name` (its database's URL, its development keys), if it does. */
export function keptByNpmStart(name: string): string | undefined {
  const kept = path.join(DATA_DIR, name);
  return fs.existsSync(kept) ? fs.readFileSync(kept, 'utf8').trim() : undefined;
}

/** DATABASE_URL, or the database `npm start` runs (its URL kept in DATA_DIR), for the override commands. */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL || keptByNpmStart('database-url');
  if (url) return url;
  fail('calendar overrides live in the database: set DATABASE_URL, or run `npm start` and use its database (see README)');
}

/** Runs `use` with a store on the database `npm start` runs (or DATABASE_URL), and disconnects. */
export async function withStore<T>(use: (store: Store) => Promise<T>): Promise<T> {
  const store = createStore(databaseUrl());
  try {
    return await use(store);
  } finally {
    await store.$disconnect();
  }
}

/** Calls the API; on an error answer, prints it and exits non-zero. */
export async function call(method: string, route: string, body?: unknown): Promise<string> {
  let response: Response;
  try {
    const key = apiKey();
    if (key && !keyMayTravelTo(apiUrl()))
      fail(
        `API_URL ${apiUrl()} is not https://: the API key would cross the network in the clear (plain HTTP only to this machine or a container name)`,
      );
    response = await fetch(`${apiUrl()}${route}`, {
      redirect: 'error',
      method,
      headers: {
        ...(key && { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    fail(`the API at ${apiUrl()} did not answer (${(error as Error).message}); is \`npm start\` running?`);
  }
  const text = await response.text();
  if (!response.ok) {
    process.stdout.write(`${text}\n`);
    process.exit(1);
  }
  return text;
}

/** Calls the API and prints its JSON answer as it is. */
export async function api(method: string, route: string, body?: unknown): Promise<void> {
  process.stdout.write(`${await call(method, route, body)}\n`);
}

export function readJson(file: string): unknown {
  const raw = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(path.resolve(file), 'utf8');
  try {
    return JSON.parse(raw);
  } catch (error) {
    fail(`${file} is not JSON: ${(error as Error).message}`);
  }
}
