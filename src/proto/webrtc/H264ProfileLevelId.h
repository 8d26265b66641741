#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ocellus::proto::webrtc {

// The H.264 "profile-level-id" media type parameter (RFC 6184 §8.1): three bytes in hex, the
// profile_idc, profile-iop and level_idc of the SPS (ITU-T H.264 §7.3.2.1.1):
//
//   profile-iop: constraint_set0_flag .. constraint_set5_flag, then two reserved zero bits
//
//   42e01f = profile_idc 66 (Baseline), set0+set1+set2 (so Constrained Baseline), level 3.1
//
// Offer/answer compares profiles, not bytes: several byte patterns name one profile (42e01f
// and 4d801f are both Constrained Baseline), and a decoder of a larger profile decodes the
// streams of the profiles it contains (Annex A).
struct H264ProfileLevelId {
  // The profiles browsers negotiate, told apart by profile_idc and the constraint flags
  // (Annex A.2). Anything else is Other and only matches byte for byte.
  enum class Profile {
    ConstrainedBaseline,  // 66 with set1, 77 with set0, 88 with set0+set1 (A.2.1.1)
    Baseline,             // 66; 88 with set0
    Main,                 // 77
    Extended,             // 88
    ConstrainedHigh,      // 100 with set4+set5 (A.2.4.2)
    ProgressiveHigh,      // 100 with set4 (A.2.4.1)
    High,                 // 100
    High10,               // 110
    High422,              // 122
    High444,              // 244: High 4:4:4 Predictive
    Other,
  };

  // RFC 6184 §8.1: without the parameter, Baseline profile at level 1.0.
  static constexpr std::uint8_t kDefaultProfileIdc = 0x42;
  static constexpr std::uint8_t kDefaultLevelIdc = 0x0a;

  std::uint8_t profileIdc = kDefaultProfileIdc;
  std::uint8_t profileIop = 0;
  std::uint8_t levelIdc = kDefaultLevelIdc;

  // Exactly six hex digits, either case.
  static std::optional<H264ProfileLevelId> parse(std::string_view hex);
  // Six lower-case hex digits, as browsers write them.
  std::string toString() const;

  Profile profile() const;
  // Whether a decoder of this profile decodes every stream of `stream`'s profile (Annex A:
  // Constrained Baseline is inside every profile here, Main inside High, High inside High 10,
  // 4:2:2 and 4:4:4 Predictive, Constrained High inside Progressive High inside High).
  bool decodes(const H264ProfileLevelId& stream) const;

  // Level 1b is written as level_idc 11 with constraint_set3_flag for profiles 66/77/88 and
  // as level_idc 9 otherwise (RFC 6184 §8.1 table).
  bool isLevel1b() const;
  // Levels in order: level_idc * 10, with 1b as 105 (between 1 and 1.1).
  int levelRank() const;
  // This profile at `other`'s level, spelling 1b the way this profile spells it.
  H264ProfileLevelId withLevelOf(const H264ProfileLevelId& other) const;

  bool operator==(const H264ProfileLevelId&) const = default;
};

}  // namespace ocellus::proto::webrtc
