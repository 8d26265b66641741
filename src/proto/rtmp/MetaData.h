#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace ocellus::proto::rtmp {

// The onMetaData data message a server sends players before media (FLV spec v10.1 §E.5):
// the string "onMetaData" and an ECMA array of the stream's properties, AMF0-encoded. Fields
// left empty are not written. Codec ids are FLV's (7 AVC, 10 AAC) or, for Enhanced RTMP
// codecs, the FourCC as a number ('hvc1' = 0x68766331).
struct MetaData {
  std::optional<double> width;
  std::optional<double> height;
  std::optional<double> framerate;
  std::optional<double> videocodecid;
  std::optional<double> audiocodecid;
  std::optional<double> audiosamplerate;
  std::optional<double> audiochannels;

  // The body of the data message (type 18).
  std::vector<std::uint8_t> build() const;
};

}  // namespace ocellus::proto::rtmp
