// Parses arbitrary bytes as FLV video and audio tag bodies. A parsed tag's data lies inside
// the input; rebuilding it (coded frames with the same codec, key flag and composition time,
// sequence start/end, AAC) and parsing again gives the same fields and data (a sequence
// header's composition time excepted: it is written as 0).
#include <cstdlib>
#include <cstring>
#include <vector>

#include "format/flv/AudioTag.h"
#include "format/flv/VideoTag.h"

using namespace ocellus::format::flv;

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
bool inside(std::span<const std::uint8_t> part, std::span<const std::uint8_t> all) {
  return part.data() >= all.data() && part.data() + part.size() <= all.data() + all.size();
}
bool same(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

void video(std::span<const std::uint8_t> input) {
  const auto tag = VideoTag::parse(input);
  if (!tag) return;
  check(inside(tag->data, input) || tag->data.empty());
  check(tag->compositionTime >= -0x800000 && tag->compositionTime < 0x800000);
  if (tag->frameType == VideoFrameType::Command || tag->packetType == VideoPacketType::Metadata) return;
  std::vector<std::uint8_t> rebuilt;
  if (tag->packetType == VideoPacketType::SequenceStart) {
    rebuilt = VideoTag::sequenceStart(tag->codec, tag->data);
  } else if (tag->packetType == VideoPacketType::SequenceEnd) {
    rebuilt = VideoTag::sequenceEnd(tag->codec);
  } else {
    rebuilt = VideoTag::frame(tag->codec, tag->keyframe(), tag->compositionTime, tag->data);
  }
  const auto again = VideoTag::parse(rebuilt);
  check(again.ok());
  check(again->codec == tag->codec);
  if (tag->packetType == VideoPacketType::SequenceEnd) {
    check(again->packetType == VideoPacketType::SequenceEnd);
    return;
  }
  check(same(again->data, tag->data));
  if (tag->packetType == VideoPacketType::SequenceStart) {
    check(again->packetType == VideoPacketType::SequenceStart);
    return;  // a sequence header's composition time means nothing and is written as 0
  }
  check(again->compositionTime == tag->compositionTime);
  check(again->keyframe() == tag->keyframe());
}

void audio(std::span<const std::uint8_t> input) {
  const auto tag = AudioTag::parse(input);
  if (!tag) {
    check(input.size() < 2 || input[0] >> 4 != AudioTag::kSoundFormatAac || input[1] > 1);
    return;
  }
  check(inside(tag->data, input) || tag->data.empty());
  const auto rebuilt = AudioTag::aac(tag->packetType, tag->data);
  const auto again = AudioTag::parse(rebuilt);
  check(again.ok() && again->packetType == tag->packetType && same(again->data, tag->data));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  video(input);
  audio(input);
  return 0;
}
