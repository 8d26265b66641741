import { useState } from "react";
import type { Schemas } from "../api/client";
import { useApp } from "../app/context";
import { atLeast } from "../roles";
import { RecordControl } from "./RecordControl";
import { RtmpPanel } from "./RtmpPanel";
import { SnapshotPanel } from "./SnapshotPanel";

type Panel = { kind: "snapshot" | "rtmp"; key: number } | null;

/** A camera's actions, by role as the API grants them (x-ocellus-role): Snapshot for everyone,
 * recording and the RTMP publish URL for operators and admins (cameras from ocellus.yml have no
 * stream key). One panel opens at a time below the buttons; Snapshot again takes a new picture. */
export function CameraControls({ camera }: { camera: Schemas["Camera"] }) {
  const { user } = useApp();
  const operator = atLeast(user.role, "operator");
  const [panel, setPanel] = useState<Panel>(null);
  const open = (kind: "snapshot" | "rtmp") => setPanel((p) => ({ kind, key: (p?.key ?? 0) + 1 }));
  const close = () => setPanel(null);

  return (
    <div className="camera-controls" role="group" aria-label={`${camera.name} controls`}>
      <div className="row">
        <button type="button" onClick={() => open("snapshot")}>
          Snapshot
        </button>
        {operator && <RecordControl key={camera.id} camera={camera} />}
        {operator && !camera.read_only && (
          <button type="button" aria-expanded={panel?.kind === "rtmp"} onClick={() => (panel?.kind === "rtmp" ? close() : open("rtmp"))}>
            RTMP URL
          </button>
        )}
      </div>
      {panel?.kind === "snapshot" && <SnapshotPanel key={panel.key} camera={camera} onClose={close} />}
      {panel?.kind === "rtmp" && <RtmpPanel key={panel.key} camera={camera} onClose={close} />}
    </div>
  );
}
