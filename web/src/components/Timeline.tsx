import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from "react";
import type { Schemas } from "../api/client";
import { formatClock } from "../lib/format";
import { fractionOf, kDragThresholdPx, kMinSpan, kMinute, keyTarget, placeRange, selectRange, snapToRecorded, ticks, timeAt, zoomView, type Range } from "../lib/timeline";

// A click this close (in pixels) to a recording plays it: a short one is a sliver at day scale.
const kSnapPx = 8;
const kZoomStep = 4;

type Props = {
  day: Range;
  /** The visible part of the day (zoom); the page owns it so it can follow playback. */
  view: Range;
  onView: (view: Range) => void;
  intervals: Range[];
  gaps: Range[];
  markers: Schemas["TimelineMarker"][];
  playhead: number | null;
  selection: Range | null;
  /** A click or key put the playhead at `ms`; `recorded` says whether there is video there. */
  onSeek: (ms: number, recorded: boolean) => void;
  /** A drag selected a period. */
  onSelect: (range: Range) => void;
  now: number;
};

/** A day's recordings as a bar: covered intervals, gaps, alert markers, the selection and the
 * playhead. Click plays from an instant, drag selects, and the bar is a WAI-ARIA slider: arrow
 * keys and PageUp/PageDown move the playhead, + and − zoom. */
export function Timeline({ day, view, onView, intervals, gaps, markers, playhead, selection, onSeek, onSelect, now }: Props) {
  const track = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; at: number; moved: boolean } | null>(null);
  const [draft, setDraft] = useState<Range | null>(null);
  const width = useWidth(track);

  const timeOfX = (clientX: number) => {
    const r = track.current!.getBoundingClientRect();
    return timeAt((clientX - r.left) / r.width, view);
  };
  const tolerance = width > 0 ? (kSnapPx * (view.to - view.from)) / width : 0;

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, at: timeOfX(e.clientX), moved: false };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || (!d.moved && Math.abs(e.clientX - d.x) < kDragThresholdPx)) return;
    d.moved = true;
    setDraft(selectRange(d.at, timeOfX(e.clientX), day));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    setDraft(null);
    if (!d) return;
    if (d.moved) {
      const range = selectRange(d.at, timeOfX(e.clientX), day);
      if (range) onSelect(range);
      return;
    }
    const at = timeOfX(e.clientX);
    const snapped = snapToRecorded(at, intervals, tolerance);
    onSeek(snapped ?? at, snapped !== null);
  };
  const onPointerCancel = () => {
    drag.current = null;
    setDraft(null);
  };

  const zoomCenter = playhead !== null && playhead >= view.from && playhead <= view.to ? playhead : (view.from + view.to) / 2;
  const zoom = (factor: number) => onView(zoomView(view, factor, zoomCenter, day));
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "+" || e.key === "=") zoom(1 / kZoomStep);
    else if (e.key === "-") zoom(kZoomStep);
    else {
      const to = keyTarget(e.key, playhead ?? view.from, view);
      if (to === null) return;
      onSeek(to, snapToRecorded(to, intervals, 0) !== null);
    }
    e.preventDefault();
  };

  const place = (range: Range) => {
    const p = placeRange(range, view);
    return p && { left: `${p.left}%`, width: `${p.width}%` };
  };
  const leftOf = (ms: number) => (ms >= view.from && ms <= view.to ? `${fractionOf(ms, view) * 100}%` : null);
  const selectionStyle = (draft ?? selection) && place((draft ?? selection)!);
  const playheadLeft = playhead === null ? null : leftOf(playhead);
  // Labels about 64 px apart (80 with seconds), on round instants.
  const scale = ticks(view, Math.max(2, Math.floor(width / (view.to - view.from < 5 * kMinute ? 80 : 64))), day.from);
  const wholeDay = view.from === day.from && view.to === day.to;
  return (
    <div className="timeline">
      <div className="row tl-zoom">
        <button type="button" onClick={() => zoom(1 / kZoomStep)} disabled={view.to - view.from <= kMinSpan}>
          Zoom in
        </button>
        <button type="button" onClick={() => zoom(kZoomStep)} disabled={wholeDay}>
          Zoom out
        </button>
        <button type="button" onClick={() => onView(day)} disabled={wholeDay}>
          Whole day
        </button>
        <span className="muted">
          {formatClock(view.from, false)}–{view.to === day.to ? "24:00" : formatClock(view.to, false)}
        </span>
      </div>
      <div
        ref={track}
        className="tl-track"
        role="slider"
        tabIndex={0}
        aria-label="Timeline"
        aria-valuemin={view.from}
        aria-valuemax={view.to}
        aria-valuenow={playhead ?? view.from}
        aria-valuetext={playhead === null ? "No position" : formatClock(playhead)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerCancel}
        onKeyDown={onKeyDown}
      >
        {gaps.map((g) => {
          // What has not happened yet is not missing.
          const style = place({ from: g.from, to: Math.min(g.to, now) });
          return style && <div key={`g${g.from}`} className="tl-gap" style={style} />;
        })}
        {intervals.map((i) => {
          const style = place(i);
          return style && <div key={`i${i.from}`} className="tl-covered" style={style} title={`Recorded ${formatClock(i.from)}–${formatClock(i.to)}`} />;
        })}
        {selectionStyle && <div className="tl-selection" style={selectionStyle} />}
        {markers.map((m, n) => {
          const at = m.timestamp_ms ?? Date.parse(m.timestamp);
          const left = leftOf(at);
          const label = `${formatClock(at)} ${m.label ?? m.type}`;
          return left && <div key={`m${n}`} className={`tl-marker ${m.severity ?? ""}`} style={{ left }} title={label} />;
        })}
        {playheadLeft && <div className="tl-playhead" style={{ left: playheadLeft }} />}
      </div>
      <div className="tl-ticks" aria-hidden="true">
        {scale.at.map((t) => (
          <span key={t} style={{ left: leftOf(t) ?? undefined }}>
            {t === day.to ? "24:00" : formatClock(t, scale.step < kMinute)}
          </span>
        ))}
      </div>
    </div>
  );
}

/** The element's width in pixels, kept current (tick density and click tolerance follow it). */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
