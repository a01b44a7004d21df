/** Recognises a unique-constraint failure on either dialect, so races answer 409, not 500. */
export function isUniqueViolation(error: unknown, column: string): boolean {
  if (!(error instanceof Error)) return false;
  const { code, constraint, detail } = error as Error & { code?: string; constraint?: string; detail?: string };
  if (code === '23505') return Boolean(constraint?.includes(column) || detail?.includes(`(${column})`));
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return error.message.includes(`.${column}`);
  }
  return false;
}
