#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/Clock.h"
#include "base/Log.h"
#include "base/Result.h"
#include "io/FileSystem.h"
#include "store/Store.h"

namespace ocellus::record {

// What retention may delete (DESIGN §5). Recordings marked keep are never deleted.
struct RetentionPolicy {
  bool enabled = true;  // false: manual, nothing is deleted but the disk is still reported
  std::optional<std::chrono::hours> maxAge;                  // every camera
  std::map<std::string, std::chrono::hours> maxAgeByCamera;  // overrides maxAge
  std::optional<std::uint64_t> quotaBytes;                   // all recordings together
  std::uint64_t freeFloorBytes = 0;                          // keep at least this much free on the disk
  std::uint64_t lowSpaceWarningBytes = 0;                    // warn (storage_full alert) below this; > floor
};

struct RetentionReport {
  int filesDeleted = 0;             // recordings whose file and row are gone
  std::uint64_t bytesFreed = 0;     // indexed sizes of the files this run removed
  bool lowSpace = false;            // available < lowSpaceWarningBytes after the run
  bool floorUnreachable = false;    // the floor is not free and nothing more could be deleted
  io::DiskSpace disk;               // of the recordings folder, after the run
  std::vector<std::string> errors;  // one per recording that could not be deleted
};

// Deletes old recordings, files and index rows together, by the policy's rules in this order:
// each camera's maximum age (a recording is past it when it ended before now − age), then the
// global quota (the summed sizeBytes of every indexed recording, kept and open ones included),
// then the free-space floor. Each rule takes the oldest recordings first (by start) and skips
// the kept ones and the ones being written. A file that is already gone counts as deleted; a
// file that cannot be removed is reported and skipped, and the run goes on. Rows are read
// kBatchSize at a time, so a large index never loads at once.
//
// run() blocks on the store and the disk: call it from the control plane or a worker, never
// from a media loop, and one run at a time. The store, filesystem and clock must outlive the
// cleaner.
class RetentionCleaner {
 public:
  static constexpr int kBatchSize = 200;

  // `recordingsRoot` is the folder Recording::path is relative to.
  RetentionCleaner(store::Store& store, io::FileSystem& fs, const base::Clock& clock,
                   std::string recordingsRoot);

  // `open`: paths (relative, as in the index) being written now; never deleted. An error from
  // the store's reads or the disk's space stops the run; what it deleted before stays deleted.
  base::Result<RetentionReport> run(const RetentionPolicy& policy, const std::set<std::string>& open);

 private:
  // What one sweep has deleted so far: indexed bytes (rows gone) and bytes of removed files.
  struct Swept {
    std::int64_t indexedBytes = 0;
    std::uint64_t freedBytes = 0;
  };
  enum class Verdict { Delete, Skip, Stop };

  template <typename Decide>
  base::Status sweep(store::RecordingFilter filter, const std::set<std::string>& open,
                     RetentionReport& report, Decide decide);
  bool remove(const store::Recording& recording, RetentionReport& report, Swept& swept);
  base::Status expireByAge(const RetentionPolicy& policy, const std::set<std::string>& open,
                           RetentionReport& report);

  store::Store& store_;
  io::FileSystem& fs_;
  const base::Clock& clock_;
  const std::string root_;
  base::Logger log_{"retention"};
};

}  // namespace ocellus::record
