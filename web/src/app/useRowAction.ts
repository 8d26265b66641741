import { useCallback } from "react";
import { errorMessage } from "../components/ErrorText";
import { useApp } from "./context";

/**
 * A list's row action (delete, revoke, a role change): `run(action, done, failed)` toasts `done`
 * or "`failed`: the API's reason", then reloads the list either way, so it shows what is true.
 */
export function useRowAction(reload: () => void) {
  const { toast } = useApp();
  return useCallback(
    async (action: () => Promise<unknown>, done: string, failed: string) => {
      try {
        await action();
        toast(done, "success");
      } catch (e) {
        toast(`${failed}: ${errorMessage(e)}`, "error");
      }
      reload();
    },
    [toast, reload],
  );
}
