import type { ReactNode } from "react";

/** One named figure of a <dl className="figures">; `wide` takes the whole row. */
export function Figure({ label, wide, children }: { label: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={wide ? "wide" : undefined}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
