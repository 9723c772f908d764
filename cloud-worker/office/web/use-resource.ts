import { useCallback, useEffect, useState } from 'react';

/**
 * What a page reads from the API: loaded when the page opens and again on
 * `reload`, with the last refusal kept for the page to show. `act` runs a
 * change, then reloads; its refusal is kept the same way.
 */
export function useResource<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(async () => {
    try {
      setData(await load());
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [load]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const act = useCallback(
    async (change: () => Promise<unknown>): Promise<boolean> => {
      try {
        await change();
        setError(null);
        await reload();
        return true;
      } catch (err) {
        setError(err);
        return false;
      }
    },
    [reload],
  );

  return { data, error, setError, reload, act };
}
