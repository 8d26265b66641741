// Scans arbitrary bytes as a recorded file, serving the scanner the ranges it asks for, and
// checks what repair relies on: the ranges lie inside the file; the fragments lie in order
// between the init segment and validSize; truncated says whether bytes follow validSize; and
// the first validSize bytes (the repaired file) scan again to the same fragments, whole.
#include <cstdlib>

#include "record/SegmentScanner.h"

using namespace ocellus::record;

namespace {

ocellus::base::Result<SegmentLayout> scan(std::span<const std::uint8_t> bytes) {
  SegmentScanner scanner(bytes.size());
  std::size_t reads = 0;
  while (const auto read = scanner.wanted()) {
    if (read->length == 0 || read->offset > bytes.size() || read->length > bytes.size() - read->offset) std::abort();
    if (++reads > bytes.size() + 2) std::abort();  // every read moves the scan forward
    scanner.feed(bytes.subspan(read->offset, read->length));
  }
  return scanner.result();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  auto layout = scan(input);
  if (!layout) return 0;
  if (layout->initSize > layout->validSize || layout->validSize > size) std::abort();
  if (layout->truncated != (layout->validSize < size)) std::abort();
  if (layout->tracks.empty() || layout->primaryTimescale == 0) std::abort();
  std::uint64_t end = layout->initSize;
  for (const auto& f : layout->fragments) {
    if (f.offset < end || f.size == 0 || f.size > layout->validSize - f.offset) std::abort();
    end = f.offset + f.size;
  }
  (void)layout->durationMs();

  auto again = scan(input.first(static_cast<std::size_t>(layout->validSize)));
  if (!again || again->truncated || again->validSize != layout->validSize) std::abort();
  if (again->fragments.size() != layout->fragments.size()) std::abort();
  for (std::size_t i = 0; i < layout->fragments.size(); ++i) {
    const auto& a = layout->fragments[i];
    const auto& b = again->fragments[i];
    if (a.offset != b.offset || a.size != b.size || a.decodeTime != b.decodeTime || a.duration != b.duration ||
        a.independent != b.independent) {
      std::abort();
    }
  }
  return 0;
}
