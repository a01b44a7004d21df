/** Loads something for an admin tab, with a reload after each change. */
import { ParleyApiError } from '@parley/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';

export type Load<T> = { status: 'loading' } | { status: 'loaded'; value: T } | { status: 'failed'; message: string };

/** `key` names what the load depends on (a search); a new key loads again. */
export function useLoad<T>(load: () => Promise<T>, key = ''): [Load<T>, () => Promise<void>] {
  const { t } = useTranslation();
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const latest = useRef(load);
  latest.current = load;
  const reload = useCallback(async () => {
    try {
      setState({ status: 'loaded', value: await latest.current() });
    } catch (error) {
      setState({ status: 'failed', message: explainError(error, t).message });
    }
  }, [t]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the signal to load again.
  useEffect(() => {
    void reload();
  }, [reload, key]);
  return [state, reload];
}

/** Runs an action, reporting its error as text; resolves true when it worked. */
export function useAction() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (name: string, action: () => Promise<unknown>) => {
    setBusy(name);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      // A check of our own (an unknown username) throws its sentence; the server's errors are explained.
      setError(failure instanceof Error && !(failure instanceof ParleyApiError) ? failure.message : explainError(failure, t).message);
      return false;
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, run, clearError: () => setError(null) };
}
