-- 002: the recording index the recorder, retention and playback use (issue 6), and the
-- per-camera recording mode.

-- continuous: the recorder keeps segments of the camera; off: only on-demand sessions record it.
ALTER TABLE cameras ADD COLUMN record TEXT NOT NULL DEFAULT 'off'
  CHECK (record IN ('continuous', 'off'));

-- 001's recordings table had no writer, so its rows (none) take these defaults.
-- kind: segment (continuous recording) | session (an on-demand recording, one file);
-- session_id is empty for segments. duration_ms is media time, which may differ from
-- end_ms - start_ms when the wall clock stepped. complete: the file was closed cleanly or
-- repaired after a crash; keep: retention never deletes the row or its file.
ALTER TABLE recordings ADD COLUMN kind TEXT NOT NULL DEFAULT 'segment'
  CHECK (kind IN ('segment', 'session'));
ALTER TABLE recordings ADD COLUMN session_id  TEXT    NOT NULL DEFAULT '';
ALTER TABLE recordings ADD COLUMN duration_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE recordings ADD COLUMN codecs      TEXT    NOT NULL DEFAULT '';
ALTER TABLE recordings ADD COLUMN format      TEXT    NOT NULL DEFAULT 'mp4';
ALTER TABLE recordings ADD COLUMN complete    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE recordings ADD COLUMN keep        INTEGER NOT NULL DEFAULT 0;

-- Retention walks the deletable rows oldest first; kept rows stay out of that walk, however
-- many of them pile up at the old end. The store writes "keep = 0" as a literal so the planner
-- can use this partial index (https://sqlite.org/partialindex.html#queries_using_partial_indexes).
CREATE INDEX recordings_unkept_start ON recordings (start_ms) WHERE keep = 0;
-- A restart repairs the files a crash left open: few rows at any time, found without a scan.
CREATE INDEX recordings_incomplete_start ON recordings (start_ms) WHERE complete = 0;
