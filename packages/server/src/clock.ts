/** The one clock. Stored times are integer milliseconds; the API shows ISO-8601. */
export const now = (): number => Date.now();

export const toIso = (ms: number): string => new Date(ms).toISOString();
