// Feeds arbitrary bytes to the server handshake in two pieces. Whatever is consumed, the
// answer is S0+S1+S2 exactly once C0/C1 are complete; a digest answer must carry a valid
// FMS digest in S1 at the client's scheme; a plain one echoes C1 in S2.
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "proto/rtmp/Handshake.h"

using namespace ocellus::proto::rtmp;

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  const std::size_t split = std::min<std::size_t>(input.size(), data[0] * 13u);
  Handshake h;
  std::vector<std::uint8_t> out;
  std::size_t used = 0;
  for (const auto part : {input.first(split), input.subspan(split)}) {
    auto n = h.feed(part, out);
    if (!n) {
      check(input[0] != Handshake::kVersion);
      return 0;
    }
    check(*n <= part.size());
    used += *n;
    if (*n < part.size()) {
      check(h.done());
      break;
    }
  }
  constexpr std::size_t kC0C1 = 1 + Handshake::kPacketSize;
  check(out.size() == (used >= kC0C1 ? kC0C1 + Handshake::kPacketSize : 0));
  check(h.done() == (used == kC0C1 + Handshake::kPacketSize));
  if (out.empty()) return 0;
  const std::span<const std::uint8_t, Handshake::kPacketSize> c1(input.data() + 1, Handshake::kPacketSize);
  const std::span<const std::uint8_t, Handshake::kPacketSize> s1(out.data() + 1, Handshake::kPacketSize);
  if (h.scheme() == Handshake::Scheme::Plain) {
    check(std::equal(c1.begin(), c1.end(), out.begin() + kC0C1));
  } else {
    check(Handshake::findDigest(c1, Handshake::playerKey(false)) == h.scheme());
    check(Handshake::findDigest(s1, Handshake::serverKey(false)) == h.scheme());
  }
  return 0;
}
