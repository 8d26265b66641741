/** A horizontal bar filled to `percent` (0–100), red when `warning`; `label` is what it says in words. */
export function UsageBar({ percent, warning, label }: { percent: number; warning?: boolean; label: string }) {
  const clamped = Math.min(100, Math.max(0, percent));
  return (
    <div className="usage">
      <div className="usage-bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(clamped)} aria-label={label}>
        <div className={warning ? "usage-fill warning" : "usage-fill"} style={{ width: `${clamped}%` }} />
      </div>
      <span>
        {label} ({Math.round(clamped)} %)
      </span>
    </div>
  );
}
