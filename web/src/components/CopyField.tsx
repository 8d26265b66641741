import { useId, useRef, useState } from "react";
import { useApp } from "../app/context";

/** A read-only value with a Copy button; `secret` hides it until "Show" is pressed. */
export function CopyField({ label, value, secret = false }: { label: string; value: string; secret?: boolean }) {
  const { toast } = useApp();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [shown, setShown] = useState(!secret);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // No clipboard API (plain http on another host) or no permission: copy the selection the
      // old way, which needs the text visible for a moment.
      const field = input.current;
      if (!field) return;
      field.type = "text";
      field.select();
      const done = document.execCommand("copy");
      field.type = shown ? "text" : "password";
      if (!done) {
        toast(`Could not copy the ${label.toLowerCase()}: select it and copy by hand`, "warning");
        return;
      }
    }
    toast(`${label} copied`, "success");
  };

  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input id={id} ref={input} readOnly type={shown ? "text" : "password"} value={value} onFocus={(e) => e.currentTarget.select()} />
        {secret && (
          <button type="button" aria-pressed={shown} onClick={() => setShown((s) => !s)}>
            {shown ? "Hide" : "Show"}
          </button>
        )}
        <button type="button" onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
          Copy
        </button>
      </div>
    </div>
  );
}
