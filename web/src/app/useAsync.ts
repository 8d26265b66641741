import { useCallback, useEffect, useRef, useState } from "react";
import { useApp } from "./context";

export type Async<T> = { data: T | undefined; error: Error | undefined; loading: boolean; reload: () => void };

/** Loads `load()` when `deps` change, again after the WebSocket reconnects (resync), and on
 * reload(); keeps the last data while reloading so the page does not flicker. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const { rpc } = useApp();
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error: Error) => mine === generation.current && setState((s) => ({ ...s, error, loading: false })),
    );
  }, [run]);
  useEffect(() => {
    reload();
    return rpc.onResync(reload);
  }, [reload, rpc]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
