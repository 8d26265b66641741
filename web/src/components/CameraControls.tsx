import type { Schemas } from "../api/client";

// Stub: the camera controls (snapshot, record, RTMP URL) are another change's; the live view
// already renders them here.
export function CameraControls(_props: { camera: Schemas["Camera"] }) {
  return null;
}
