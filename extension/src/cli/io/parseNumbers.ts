/** Parsers for numeric command-line options; errors name the option and the value given. */

/** A finite number > 0 (or ≥ 0 with `allowZero`). */
export function positiveNumber(option: string, allowZero = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
      throw new Error(
        `${option} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${value}"`,
      );
    }
    return n;
  };
}

/** A comma-separated list of positive numbers ("0.1" or "0.1,0.1,0.3"). */
export function numberList(option: string): (value: string) => number[] {
  const one = positiveNumber(option);
  return (value) => value.split(',').map((v) => one(v));
}
