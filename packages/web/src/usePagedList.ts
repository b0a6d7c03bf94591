import { useCallback, useState } from 'react';
import { api } from './api.js';

/**
 * A list the server pages with `limit` and `before` (newest first): the first page, then "load
 * more" appends the page before the last row. `load()` starts over; its error is the list's.
 */
export function usePagedList<T>(path: string, limit: number) {
  const [rows, setRows] = useState<T[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(
    async (before?: string) => {
      try {
        const page = await api<{ results: T[]; hasMore: boolean }>(`${path}?limit=${limit}${before ? `&before=${before}` : ''}`);
        setRows((prev) => (before ? [...(prev ?? []), ...page.results] : page.results));
        setHasMore(page.hasMore);
        setError(null);
      } catch (e) {
        setError(e);
      }
    },
    [path, limit],
  );
  return { rows, hasMore, error, setError, load };
}
