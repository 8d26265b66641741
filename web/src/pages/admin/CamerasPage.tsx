import { useEffect, useState } from "react";
import type { Schemas } from "../../api/client";
import { useApp } from "../../app/context";
import { useRowAction } from "../../app/useRowAction";
import { useAsync } from "../../app/useAsync";
import { CameraEditor } from "../../components/CameraEditor";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ErrorText } from "../../components/ErrorText";
import { StatusBadge } from "../../components/StatusBadge";
import { Table } from "../../components/Table";
import { href } from "../../router";

type Camera = Schemas["Camera"];

/** Cameras: the list with live status, add / edit / delete. ocellus.yml's cameras are read-only. */
export function CamerasPage() {
  const { api, rpc, toast } = useApp();
  const cameras = useAsync(() => api.get("/cameras"), [api]);
  const [editing, setEditing] = useState<{ camera?: Camera } | null>(null);
  // Status changes arrive over the WebSocket between loads; a load starts afresh.
  const [live, setLive] = useState<Record<string, string>>({});
  useEffect(() => setLive({}), [cameras.data]);
  useEffect(
    () =>
      rpc.on("camera_status", "camera_status_update", (p) => {
        const { device, status } = p;
        if (typeof device === "string" && typeof status === "string") setLive((l) => ({ ...l, [device]: status }));
      }),
    [rpc],
  );

  const saved = (c: Camera, verb: string) => {
    setEditing(null);
    toast(`Camera ${c.name} ${verb}.`, "success");
    cameras.reload();
  };
  const act = useRowAction(cameras.reload);
  const remove = (c: Camera) => act(() => api.delete("/cameras/{id}", { path: { id: c.id } }), `Camera ${c.name} deleted.`, `Could not delete ${c.name}`);

  const list = cameras.data?.cameras ?? [];
  return (
    <section className="stack">
      <div className="row between">
        <h1>Cameras</h1>
        {!editing && (
          <button type="button" className="primary" onClick={() => setEditing({})}>
            Add camera
          </button>
        )}
      </div>
      {editing && (
        <CameraEditor
          key={editing.camera?.id ?? "new"}
          camera={editing.camera}
          onSaved={(c) => saved(c, editing.camera ? "saved" : "added")}
          onCancel={() => setEditing(null)}
        />
      )}
      <ErrorText error={cameras.error} />
      {list.some((c) => c.read_only) && <p className="muted">Cameras marked “ocellus.yml” are defined in the configuration file: change them there.</p>}
      <Table caption="Cameras" columns={["Camera", "Status", "Source", "Location", "Recording", "Actions"]} empty={cameras.data && list.length === 0 && "No cameras yet."}>
        {list.map((c) => (
          <tr key={c.id}>
            <td>
              <a href={href(`/live/${encodeURIComponent(c.id)}`)}>{c.name}</a>
              <div className="muted small">
                {c.id}
                {c.serial_number && ` · SN ${c.serial_number}`}
                {(c.company || c.model) && ` · ${[c.company, c.model].filter(Boolean).join(" ")}`}
              </div>
            </td>
            <td>
              <StatusBadge value={live[c.id] ?? c.stream_status} />
              {!c.is_active && <span className="muted small"> inactive</span>}
              {c.on_demand && <span className="muted small"> on demand</span>}
            </td>
            <td className="break">{c.source}</td>
            <td>{[c.location, c.place].filter(Boolean).join(" · ") || <span className="muted">—</span>}</td>
            <td>
              {c.is_recording ? <StatusBadge value="error" label="● recording" /> : null} {c.record === "continuous" ? "continuous" : "on request"}
            </td>
            <td>
              {c.read_only ? (
                <span className="badge" title="Defined in ocellus.yml: edit the file to change it">
                  ocellus.yml
                </span>
              ) : (
                <div className="row">
                  <button type="button" onClick={() => setEditing({ camera: c })}>
                    Edit
                  </button>
                  <ConfirmButton label="Delete" question={`Delete ${c.name}?`} confirm="Delete camera" onConfirm={() => remove(c)} />
                </div>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
