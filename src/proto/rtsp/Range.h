#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace ocellus::proto::rtsp {

// The Range header in normal play time (RFC 2326 §12.29, §3.6): "npt=<start>-[<end>]".
// Times are kept in milliseconds (finer digits are dropped).
struct Range {
  std::optional<std::chrono::milliseconds> start;  // nullopt: "now" (live)
  std::optional<std::chrono::milliseconds> end;    // nullopt: open-ended

  // Accepts seconds ("12.5") and "h:mm:ss[.fraction]" forms, "now" as start, a missing start
  // ("npt=-20", meaning from the beginning) and trailing ";time=" parameters, which are ignored.
  // smpte= and clock= ranges are Unsupported.
  static base::Result<Range> parse(std::string_view value);
  // "npt=0.000-", "npt=now-", "npt=1.500-10.000".
  std::string toString() const;

  bool operator==(const Range&) const = default;
};

}  // namespace ocellus::proto::rtsp
