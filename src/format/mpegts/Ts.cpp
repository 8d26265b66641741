#include "format/mpegts/Ts.h"

namespace ocellus::format::mpegts {

std::string_view codecName(Codec codec) {
  switch (codec) {
    case Codec::H264: return "H264";
    case Codec::H265: return "H265";
    case Codec::Aac: return "AAC";
    case Codec::Klv: return "KLV";
  }
  return "?";
}

}  // namespace ocellus::format::mpegts
