import { useCallback, useState } from "react";
import { formErrors, type FormErrors } from "../lib/formErrors";

/**
 * A form's save: `run(request)` marks the form busy, clears its errors when the request
 * succeeds, and otherwise puts the error beside the field it names (one of `fields`) or above.
 */
export function useSubmit<F extends string>(fields: readonly F[]) {
  const [errors, setErrors] = useState<FormErrors<F>>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (request: () => Promise<void>) => {
      setBusy(true);
      try {
        await request();
        setErrors({ fields: {} });
      } catch (error) {
        setErrors(formErrors(error, fields));
      } finally {
        setBusy(false);
      }
    },
    [fields],
  );
  return { errors, setErrors, busy, run };
}
