import { useCallback, useState } from "react";

export type Action = { busy: boolean; error: unknown; run: (work: () => Promise<unknown>) => Promise<void> };

/** A button's action: busy until `work` settles (to disable the button), and its error kept for
 * <ErrorText> until the next run. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
