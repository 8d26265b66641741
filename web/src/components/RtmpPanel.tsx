import { useState } from "react";
import type { Schemas } from "../api/client";
import { useApp } from "../app/context";
import { useAction } from "../app/useAction";
import { useAsync } from "../app/useAsync";
import { CopyField } from "./CopyField";
import { ErrorText } from "./ErrorText";

/** Where a camera that pushes its video publishes over RTMP: the URL and its stream key (a
 * secret), each with a Copy button, and Rotate, which gives the camera a new key. */
export function RtmpPanel({ camera, onClose }: { camera: Schemas["Camera"]; onClose: () => void }) {
  const { api, toast } = useApp();
  const loaded = useAsync(() => api.get("/cameras/{id}/rtmp-url", { path: { id: camera.id } }), [api, camera.id]);
  const [rotated, setRotated] = useState<Schemas["RtmpUrl"] | null>(null);
  const rotation = useAction();
  const rtmp = rotated ?? loaded.data;

  const rotate = () => {
    if (!confirm(`Give ${camera.name} a new stream key? Whatever publishes with the old one is disconnected.`)) return;
    void rotation.run(async () => {
      setRotated(await api.post("/cameras/{id}/rtmp-url/rotate", { path: { id: camera.id } }));
      toast("New stream key made", "success");
    });
  };

  return (
    <section className="control-panel" aria-labelledby="rtmp-title">
      <h3 id="rtmp-title">RTMP publishing</h3>
      <ErrorText error={rotation.error ?? loaded.error} />
      {!rtmp && !loaded.error && <p className="muted">Loading…</p>}
      {rtmp && (
        <div className="stack">
          {!rtmp.available && <p className="muted">The RTMP server is off: turn it on in ocellus.yml to publish.</p>}
          <CopyField label="RTMP URL" value={rtmp.rtmp_url} secret />
          {rtmp.rtmps_url && <CopyField label="RTMPS URL" value={rtmp.rtmps_url} secret />}
          <CopyField label="Stream key" value={rtmp.stream_key} secret />
        </div>
      )}
      <div className="row">
        <button type="button" className="danger" onClick={rotate} disabled={!rtmp || rotation.busy}>
          {rotation.busy ? "Rotating…" : "Rotate key"}
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
