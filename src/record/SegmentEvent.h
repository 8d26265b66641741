#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ocellus::record {

// When what a recording wrote is forced to the disk (fdatasync): after every fragment (a power
// cut loses at most the fragment being written, DESIGN §5), when a segment file is closed, or
// never (the kernel writes back when it likes). YAML values: none | fragment | segment.
enum class FsyncPolicy { None, Fragment, Segment };

std::optional<FsyncPolicy> parseFsyncPolicy(std::string_view name);
std::string_view fsyncPolicyName(FsyncPolicy policy);

// What happened to one recording file, for the store's index and the status notifications.
// Each file gets Opened (unless it could not be created), one Progress per fragment written,
// then exactly one of Closed or Failed, after which the file is closed and never written again.
struct SegmentEvent {
  enum class Type { Opened, Progress, Closed, Failed };
  Type type = Type::Opened;
  std::string path;                   // relative to the recordings root, '/'-separated
  std::int64_t startMs = 0;           // wall clock (ms since the epoch) of the first sample
  std::int64_t endMs = 0;             // of the end of the last sample written
  std::uint64_t bytes = 0;            // file size so far
  std::int64_t durationMs = 0;        // media time written (fragments dropped are not in it)
  std::string codecs;                 // RFC 6381, comma-separated
  std::string error;                  // Failed: the file and the reason
  std::chrono::microseconds writeLatency{0};  // Progress: append (+ sync) time of that fragment
};

std::string_view segmentEventName(SegmentEvent::Type type);  // "opened", "progress", …

// Called on the DiskWriter's thread, in order per file. It must return quickly (post to its
// owner's executor) and must not call back into the recorder or the writer synchronously.
using SegmentListener = std::function<void(const SegmentEvent&)>;

}  // namespace ocellus::record
