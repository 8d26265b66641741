import { useEffect, useState } from "react";
import type { Schemas } from "../api/client";
import { useApp } from "../app/context";
import { useAsync } from "../app/useAsync";
import { fileStamp, formatClock } from "../lib/format";
import { ErrorText } from "./ErrorText";

/** The camera's current picture, fetched with the session's token (the route needs it) when the
 * panel opens, with a Download link that names the file after the camera and the time. */
export function SnapshotPanel({ camera, onClose }: { camera: Schemas["Camera"]; onClose: () => void }) {
  const { api } = useApp();
  const { data: shot, error } = useAsync(
    async () => ({ jpeg: await api.blob("/cameras/{id}/snapshot.jpg", { path: { id: camera.id } }), takenAt: Date.now() }),
    [api, camera.id],
  );
  // An object URL for <img> and the link, released when the picture goes.
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!shot) return;
    const u = URL.createObjectURL(shot.jpeg);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [shot]);

  return (
    <section className="control-panel" aria-labelledby="snapshot-title">
      <h3 id="snapshot-title">Snapshot</h3>
      <ErrorText error={error} />
      {!url && !error && <p className="muted">Taking a snapshot…</p>}
      {shot && url && (
        <figure className="snapshot">
          <img src={url} alt={`${camera.name} at ${formatClock(shot.takenAt)}`} />
          <figcaption className="muted">{formatClock(shot.takenAt)}</figcaption>
        </figure>
      )}
      <div className="row">
        {shot && url && (
          <a className="button primary" href={url} download={`${camera.id}-${fileStamp(shot.takenAt)}.jpg`}>
            Download
          </a>
        )}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
