import { memo, useState } from "react";
import type { Schemas } from "../api/client";
import { useApp } from "../app/context";
import { useAction } from "../app/useAction";
import { useAsync } from "../app/useAsync";
import { atLeast } from "../roles";
import { sameOrigin, saveUrl } from "../lib/download";
import { formatBytes, formatClock, formatDuration, isoTime } from "../lib/format";
import type { Range } from "../lib/timeline";
import { ErrorText } from "./ErrorText";

const kPageSize = 20;

type Props = {
  camera: string;
  day: Range;
  /** Changes when the recordings changed elsewhere (a notification): loads the page again. */
  version: number;
  onPlay: (ms: number) => void;
  /** A recording was deleted or changed here. */
  onChanged: () => void;
};

/** The day's recordings of a camera, newest first, a page at a time: start, duration, size,
 * and per row Play, Download (a signed URL), the keep flag and Delete (operators). */
export const RecordingList = memo(function RecordingList({ camera, day, version, onPlay, onChanged }: Props) {
  const { api } = useApp();
  const [offset, setOffset] = useState(0);
  const page = useAsync(
    () => api.get("/recordings", { query: { camera, from: isoTime(day.from), to: isoTime(day.to), limit: kPageSize, offset } }),
    [api, camera, day.from, day.to, offset, version],
  );
  const list = page.data;
  if (!list) return page.error ? <ErrorText error={page.error} /> : <p className="muted">Loading recordings…</p>;
  if (list.total === 0) return <p className="muted">Nothing was recorded this day.</p>;
  const last = Math.min(list.offset + list.recordings.length, list.total);
  return (
    <div className="stack">
      <ErrorText error={page.error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Recordings of the day">
        <table className="recording-list">
          <thead>
            <tr>
              <th scope="col">Start</th>
              <th scope="col">Duration</th>
              <th scope="col">Size</th>
              <th scope="col">Keep</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.recordings.map((r) => (
              <RecordingRow key={r.id} recording={r} onPlay={onPlay} onChanged={onChanged} />
            ))}
          </tbody>
        </table>
      </div>
      <nav className="row pager" aria-label="Recording pages">
        <span className="muted">
          {list.offset + 1}–{last} of {list.total}
        </span>
        <button type="button" onClick={() => setOffset(Math.max(0, offset - kPageSize))} disabled={offset === 0}>
          Newer
        </button>
        <button type="button" onClick={() => setOffset(offset + kPageSize)} disabled={last >= list.total}>
          Older
        </button>
      </nav>
    </div>
  );
});

function RecordingRow({ recording: r, onPlay, onChanged }: { recording: Schemas["Recording"]; onPlay: (ms: number) => void; onChanged: () => void }) {
  const { api, user, toast } = useApp();
  const operator = atLeast(user.role, "operator");
  const action = useAction();
  const [keep, setKeep] = useState(r.keep ?? false);
  const startMs = r.start_ms ?? Date.parse(r.start_time);
  const name = `recording from ${formatClock(startMs)}`;
  const writing = r.complete === false;

  const download = () =>
    action.run(async () => {
      const { url } = await api.get("/recordings/{id}/signed-url", { path: { id: r.id } });
      saveUrl(sameOrigin(url), r.filename.slice(r.filename.lastIndexOf("/") + 1));
    });
  // The box follows the click at once and goes back if the server refuses.
  const toggleKeep = (value: boolean) => {
    setKeep(value);
    void action.run(async () => {
      try {
        await api.put("/recordings/{id}", { path: { id: r.id }, body: { keep: value } });
      } catch (e) {
        setKeep(!value);
        throw e;
      }
    });
  };
  const remove = () => {
    if (!confirm(`Delete the ${name} (${formatDuration(r.duration)})? It cannot be undone.`)) return;
    void action.run(async () => {
      await api.delete("/recordings/{id}", { path: { id: r.id } });
      toast(`Deleted the ${name}`, "success");
      onChanged();
    });
  };

  return (
    <tr>
      <td>
        {formatClock(startMs)} {writing && <span className="badge connecting">recording</span>}
      </td>
      <td>{formatDuration(r.duration)}</td>
      <td>{formatBytes(r.file_size)}</td>
      <td>
        <input type="checkbox" aria-label={`Keep the ${name}`} checked={keep} disabled={!operator || action.busy} onChange={(e) => toggleKeep(e.target.checked)} />
      </td>
      <td>
        <div className="row">
          <button type="button" aria-label={`Play the ${name}`} onClick={() => onPlay(startMs)}>
            Play
          </button>
          <button type="button" aria-label={`Download the ${name}`} onClick={() => void download()} disabled={action.busy}>
            Download
          </button>
          {operator && (
            <button type="button" className="danger" aria-label={`Delete the ${name}`} onClick={remove} disabled={action.busy || writing}>
              Delete
            </button>
          )}
        </div>
        <ErrorText error={action.error} />
      </td>
    </tr>
  );
}
