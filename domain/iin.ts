/**
 * IIN, the individual identification number: 12 digits, the last a check digit computed with two weight
 * sequences (the second used when the first gives 10; a second 10 means no valid IIN has these digits).
 */
const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

function weightedRemainder(digits: number[], weights: number[]): number {
  return digits.reduce((sum, d, i) => sum + d * weights[i], 0) % 11;
}

/** The check digit for the first 11 digits of an IIN, or `undefined` when no digit makes them valid. */
export function iinCheckDigit(first11: string): number | undefined {
  const digits = [...first11].map(Number);
  let remainder = weightedRemainder(digits, FIRST_WEIGHTS);
  if (remainder === 10) remainder = weightedRemainder(digits, SECOND_WEIGHTS);
  return remainder === 10 ? undefined : remainder;
}

/** Whether a string is a well-formed IIN with a correct check digit. */
export function isValidIin(iin: string): boolean {
  return /^\d{12}$/.test(iin) && iinCheckDigit(iin.slice(0, 11)) === Number(iin[11]);
}
