import { useEffect, useRef, useState, type CSSProperties } from "react";
import { useAsync } from "../app/useAsync";
import { useCameraStatus } from "../app/useCameraStatus";
import { useApp } from "../app/context";
import { usePreferences } from "../app/usePreferences";
import { CameraTile } from "../components/CameraTile";
import { ErrorText } from "../components/ErrorText";
import { LayoutPicker } from "../components/LayoutPicker";
import { columns, livePrefsOf, moveItem, orderCameras, pageCount, pageItems, type LivePrefs } from "../lib/liveGrid";

/** The live grid: every camera the user may see, `layout` tiles a page, in the user's order
 * (both saved on the server); statuses follow the `camera_status` topic. */
export function LivePage() {
  const { api } = useApp();
  const cameras = useAsync(() => api.get("/cameras"), [api]);
  const updates = useCameraStatus();
  const { preferences, loaded, update } = usePreferences();
  const [page, setPage] = useState(0);
  const { layout, order } = livePrefsOf(preferences);
  const all = orderCameras(cameras.data?.cameras ?? [], order);
  const shown = pageItems(all, layout, page);
  const pages = pageCount(all.length, layout);

  // A status for a camera the list lacks: one created since it loaded.
  const listed = useRef(new Set<string>());
  listed.current = new Set(all.map((c) => c.id));
  const reloadedFor = useRef(new Set<string>());
  useEffect(() => {
    const fresh = Object.keys(updates).filter((id) => !listed.current.has(id) && !reloadedFor.current.has(id));
    if (!fresh.length || cameras.loading) return;
    fresh.forEach((id) => reloadedFor.current.add(id));
    cameras.reload();
  }, [updates, cameras]);

  const save = (live: LivePrefs) => update({ live });
  const move = (from: number, to: number) => save({ layout, order: moveItem(all.map((c) => c.id), from, to) });

  if (cameras.error && !cameras.data) return <ErrorText error={cameras.error} />;
  return (
    <section className="live">
      <div className="live-head">
        <h1>Live</h1>
        <LayoutPicker value={layout} onChange={(l) => save({ layout: l, order })} />
        {pages > 1 && (
          <nav className="row pager" aria-label="Grid pages">
            <button type="button" disabled={shown.page === 0} onClick={() => setPage(shown.page - 1)}>
              Previous page
            </button>
            <span>
              Page {shown.page + 1} of {pages}
            </span>
            <button type="button" disabled={shown.page === pages - 1} onClick={() => setPage(shown.page + 1)}>
              Next page
            </button>
          </nav>
        )}
      </div>
      {!cameras.data || !loaded ? (
        <p className="muted">Loading cameras…</p>
      ) : all.length === 0 ? (
        <p className="muted">No cameras yet.</p>
      ) : (
        <div className="live-grid" data-columns={columns(layout)} style={{ "--columns": columns(layout) } as CSSProperties}>
          {shown.items.map((camera, i) => {
            const index = shown.first + i;
            return (
              <CameraTile
                key={camera.id}
                camera={camera}
                status={updates[camera.id] ?? camera.stream_status}
                index={index}
                count={all.length}
                onMove={(delta) => move(index, index + delta)}
                onDropCamera={(dragged) => move(all.findIndex((c) => c.id === dragged), index)}
              />
            );
          })}
        </div>
      )}
    </section>
  );
}
