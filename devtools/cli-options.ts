/** Option parsers the development tools share (commander). */
import { InvalidArgumentError } from 'commander';

/** A whole number ≥ 1, as a count of applications, workflows or rows. */
export function positive(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return Number(value);
}
