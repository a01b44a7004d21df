/**
 * The one state primitive of the app: an observable value held by a module, read by
 * components through useSyncExternalStore. Each concern (chats, message windows,
 * members, connection…) owns one store and the functions that change it.
 */
import { useSyncExternalStore } from 'react';

export interface Store<T> {
  get(): T;
  set(next: T): void;
  update(change: (current: T) => T): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  const set = (next: T) => {
    if (Object.is(next, value)) return;
    value = next;
    for (const listener of listeners) listener();
  };
  return {
    get: () => value,
    set,
    update: (change) => set(change(value)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A slice of a store; `select` must return the same reference for the same state (no new arrays or objects). */
export function useStore<T, S>(store: Store<T>, select: (state: T) => S): S {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}

/** A copy of a record with one entry set, or removed when `value` is undefined. */
export function withEntry<V>(record: Readonly<Record<string, V>>, key: string, value: NoInfer<V> | undefined): Record<string, V> {
  const next = { ...record };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
