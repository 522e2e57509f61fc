import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from './api.js';

export interface Polled<T> {
  data: T | undefined;
  error: string | null;
  reload: () => void;
}

/**
 * Loads now and again every `everyMs` while this page is shown and the browser tab is visible: only the
 * page on screen polls. `key` changes (a new range, a new id) load at once.
 */
export function usePolling<T>(load: () => Promise<T>, everyMs: number, key: string): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      if (document.visibilityState !== 'hidden') {
        try {
          const value = await loadRef.current();
          if (!cancelled) {
            setData(value);
            setError(null);
          }
        } catch (err) {
          if (!cancelled) setError(errorText(err));
        }
      }
      if (!cancelled) timer = setTimeout(run, everyMs);
    };
    run();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key, tick, everyMs]);

  return { data, error, reload };
}
