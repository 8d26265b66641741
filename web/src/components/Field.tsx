import { useId, type ReactNode } from "react";

/** What a control needs to be labelled by its field and to point at its hint and error. */
export type FieldControl = { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined };

/**
 * A labelled form control with an optional hint and error underneath; the control (rendered by
 * `children`) is aria-invalid while there is an error and described by the hint and the error, so
 * a screen reader reads the API's message with the field it concerns.
 */
export function Field({ label, error, hint, children }: { label: ReactNode; error?: string | undefined; hint?: ReactNode; children: (control: FieldControl) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <small id={hintId} className="muted">
          {hint}
        </small>
      )}
      {error && (
        <small id={errorId} className="error">
          {error}
        </small>
      )}
    </div>
  );
}
