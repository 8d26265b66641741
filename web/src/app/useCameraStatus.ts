import { useEffect, useState } from "react";
import type { Schemas } from "../api/client";
import { useApp } from "./context";

export type StreamStatus = Schemas["StreamStatus"];
const statuses: readonly string[] = ["online", "offline", "connecting", "error"] satisfies StreamStatus[];

/** Camera stream statuses by id as the `camera_status` topic reports them since the page opened
 * (or since the last reconnect, after which pages reload their lists). Cameras not in it have
 * not changed: their REST status holds. */
export function useCameraStatus(): Readonly<Record<string, StreamStatus>> {
  const { rpc } = useApp();
  const [updates, setUpdates] = useState<Record<string, StreamStatus>>({});
  useEffect(() => {
    const off = rpc.on("camera_status", "camera_status_update", ({ device, status }) => {
      if (typeof device === "string" && typeof status === "string" && statuses.includes(status)) {
        setUpdates((u) => ({ ...u, [device]: status as StreamStatus }));
      }
    });
    const offResync = rpc.onResync(() => setUpdates({}));
    return () => {
      off();
      offResync();
    };
  }, [rpc]);
  return updates;
}
