/** Data an operator replaces without a release (the unit registry, the retention policy): read as JSON and checked whole. */
import fs from 'node:fs';

/** Reads `file` as JSON and checks it with `parse`; an unreadable file is named, with `what` it was to be. */
export function loadOperatorFile<T>(file: string, what: string, parse: (raw: unknown, source: string) => T): T {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${what} file ${file} could not be read as JSON: ${(error as Error).message}`, { cause: error });
  }
  return parse(raw, file);
}
