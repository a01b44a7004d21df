/** Asserts that an SDK call fails with a given status and error code; returns the error. */
import { ParleyApiError } from '@parley/sdk';
import { expect } from 'vitest';

export async function expectApiError(promise: Promise<unknown>, code: string, status?: number): Promise<ParleyApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(ParleyApiError);
  const apiError = error as ParleyApiError;
  expect(status === undefined ? { code: apiError.code } : { code: apiError.code, status: apiError.status }).toEqual(
    status === undefined ? { code } : { code, status },
  );
  return apiError;
}
