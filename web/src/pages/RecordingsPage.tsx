import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import type { Schemas } from "../api/client";
import { useApp } from "../app/context";
import { useAction } from "../app/useAction";
import { useAsync } from "../app/useAsync";
import { CameraControls } from "../components/CameraControls";
import { ErrorText } from "../components/ErrorText";
import { RecordingList } from "../components/RecordingList";
import { RecordingPlayer, type PlaybackSource } from "../components/RecordingPlayer";
import { Timeline } from "../components/Timeline";
import { saveBlob } from "../lib/download";
import { fileStamp, formatClock, formatDay, formatDuration, isoTime } from "../lib/format";
import { followView, kMinute, parseDay, playbackRange, selectRange, shiftDay, type Range } from "../lib/timeline";
import { href, navigate, useRoute } from "../router";

const kSpeeds = [0.5, 1, 2, 4, 8];
// Notifications come in bursts (a segment rollover is a COMPLETED and a STARTED): one reload.
const kRefreshDelayMs = 400;

/** /recordings?camera=&day=YYYY-MM-DD: a camera's recordings of a day (default: the first
 * camera, today in local time) on a timeline, a player, the camera's controls and a list. */
export function RecordingsPage() {
  const { api } = useApp();
  const { query } = useRoute();
  const cameras = useAsync(() => api.get("/cameras"), [api]);
  const dayText = query.get("day");
  const day = useMemo(() => parseDay(dayText) ?? parseDay(formatDay(Date.now()))!, [dayText]);
  const all = cameras.data?.cameras;
  const camera = all?.find((c) => c.id === query.get("camera")) ?? all?.[0];
  const go = (cameraId: string | undefined, to: Range) =>
    navigate(`/recordings?${new URLSearchParams({ ...(cameraId ? { camera: cameraId } : {}), day: formatDay(to.from) })}`, { replace: true });
  const cameraField = useId();
  const dayField = useId();

  return (
    <section className="recordings stack">
      <h1>Recordings</h1>
      <ErrorText error={cameras.error} />
      <div className="row rec-pickers">
        <label htmlFor={cameraField} className="inline-label">
          Camera
        </label>
        <select id={cameraField} value={camera?.id ?? ""} onChange={(e) => go(e.target.value, day)} disabled={!all?.length}>
          {all?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <div className="row day-picker">
          <button type="button" aria-label="Previous day" onClick={() => go(camera?.id, shiftDay(day, -1))}>
            ‹
          </button>
          <label htmlFor={dayField} className="inline-label">
            Day
          </label>
          <input
            id={dayField}
            type="date"
            value={formatDay(day.from)}
            max={formatDay(Date.now())}
            onChange={(e) => {
              const picked = parseDay(e.target.value);
              if (picked) go(camera?.id, picked);
            }}
          />
          <button type="button" aria-label="Next day" onClick={() => go(camera?.id, shiftDay(day, 1))} disabled={day.to > Date.now()}>
            ›
          </button>
        </div>
      </div>
      {all && !camera && (
        <p className="muted">
          No cameras yet. <a href={href("/admin/cameras")}>Add one</a>.
        </p>
      )}
      {camera && <CameraDay key={`${camera.id}/${day.from}`} camera={camera} day={day} />}
    </section>
  );
}

/** One camera's day; its key resets zoom, selection and playback when either changes. */
function CameraDay({ camera, day }: { camera: Schemas["Camera"]; day: Range }) {
  const { api, rpc } = useApp();
  const timeline = useAsync(
    () => api.get("/recordings/timeline/{cameraId}", { path: { cameraId: camera.id }, query: { from: isoTime(day.from), to: isoTime(day.to) } }),
    [api, camera.id, day.from, day.to],
  );
  const [version, setVersion] = useState(0);
  const [view, setView] = useState<Range>(day);
  const [selection, setSelection] = useState<Range | null>(null);
  const [source, setSource] = useState<PlaybackSource | null>(null);
  const [playhead, setPlayhead] = useState<number | null>(null);
  const [speed, setSpeed] = useState(1);
  const [status, setStatus] = useState("");
  const exporting = useAction();
  const speedField = useId();

  // Live updates: this camera's recordings changed (a file opened or closed, a session began or ended).
  const { reload } = timeline;
  const refresh = useCallback(() => {
    reload();
    setVersion((v) => v + 1);
  }, [reload]);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    const off = rpc.on("recording_status", "recording_status_update", (p) => {
      if (p["device"] !== camera.id) return;
      clearTimeout(timer.current);
      timer.current = setTimeout(refresh, kRefreshDelayMs);
    });
    return () => {
      off();
      clearTimeout(timer.current);
    };
  }, [rpc, camera.id, refresh]);

  const toRange = (t: Schemas["TimeRange"]): Range => ({ from: t.start_ms ?? Date.parse(t.start), to: t.end_ms ?? Date.parse(t.end) });
  const intervals = useMemo(() => timeline.data?.intervals.map(toRange) ?? [], [timeline.data]);
  const gaps = useMemo(() => timeline.data?.gaps.map(toRange) ?? [], [timeline.data]);

  // Plays from `ms`: a seek when the loaded period has it, else a playlist from there.
  const playFrom = useCallback((ms: number) => {
    setPlayhead(ms);
    setStatus("");
    setSource((s) => {
      const seq = (s?.seq ?? 0) + 1;
      if (s && ms >= s.from && ms < s.to) return { ...s, start: ms, seq };
      return { ...playbackRange(ms, day, Date.now()), start: ms, seq };
    });
  }, [day]);
  const onSeek = (ms: number, recorded: boolean) => {
    if (recorded) return playFrom(ms);
    setPlayhead(ms);
    setSource(null);
    setStatus(`Nothing recorded at ${formatClock(ms)}.`);
  };
  const playSelection = (range: Range) => {
    setPlayhead(range.from);
    setStatus("");
    setSource((s) => ({ ...range, start: range.from, seq: (s?.seq ?? 0) + 1 }));
  };
  const onSelect = (range: Range) => {
    setSelection(range);
    playSelection(range);
  };
  const onPlayhead = useCallback((ms: number) => {
    setPlayhead(ms);
    setView((v) => followView(v, ms, day));
  }, [day]);
  // Keyboard users select with the playhead: mark where the period starts, then where it ends
  // (the other end stays when it is on the right side, else it starts a minute away).
  const mark = (edge: "from" | "to") => {
    if (playhead === null) return;
    const range =
      edge === "from"
        ? selectRange(playhead, selection && selection.to > playhead ? selection.to : playhead + kMinute, day)
        : selectRange(selection && selection.from < playhead ? selection.from : playhead - kMinute, playhead, day);
    if (range) setSelection(range);
  };
  const exportClip = (range: Range) =>
    exporting.run(async () => {
      const mp4 = await api.blob("/recordings/export", { query: { camera: camera.id, from: isoTime(range.from), to: isoTime(range.to) } });
      saveBlob(mp4, `${camera.id}-${fileStamp(range.from)}.mp4`);
    });

  return (
    <>
      <div className="rec-layout">
        <div className="card stack">
          <RecordingPlayer camera={camera.id} label={`Recording of ${camera.name}`} source={source} speed={speed} onPlayhead={onPlayhead} />
          <div className="row">
            <label htmlFor={speedField} className="inline-label">
              Speed
            </label>
            <select id={speedField} className="speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
              {kSpeeds.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
            <span className="muted" aria-live="polite">
              {playhead !== null && formatClock(playhead)} {status}
            </span>
          </div>
        </div>
        <div className="card stack">
          <h2>{camera.name}</h2>
          <CameraControls camera={camera} />
        </div>
      </div>
      <div className="card stack">
        <h2>Timeline</h2>
        <ErrorText error={timeline.error} />
        <Timeline
          day={day}
          view={view}
          onView={setView}
          intervals={intervals}
          gaps={gaps}
          markers={timeline.data?.markers ?? []}
          playhead={playhead}
          selection={selection}
          onSeek={onSeek}
          onSelect={onSelect}
          now={Date.now()}
        />
        <div className="row selection-bar">
          <button type="button" onClick={() => mark("from")} disabled={playhead === null}>
            Mark start
          </button>
          <button type="button" onClick={() => mark("to")} disabled={playhead === null}>
            Mark end
          </button>
          {selection ? (
            <>
              <span>
                Selected {formatClock(selection.from)}–{formatClock(selection.to)} ({formatDuration((selection.to - selection.from) / 1000)})
              </span>
              <button type="button" onClick={() => playSelection(selection)}>
                Play selection
              </button>
              <button type="button" className="primary" onClick={() => void exportClip(selection)} disabled={exporting.busy}>
                {exporting.busy ? "Exporting…" : "Export MP4"}
              </button>
              <button type="button" onClick={() => setSelection(null)}>
                Clear selection
              </button>
            </>
          ) : (
            <span className="muted">Drag on the timeline to select a period to play or export.</span>
          )}
        </div>
        <ErrorText error={exporting.error} />
      </div>
      <div className="card stack">
        <h2>Recordings of {formatDay(day.from)}</h2>
        <RecordingList camera={camera.id} day={day} version={version} onPlay={playFrom} onChanged={refresh} />
      </div>
    </>
  );
}
