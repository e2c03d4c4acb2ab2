import { expect } from 'vitest';
import { PlatformError } from '../../src/core/errors.js';

/** The PlatformError a call is refused with (fails the test when it resolves or throws anything else). */
export async function refusal(promise: Promise<unknown>): Promise<PlatformError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PlatformError);
  return err as PlatformError;
}
