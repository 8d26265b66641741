import { columns, LAYOUTS, type GridLayout } from "../lib/liveGrid";

/** Tiles per page of the live grid: 1, 4, 9 or 16, as toggle buttons. */
export function LayoutPicker({ value, onChange }: { value: GridLayout; onChange: (layout: GridLayout) => void }) {
  return (
    <div className="layout-picker" role="group" aria-label="Layout">
      {LAYOUTS.map((layout) => (
        <button
          key={layout}
          type="button"
          aria-pressed={layout === value}
          title={`${layout} ${layout === 1 ? "camera" : "cameras"} per page`}
          onClick={() => onChange(layout)}
        >
          {columns(layout)} × {columns(layout)}
        </button>
      ))}
    </div>
  );
}
