#include "proto/webrtc/H264ProfileLevelId.h"

#include "proto/webrtc/SdpSyntax.h"

namespace ocellus::proto::webrtc {
namespace {

// profile-iop bits (H.264 §7.4.2.1.1).
constexpr std::uint8_t kSet0 = 0x80;
constexpr std::uint8_t kSet1 = 0x40;
constexpr std::uint8_t kSet3 = 0x10;
constexpr std::uint8_t kSet4 = 0x08;
constexpr std::uint8_t kSet5 = 0x04;

constexpr std::uint8_t kBaselineIdc = 66;
constexpr std::uint8_t kMainIdc = 77;
constexpr std::uint8_t kExtendedIdc = 88;

bool usesSet3For1b(std::uint8_t profileIdc) {
  return profileIdc == kBaselineIdc || profileIdc == kMainIdc || profileIdc == kExtendedIdc;
}

// Position in the High chain, each decoding the ones before it (A.2.4 - A.2.7); -1 off it.
int highRank(H264ProfileLevelId::Profile p) {
  using P = H264ProfileLevelId::Profile;
  switch (p) {
    case P::ConstrainedHigh:
      return 0;
    case P::ProgressiveHigh:
      return 1;
    case P::High:
      return 2;
    case P::High10:
      return 3;
    case P::High422:
      return 4;
    case P::High444:
      return 5;
    default:
      return -1;
  }
}

}  // namespace

std::optional<H264ProfileLevelId> H264ProfileLevelId::parse(std::string_view hex) {
  if (hex.size() != 6) return std::nullopt;
  std::uint32_t v = 0;
  for (const char c : hex) {
    const int d = hexDigitValue(c);
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<std::uint32_t>(d);
  }
  return H264ProfileLevelId{static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
                            static_cast<std::uint8_t>(v)};
}

std::string H264ProfileLevelId::toString() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (const std::uint8_t b : {profileIdc, profileIop, levelIdc}) {
    s += kDigits[b >> 4];
    s += kDigits[b & 15];
  }
  return s;
}

H264ProfileLevelId::Profile H264ProfileLevelId::profile() const {
  const bool set0 = (profileIop & kSet0) != 0;
  const bool set1 = (profileIop & kSet1) != 0;
  switch (profileIdc) {
    case kBaselineIdc:
      return set1 ? Profile::ConstrainedBaseline : Profile::Baseline;
    case kMainIdc:
      return set0 ? Profile::ConstrainedBaseline : Profile::Main;
    case kExtendedIdc:
      if (set0 && set1) return Profile::ConstrainedBaseline;
      return set0 ? Profile::Baseline : Profile::Extended;
    case 100:
      if ((profileIop & kSet4) && (profileIop & kSet5)) return Profile::ConstrainedHigh;
      return (profileIop & kSet4) ? Profile::ProgressiveHigh : Profile::High;
    case 110:
      return Profile::High10;
    case 122:
      return Profile::High422;
    case 244:
      return Profile::High444;
    default:
      return Profile::Other;
  }
}

bool H264ProfileLevelId::decodes(const H264ProfileLevelId& stream) const {
  const Profile decoder = profile();
  const Profile s = stream.profile();
  if (decoder == Profile::Other || s == Profile::Other) {
    return profileIdc == stream.profileIdc && profileIop == stream.profileIop;
  }
  if (decoder == s || s == Profile::ConstrainedBaseline) return true;
  switch (s) {
    case Profile::Baseline:
      return decoder == Profile::Extended;
    case Profile::Main:
      return highRank(decoder) >= highRank(Profile::High);
    default:
      return highRank(s) >= 0 && highRank(decoder) > highRank(s);
  }
}

bool H264ProfileLevelId::isLevel1b() const {
  return levelIdc == 9 || (levelIdc == 11 && usesSet3For1b(profileIdc) && (profileIop & kSet3) != 0);
}

int H264ProfileLevelId::levelRank() const {
  return isLevel1b() ? 105 : levelIdc * 10;
}

H264ProfileLevelId H264ProfileLevelId::withLevelOf(const H264ProfileLevelId& other) const {
  H264ProfileLevelId out = *this;
  const bool set3MeansLevel = usesSet3For1b(profileIdc);
  if (set3MeansLevel) out.profileIop = static_cast<std::uint8_t>(out.profileIop & ~kSet3);
  if (other.isLevel1b()) {
    if (set3MeansLevel) {
      out.levelIdc = 11;
      out.profileIop = static_cast<std::uint8_t>(out.profileIop | kSet3);
    } else {
      out.levelIdc = 9;
    }
  } else {
    out.levelIdc = other.levelIdc;
  }
  return out;
}

}  // namespace ocellus::proto::webrtc
