import { useState } from "react";
import { useApp } from "../../app/context";
import { useAsync } from "../../app/useAsync";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ErrorText } from "../../components/ErrorText";
import { Figure } from "../../components/Figure";
import { RetentionForm } from "../../components/RetentionForm";
import { UsageBar } from "../../components/UsageBar";
import { formatBytes } from "../../lib/format";

type Cleanup = { cleanup_executed: boolean; files_deleted: number; space_freed: number; low_space_warning?: boolean; errors?: string[] };

/** Storage: disk usage of the data folder, the retention policy, and a clean-up on demand. */
export function StoragePage() {
  const { api, rpc } = useApp();
  const usage = useAsync(() => api.get("/analytics/storage/usage"), [api]);
  const [cleanup, setCleanup] = useState<Cleanup | null>(null);
  const [cleanupError, setCleanupError] = useState<unknown>();

  const cleanUp = async () => {
    setCleanupError(undefined);
    try {
      setCleanup(await rpc.call<Cleanup>("cleanup_old_files"));
      usage.reload();
    } catch (e) {
      setCleanupError(e);
    }
  };

  const u = usage.data;
  return (
    <section className="stack">
      <h1>Storage</h1>
      <section className="card stack" aria-labelledby="usage-title">
        <h2 id="usage-title">Disk usage</h2>
        <ErrorText error={usage.error} />
        {u && (
          <>
            <UsageBar percent={u.usage_percentage} warning={u.low_space_warning} label={`${formatBytes(u.used_space)} of ${formatBytes(u.total_space)} used`} />
            {u.low_space_warning && (
              <p className="error" role="alert">
                Free space is low: recordings may stop. Lower the retention limits or clean up.
              </p>
            )}
            <dl className="figures">
              <Figure label="Used">{formatBytes(u.used_space)}</Figure>
              <Figure label="Free">{formatBytes(u.available_space)}</Figure>
              <Figure label="Total">{formatBytes(u.total_space)}</Figure>
              <Figure label="Recordings">
                {formatBytes(u.recordings_size)}
                {u.recordings_count !== undefined && <span className="muted small"> in {u.recordings_count} files</span>}
              </Figure>
              <Figure label="Snapshots">
                {formatBytes(u.snapshots_size)}
                {u.snapshots_count !== undefined && <span className="muted small"> in {u.snapshots_count} files</span>}
              </Figure>
            </dl>
          </>
        )}
      </section>
      {u && <RetentionForm policy={u.retention_policy} />}
      <section className="card stack" aria-labelledby="cleanup-title">
        <h2 id="cleanup-title">Clean up</h2>
        <p className="muted">Applies the retention policy now (it also runs on its own at intervals). Recordings marked “keep” stay.</p>
        <div className="row">
          <ConfirmButton label="Clean up now" question="Delete the recordings the policy no longer keeps?" confirm="Clean up" onConfirm={cleanUp} />
        </div>
        <ErrorText error={cleanupError} />
        {cleanup && (
          <p role="status">
            Clean-up done: {cleanup.files_deleted} {cleanup.files_deleted === 1 ? "file" : "files"} deleted, {formatBytes(cleanup.space_freed)} freed.
            {cleanup.errors?.length ? ` ${cleanup.errors.length} could not be deleted: ${cleanup.errors.join("; ")}` : ""}
          </p>
        )}
      </section>
    </section>
  );
}
