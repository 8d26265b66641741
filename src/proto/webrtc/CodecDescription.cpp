#include "proto/webrtc/CodecDescription.h"

#include <algorithm>

#include "format/sdp/Text.h"
#include "proto/webrtc/H264ProfileLevelId.h"
#include "proto/webrtc/SdpSyntax.h"

namespace ocellus::proto::webrtc {
namespace {

using Fmtp = std::map<std::string, std::string>;

std::optional<std::string_view> find(const Fmtp& fmtp, std::string_view key) {
  const auto it = fmtp.find(std::string(key));
  if (it == fmtp.end()) return std::nullopt;
  return std::string_view(it->second);
}

// A numeric parameter, `absent` when missing, nullopt when present but not a number.
std::optional<std::uint32_t> number(const Fmtp& fmtp, std::string_view key, std::uint32_t absent) {
  const auto value = find(fmtp, key);
  if (!value) return absent;
  return format::sdp::parseNumber<std::uint32_t>(*value);
}

// The offered parameters that can be written back safely: token keys, visible values without
// ';' (the separator), empty values dropped.
Fmtp echoable(const Fmtp& offered) {
  Fmtp out;
  for (const auto& [key, value] : offered) {
    if (out.size() == CodecDescription::kMaxFmtpParameters) break;
    if (isToken(key, 64) && !value.empty() && value.size() <= 256 && isVisible(value) &&
        value.find(';') == std::string::npos) {
      out.emplace(key, value);
    }
  }
  return out;
}

CodecDescription make(codec::MediaKind kind, std::string name, std::uint32_t clockRate,
                      std::uint16_t channels, Fmtp fmtp = {}) {
  return CodecDescription{kind, std::move(name), clockRate, channels, std::move(fmtp)};
}

// RFC 6184 §8.1 / §8.2.2.
std::optional<Fmtp> matchH264(const Fmtp& ours, const Fmtp& offered, bool weSend) {
  const auto ourMode = number(ours, "packetization-mode", 0);
  const auto offeredMode = number(offered, "packetization-mode", 0);
  if (!ourMode || !offeredMode || *ourMode != *offeredMode) return std::nullopt;

  std::optional<H264ProfileLevelId> offeredId = H264ProfileLevelId{};
  if (const auto v = find(offered, "profile-level-id")) offeredId = H264ProfileLevelId::parse(*v);
  if (!offeredId) return std::nullopt;
  H264ProfileLevelId answered = *offeredId;
  const auto asymmetry = find(offered, "level-asymmetry-allowed");
  if (const auto v = find(ours, "profile-level-id")) {
    const auto ourId = H264ProfileLevelId::parse(*v);
    if (!ourId) return std::nullopt;
    if (weSend ? !offeredId->decodes(*ourId) : !ourId->decodes(*offeredId)) return std::nullopt;
    // With level asymmetry each side states its own level; without it the answer may only
    // lower the offered one.
    const bool asymmetric = asymmetry == "1";
    const auto& level = asymmetric || ourId->levelRank() < offeredId->levelRank() ? *ourId : *offeredId;
    answered = offeredId->withLevelOf(level);
  }
  Fmtp out;
  if (asymmetry == "1" || asymmetry == "0") out.emplace("level-asymmetry-allowed", std::string(*asymmetry));
  out.emplace("packetization-mode", std::to_string(*offeredMode));
  out.emplace("profile-level-id", answered.toString());
  return out;
}

// RFC 7798 §7.1 defaults: profile-space 0, profile-id 1 (Main), level-id 93 (3.1).
std::optional<Fmtp> matchH265(const Fmtp& ours, const Fmtp& offered, bool weSend) {
  const auto ourSpace = number(ours, "profile-space", 0);
  const auto offeredSpace = number(offered, "profile-space", 0);
  if (!ourSpace || !offeredSpace || *ourSpace != *offeredSpace) return std::nullopt;
  if (find(ours, "profile-id")) {
    const auto ourProfile = number(ours, "profile-id", 1);
    const auto offeredProfile = number(offered, "profile-id", 1);
    if (!ourProfile || !offeredProfile) return std::nullopt;
    // A Main 10 decoder (profile-id 2) decodes Main (1): Rec. ITU-T H.265 A.3.3.
    const std::uint32_t decoder = weSend ? *offeredProfile : *ourProfile;
    const std::uint32_t stream = weSend ? *ourProfile : *offeredProfile;
    if (decoder != stream && !(decoder == 2 && stream == 1)) return std::nullopt;
  }
  Fmtp out = echoable(offered);
  if (find(ours, "level-id")) {
    const auto ourLevel = number(ours, "level-id", 93);
    const auto offeredLevel = number(offered, "level-id", 93);
    if (ourLevel && offeredLevel) out["level-id"] = std::to_string(std::min(*ourLevel, *offeredLevel));
  }
  return out;
}

// VP9 profile-id (RFC 9628 §6), AV1 profile (AV1 RTP specification §7.2.1): equal when ours names one.
std::optional<Fmtp> matchProfileParameter(const Fmtp& ours, const Fmtp& offered, std::string_view key) {
  if (find(ours, key)) {
    const auto ourProfile = number(ours, key, 0);
    const auto offeredProfile = number(offered, key, 0);
    if (!ourProfile || !offeredProfile || *ourProfile != *offeredProfile) return std::nullopt;
  }
  return echoable(offered);
}

}  // namespace

CodecDescription CodecDescription::h264(std::string_view profileLevelId, int packetizationMode) {
  Fmtp fmtp{{"packetization-mode", std::to_string(packetizationMode)}};
  if (!profileLevelId.empty()) fmtp.emplace("profile-level-id", std::string(profileLevelId));
  return make(codec::MediaKind::Video, "H264", 90000, 1, std::move(fmtp));
}

CodecDescription CodecDescription::h265(int profileId) {
  return make(codec::MediaKind::Video, "H265", 90000, 1, {{"profile-id", std::to_string(profileId)}});
}

CodecDescription CodecDescription::vp8() {
  return make(codec::MediaKind::Video, "VP8", 90000, 1);
}
CodecDescription CodecDescription::vp9() {
  return make(codec::MediaKind::Video, "VP9", 90000, 1);
}
CodecDescription CodecDescription::av1() {
  return make(codec::MediaKind::Video, "AV1", 90000, 1);
}
CodecDescription CodecDescription::opus() {
  return make(codec::MediaKind::Audio, "opus", 48000, 2);
}
CodecDescription CodecDescription::pcmu() {
  return make(codec::MediaKind::Audio, "PCMU", 8000, 1);
}
CodecDescription CodecDescription::pcma() {
  return make(codec::MediaKind::Audio, "PCMA", 8000, 1);
}

std::optional<std::map<std::string, std::string>> CodecDescription::match(
    const format::sdp::RtpMap& offered, const std::map<std::string, std::string>& offeredFmtp,
    bool weSend) const {
  if (!iequals(name, offered.encoding) || clockRate != offered.clockRate || channels != offered.channels) {
    return std::nullopt;
  }
  if (iequals(name, "H264")) return matchH264(fmtp, offeredFmtp, weSend);
  if (iequals(name, "H265")) return matchH265(fmtp, offeredFmtp, weSend);
  if (iequals(name, "VP9")) return matchProfileParameter(fmtp, offeredFmtp, "profile-id");
  if (iequals(name, "AV1")) return matchProfileParameter(fmtp, offeredFmtp, "profile");
  return echoable(offeredFmtp);
}

std::string CodecDescription::formatFmtp(const std::map<std::string, std::string>& parameters) {
  std::string s;
  for (const auto& [key, value] : parameters) {
    if (!s.empty()) s += ';';
    s += key;
    if (!value.empty()) s += "=" + value;
  }
  return s;
}

}  // namespace ocellus::proto::webrtc
