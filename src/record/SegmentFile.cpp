#include "record/SegmentFile.h"

#include <fmt/format.h>

#include "base/Log.h"
#include "record/SegmentScanner.h"

namespace ocellus::record {
namespace {

base::Error naming(const std::string& path, const base::Error& e) { return base::makeError(e.code, path + ": " + e.message); }

struct Scan {
  SegmentLayout layout;
  std::string tailReason;
};

base::Result<Scan> scan(io::FileSystem& fs, const std::string& path) {
  auto size = fs.fileSize(path);
  if (!size) return size.error();
  SegmentScanner scanner(*size);
  while (const auto read = scanner.wanted()) {
    auto bytes = fs.read(path, read->offset, read->length);
    if (!bytes) return bytes.error();
    scanner.feed(*bytes);
  }
  auto layout = scanner.result();
  if (!layout) return naming(path, layout.error());
  return Scan{std::move(*layout), scanner.tailReason()};
}

}  // namespace

base::Result<SegmentLayout> scanSegment(io::FileSystem& fs, const std::string& path) {
  auto result = scan(fs, path);
  if (!result) return result.error();
  return std::move(result->layout);
}

base::Result<SegmentLayout> repairSegment(io::FileSystem& fs, const std::string& path) {
  auto result = scan(fs, path);
  if (!result) return result.error();
  SegmentLayout& layout = result->layout;
  if (!layout.truncated) return std::move(layout);
  auto size = fs.fileSize(path);
  if (!size) return size.error();
  OCELLUS_TRY(fs.truncate(path, layout.validSize));
  base::Logger("record").child(path).info("cut {} bytes of torn tail ({}); {} fragments, {} ms kept",
                                          *size - layout.validSize, result->tailReason, layout.fragments.size(),
                                          layout.durationMs());
  layout.truncated = false;
  return std::move(layout);
}

}  // namespace ocellus::record
