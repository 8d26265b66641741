#include "record/RetentionCleaner.h"

#include <algorithm>
#include <utility>

namespace ocellus::record {

RetentionCleaner::RetentionCleaner(store::Store& store, io::FileSystem& fs, const base::Clock& clock,
                                   std::string recordingsRoot)
    : store_(store), fs_(fs), clock_(clock), root_(std::move(recordingsRoot)) {}

// Walks the deletable rows `filter` selects, oldest first, a batch at a time, and deletes those
// `decide` (called with the row and what this sweep has deleted so far) says to, until it says
// Stop or the rows run out. Rows that stay (skipped, open, or failing to delete) keep their
// place ahead of the rest, so the next batch starts after as many rows as have stayed.
template <typename Decide>
base::Status RetentionCleaner::sweep(store::RecordingFilter filter, const std::set<std::string>& open,
                                     RetentionReport& report, Decide decide) {
  filter.keep = false;
  filter.oldestFirst = true;
  filter.limit = kBatchSize;
  filter.offset = 0;
  Swept swept;
  for (;;) {
    auto rows = store_.listRecordings(filter);
    if (!rows.ok()) return rows.error();
    for (const auto& row : *rows) {
      const Verdict verdict = open.contains(row.path) ? Verdict::Skip : decide(row, swept);
      if (verdict == Verdict::Stop) return {};
      if (verdict == Verdict::Skip || !remove(row, report, swept)) ++filter.offset;
    }
    if (rows->size() < static_cast<std::size_t>(kBatchSize)) return {};
  }
}

// The file, then the row: a crash between the two leaves a row whose file is gone, which the
// next run deletes, never a file nothing indexes.
bool RetentionCleaner::remove(const store::Recording& recording, RetentionReport& report, Swept& swept) {
  auto removed = fs_.remove(root_ + "/" + recording.path);
  if (!removed.ok() && removed.error().code != base::ErrorCode::NotFound) {
    log_.warn("recording {}: {}", recording.id, removed.error().message);
    report.errors.push_back(removed.error().message);
    return false;
  }
  if (removed.ok()) {
    const auto size = static_cast<std::uint64_t>(recording.sizeBytes);
    report.bytesFreed += size;
    swept.freedBytes += size;
  }
  auto erased = store_.deleteRecording(recording.id);
  if (!erased.ok() && erased.error().code != base::ErrorCode::NotFound) {
    log_.warn("recording {}: {}", recording.id, erased.error().message);
    report.errors.push_back(erased.error().message);
    return false;
  }
  ++report.filesDeleted;
  swept.indexedBytes += recording.sizeBytes;
  return true;
}

base::Status RetentionCleaner::expireByAge(const RetentionPolicy& policy, const std::set<std::string>& open,
                                           RetentionReport& report) {
  const store::TimeMs now = base::wallMillis(clock_.wallNow());
  auto cutoffOf = [&](std::chrono::hours age) {
    return now - std::chrono::duration_cast<std::chrono::milliseconds>(age).count();
  };
  // Selecting start < cutoff finds every recording that ended before it, and a few that
  // straddle it, which are skipped.
  for (const auto& [camera, age] : policy.maxAgeByCamera) {
    const store::TimeMs cutoff = cutoffOf(age);
    store::RecordingFilter filter;
    filter.camera = camera;
    filter.to = cutoff;
    OCELLUS_TRY(sweep(filter, open, report, [&](const store::Recording& r, const Swept&) {
      return r.endMs <= cutoff ? Verdict::Delete : Verdict::Skip;
    }));
  }
  if (!policy.maxAge) return {};
  const store::TimeMs cutoff = cutoffOf(*policy.maxAge);
  store::RecordingFilter filter;
  filter.to = cutoff;
  return sweep(filter, open, report, [&](const store::Recording& r, const Swept&) {
    return r.endMs <= cutoff && !policy.maxAgeByCamera.contains(r.cameraId) ? Verdict::Delete : Verdict::Skip;
  });
}

base::Result<RetentionReport> RetentionCleaner::run(const RetentionPolicy& policy,
                                                    const std::set<std::string>& open) {
  RetentionReport report;
  if (policy.enabled) {
    OCELLUS_TRY(expireByAge(policy, open, report));

    if (policy.quotaBytes) {
      auto indexed = store_.recordingStats({});
      if (!indexed.ok()) return indexed.error();
      OCELLUS_TRY(sweep({}, open, report, [&](const store::Recording&, const Swept& swept) {
        const auto left =
            static_cast<std::uint64_t>(std::max<std::int64_t>(0, indexed->bytes - swept.indexedBytes));
        return left > *policy.quotaBytes ? Verdict::Delete : Verdict::Stop;
      }));
    }

    if (policy.freeFloorBytes > 0) {
      // The space a removed file frees is taken as its indexed size rather than read again from the
      // disk, where a file a reader still holds open frees nothing yet.
      auto before = fs_.space(root_);
      if (!before.ok()) return before.error();
      const std::uint64_t freedBefore = report.bytesFreed;
      OCELLUS_TRY(sweep({}, open, report, [&](const store::Recording&, const Swept& swept) {
        return before->available + swept.freedBytes < policy.freeFloorBytes ? Verdict::Delete : Verdict::Stop;
      }));
      // The sweep stops once the floor is free: falling short means nothing more could be deleted.
      report.floorUnreachable = before->available + (report.bytesFreed - freedBefore) < policy.freeFloorBytes;
    }
  }

  auto disk = fs_.space(root_);
  if (!disk.ok()) return disk.error();
  report.disk = *disk;
  report.lowSpace = disk->available < policy.lowSpaceWarningBytes;
  if (report.filesDeleted > 0 || !report.errors.empty()) {
    log_.info("deleted {} recordings ({} bytes), {} could not be deleted; {} bytes free", report.filesDeleted,
              report.bytesFreed, report.errors.size(), disk->available);
  }
  if (report.floorUnreachable) {
    log_.warn("{} bytes free, under the floor of {}, and nothing left to delete", disk->available,
              policy.freeFloorBytes);
  }
  return report;
}

}  // namespace ocellus::record
