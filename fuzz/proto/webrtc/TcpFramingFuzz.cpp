// Feeds arbitrary bytes to the RFC 4571 reader in chunks whose sizes the input picks, and
// checks what comes out against a plain re-parse of the same bytes: the same frames in the same
// order, each within the limits, and the same verdict (waiting or broken). Then writes the
// frames again with prefix(): reading that back gives them once more.
#include <cstdlib>
#include <cstring>
#include <vector>

#include "proto/webrtc/TcpFraming.h"

using namespace ocellus::proto::webrtc;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

using Bytes = std::vector<std::uint8_t>;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t chunk = data[0] % 64 + 1;
  const std::span<const std::uint8_t> stream(data + 1, size - 1);

  TcpFraming reader;
  std::vector<Bytes> frames;
  bool broken = false;
  for (std::size_t at = 0; at < stream.size() && !broken; at += chunk) {
    reader.append(stream.subspan(at, std::min(chunk, stream.size() - at)));
    check(reader.buffered() <= TcpFraming::kPrefixSize + TcpFraming::kMaxFrame + chunk);
    for (;;) {
      auto frame = reader.next();
      if (!frame) {
        broken = true;
        check(!reader.next().ok());
        break;
      }
      if (!*frame) break;
      check(!(*frame)->empty() && (*frame)->size() <= TcpFraming::kMaxFrame);
      frames.emplace_back((*frame)->begin(), (*frame)->end());
    }
  }

  // The oracle: walk the prefixes directly.
  std::size_t at = 0;
  std::size_t index = 0;
  bool expectBroken = false;
  while (stream.size() - at >= TcpFraming::kPrefixSize) {
    const std::size_t length = static_cast<std::size_t>(stream[at]) << 8 | stream[at + 1];
    if (length == 0 || length > TcpFraming::kMaxFrame) {
      expectBroken = true;
      break;
    }
    if (stream.size() - at - TcpFraming::kPrefixSize < length) break;
    check(index < frames.size() && frames[index].size() == length &&
          std::memcmp(frames[index].data(), stream.data() + at + TcpFraming::kPrefixSize, length) == 0);
    ++index;
    at += TcpFraming::kPrefixSize + length;
  }
  check(index == frames.size() && expectBroken == broken);

  Bytes written;
  for (const auto& f : frames) {
    const auto p = TcpFraming::prefix(f.size());
    written.insert(written.end(), p.begin(), p.end());
    written.insert(written.end(), f.begin(), f.end());
  }
  TcpFraming again;
  again.append(written);
  for (const auto& f : frames) {
    auto frame = again.next();
    check(frame.ok() && frame->has_value() && Bytes((*frame)->begin(), (*frame)->end()) == f);
  }
  auto end = again.next();
  check(end.ok() && !end->has_value());
  return 0;
}
