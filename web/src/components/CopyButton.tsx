import { useState } from "react";

/** Copies `text` to the clipboard and says so for a moment; says when the browser refused. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed"); // no clipboard on plain http from another host: the text is selectable
    }
    setTimeout(() => setState("idle"), 2000);
  };
  return (
    <button type="button" onClick={() => void copy()} aria-live="polite">
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select the text" : label}
    </button>
  );
}
