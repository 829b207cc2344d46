/** A problem found at synth: the construct it concerns and what is wrong, with what would be valid. */
export interface Problem {
  /** Path of the construct the problem is reported at. */
  readonly path: string;
  readonly message: string;
}

/** Problems at one construct path. */
export function problemsAt(path: string, messages: string[]): Problem[] {
  return messages.map(message => ({ path, message }));
}
