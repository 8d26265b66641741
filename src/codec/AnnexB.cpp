#include "codec/AnnexB.h"

#include <iterator>

#include "base/ByteWriter.h"

namespace ocellus::codec {
namespace {

constexpr std::size_t kStartCodeSize = 3;  // 00 00 01; a 4-byte code is a zero byte plus this

// Offset of the next 00 00 01 at or after `from`, or data.size() when there is none.
std::size_t findStartCode(std::span<const std::uint8_t> data, std::size_t from) {
  for (std::size_t i = from; i + 2 < data.size(); ++i) {
    if (data[i + 2] > 1) {
      i += 2;  // no start code can begin at i, i+1 or i+2
    } else if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
      return i;
    }
  }
  return data.size();
}

}  // namespace

std::vector<std::span<const std::uint8_t>> splitAnnexB(std::span<const std::uint8_t> stream) {
  std::vector<std::span<const std::uint8_t>> nals;
  std::size_t pos = findStartCode(stream, 0);
  while (pos < stream.size()) {
    const std::size_t begin = pos + kStartCodeSize;
    const std::size_t next = findStartCode(stream, begin);
    std::size_t end = next;
    while (end > begin && stream[end - 1] == 0) --end;
    if (end > begin) nals.push_back(stream.subspan(begin, end - begin));
    pos = next;
  }
  return nals;
}

void appendNal(std::span<const std::uint8_t> nal, std::vector<std::uint8_t>& out) {
  base::ByteWriter w(out);
  w.u32(static_cast<std::uint32_t>(nal.size()));
  w.bytes(nal);
}

void appendAnnexB(std::span<const std::uint8_t> nal, std::vector<std::uint8_t>& out) {
  static constexpr std::uint8_t kStartCode[] = {0, 0, 0, 1};
  out.insert(out.end(), std::begin(kStartCode), std::end(kStartCode));
  out.insert(out.end(), nal.begin(), nal.end());
}

void annexBToCanonical(std::span<const std::uint8_t> stream, std::vector<std::uint8_t>& out) {
  for (auto nal : splitAnnexB(stream)) appendNal(nal, out);
}

}  // namespace ocellus::codec
