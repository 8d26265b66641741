#include "record/SegmentEvent.h"

namespace ocellus::record {

std::optional<FsyncPolicy> parseFsyncPolicy(std::string_view name) {
  if (name == "none") return FsyncPolicy::None;
  if (name == "fragment") return FsyncPolicy::Fragment;
  if (name == "segment") return FsyncPolicy::Segment;
  return std::nullopt;
}

std::string_view fsyncPolicyName(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::None:
      return "none";
    case FsyncPolicy::Fragment:
      return "fragment";
    case FsyncPolicy::Segment:
      return "segment";
  }
  return "fragment";
}

std::string_view segmentEventName(SegmentEvent::Type type) {
  switch (type) {
    case SegmentEvent::Type::Opened:
      return "opened";
    case SegmentEvent::Type::Progress:
      return "progress";
    case SegmentEvent::Type::Closed:
      return "closed";
    case SegmentEvent::Type::Failed:
      return "failed";
  }
  return "failed";
}

}  // namespace ocellus::record
