/**
 * The message search panel's state and the one place it talks to the server: what is
 * typed, the filter chips, the results page by page. A newer search drops the answers
 * of older ones (a generation count), so results never arrive out of order.
 */
import type { SearchHit, SearchQuery } from '@parley/protocol';
import { parley } from '../../api/client.js';
import { createStore, useStore } from '../../state/store.js';

export interface SearchFilters {
  /** Only this chat ("search in this chat"). */
  chatId: string | null;
  hasLink: boolean;
  hasFile: boolean;
  hasImage: boolean;
  mentionsMe: boolean;
  fromMe: boolean;
  lastWeek: boolean;
  order: 'newest' | 'relevance';
}

export interface SearchState {
  open: boolean;
  query: string;
  filters: SearchFilters;
  hits: SearchHit[];
  nextCursor: string | null;
  status: 'idle' | 'loading' | 'done' | 'failed';
}

const noFilters: SearchFilters = {
  chatId: null,
  hasLink: false,
  hasFile: false,
  hasImage: false,
  mentionsMe: false,
  fromMe: false,
  lastWeek: false,
  order: 'newest',
};
const closed: SearchState = { open: false, query: '', filters: noFilters, hits: [], nextCursor: null, status: 'idle' };

export const searchStore = createStore<SearchState>(closed);
export const useSearch = () => useStore(searchStore, (state) => state);

let generation = 0;
const WEEK_MS = 7 * 24 * 3_600_000;

/** The request for the current query and chips (`meId` for "from me"). */
export function searchRequest(query: string, filters: SearchFilters, meId: string, now = Date.now()): SearchQuery {
  return {
    q: query.trim(),
    ...(filters.chatId && { chatId: filters.chatId }),
    ...(filters.hasLink && { hasLink: true }),
    ...(filters.hasFile && { hasFile: true }),
    ...(filters.hasImage && { hasImage: true }),
    ...(filters.mentionsMe && { mentionsMe: true }),
    ...(filters.fromMe && { senderId: meId }),
    ...(filters.lastWeek && { from: new Date(now - WEEK_MS).toISOString() }),
    order: filters.order,
    limit: 30,
  };
}

export function openSearch(options: { query?: string; chatId?: string | null } = {}) {
  generation += 1;
  searchStore.set({
    ...closed,
    open: true,
    query: options.query ?? '',
    filters: { ...noFilters, chatId: options.chatId ?? null },
  });
}

export function closeSearch() {
  generation += 1;
  searchStore.set(closed);
}

export const setQuery = (query: string) => searchStore.update((state) => ({ ...state, query }));
export const setFilters = (change: Partial<SearchFilters>) =>
  searchStore.update((state) => ({ ...state, filters: { ...state.filters, ...change } }));

/** Runs the search for what is typed now; `more` fetches the next page of the same search. */
export async function runSearch(meId: string, more = false): Promise<void> {
  const state = searchStore.get();
  if (state.query.trim() === '') {
    generation += 1;
    searchStore.set({ ...state, hits: [], nextCursor: null, status: 'idle' });
    return;
  }
  if (more && !state.nextCursor) return;
  const mine = ++generation;
  searchStore.set({ ...state, status: 'loading', ...(!more && { hits: [], nextCursor: null }) });
  const request = searchRequest(state.query, state.filters, meId);
  try {
    const page = await parley.search.messages({ ...request, ...(more && state.nextCursor && { cursor: state.nextCursor }) });
    if (mine !== generation) return;
    searchStore.update((current) => ({
      ...current,
      hits: more ? [...current.hits, ...page.items] : page.items,
      nextCursor: page.nextCursor,
      status: 'done',
    }));
  } catch {
    if (mine === generation) searchStore.update((current) => ({ ...current, status: 'failed' }));
  }
}
