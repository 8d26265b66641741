#include "bridge/SdpTracks.h"

#include <algorithm>
#include <cctype>

#include "base/Base64.h"
#include "codec/aac/AudioSpecificConfig.h"
#include "codec/h264/ParameterSetCache.h"
#include "codec/h264/Sps.h"
#include "codec/h265/ParameterSetCache.h"

namespace ocellus::bridge {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::uint8_t> firstNal(const std::string& list) {
  const auto comma = list.find(',');
  auto decoded = base::base64Decode(list.substr(0, comma));
  return decoded ? *decoded : std::vector<std::uint8_t>{};
}

// Fills parameter sets from fmtp; a malformed value is ignored (in-band ones will come).
void readVideoParams(media::TrackInfo& t, const std::map<std::string, std::string>& fmtp) {
  auto get = [&](const char* key) -> std::string {
    auto it = fmtp.find(key);
    return it == fmtp.end() ? std::string() : it->second;
  };
  if (t.codec == codec::CodecId::H264) {
    codec::h264::ParameterSetCache cache;
    if (cache.addSprop(get("sprop-parameter-sets"))) {
      t.sps.assign(cache.sps().begin(), cache.sps().end());
      t.pps.assign(cache.pps().begin(), cache.pps().end());
    }
    const auto mode = get("packetization-mode");
    t.packetizationMode = mode.empty() ? 0 : std::atoi(mode.c_str());
  } else {
    t.vps = firstNal(get("sprop-vps"));
    t.sps = firstNal(get("sprop-sps"));
    t.pps = firstNal(get("sprop-pps"));
  }
}

}  // namespace

base::Result<std::vector<SdpTrack>> tracksFromSdp(const format::sdp::SessionDescription& sdp,
                                                  std::vector<std::string>* skipped) {
  std::vector<SdpTrack> out;
  std::string offered;
  for (const auto& m : sdp.media) {
    const auto pts = m.payloadTypes();
    if (pts.empty()) continue;
    const auto pt = pts.front();  // a camera offers one format per section
    const auto map = m.rtpmap(pt);
    const auto name = map ? upper(map->encoding) : std::string("PT") + std::to_string(pt);
    offered += (offered.empty() ? "" : ", ") + m.media + "/" + name;
    SdpTrack track;
    track.payloadType = pt;
    track.control = std::string(m.control());
    auto& t = track.info;
    if (map) t.clockRate = map->clockRate;
    if (name == "H264") {
      t.codec = codec::CodecId::H264;
      readVideoParams(t, m.fmtp(pt));
    } else if (name == "H265" || name == "HEVC") {
      t.codec = codec::CodecId::H265;
      readVideoParams(t, m.fmtp(pt));
    } else if (name == "VP8" || name == "VP9" || name == "AV1") {
      // Everything a decoder needs travels in-band (key frames, the AV1 sequence header).
      t.codec = name == "VP8" ? codec::CodecId::VP8 : name == "VP9" ? codec::CodecId::VP9 : codec::CodecId::AV1;
    } else if (name == "MPEG4-GENERIC") {
      const auto fmtp = m.fmtp(pt);
      auto mode = fmtp.find("mode");
      auto config = fmtp.find("config");
      if (mode == fmtp.end() || upper(mode->second) != "AAC-HBR" || config == fmtp.end()) {
        if (skipped) skipped->push_back(m.media + "/" + name + " (only mode=AAC-hbr with config=)");
        continue;
      }
      auto asc = codec::aac::AudioSpecificConfig::parseHex(config->second);
      if (!asc) {
        if (skipped) skipped->push_back(m.media + "/" + name + " (bad config=)");
        continue;
      }
      t.codec = codec::CodecId::AAC;
      t.audioConfig = asc->serialize();
      t.channels = asc->channelConfig;
    } else if (name == "OPUS") {
      t.codec = codec::CodecId::Opus;
      t.channels = map ? map->channels : 2;
    } else if (name == "PCMU" || name == "PCMA") {
      t.codec = name == "PCMU" ? codec::CodecId::PCMU : codec::CodecId::PCMA;
      t.channels = map ? map->channels : 1;
    } else if (name == "SMPTE336M") {
      t.codec = codec::CodecId::KLV;
    } else {
      if (skipped) skipped->push_back(m.media + "/" + name);
      continue;
    }
    if (t.clockRate == 0) t.clockRate = codec::defaultClockRate(t.codec);
    out.push_back(std::move(track));
  }
  if (out.empty()) {
    return base::makeError(base::ErrorCode::Unsupported,
                           "no supported track in the SDP (offered: " + (offered.empty() ? "nothing" : offered) +
                               "; supported: H264, H265, VP8, VP9, AV1, MPEG4-GENERIC AAC-hbr, opus, PCMU, PCMA, smpte336m)");
  }
  return out;
}

std::uint8_t payloadTypeFor(const media::TrackInfo& track, std::size_t index) {
  if (track.clockRate == 8000 && track.channels <= 1) {
    if (track.codec == codec::CodecId::PCMU) return 0;
    if (track.codec == codec::CodecId::PCMA) return 8;
  }
  return static_cast<std::uint8_t>(96 + index);
}

format::sdp::SessionDescription sdpForTracks(const std::vector<media::TrackInfo>& tracks, const std::string& name) {
  using format::sdp::Attribute;
  format::sdp::SessionDescription sdp;
  sdp.origin.sessionId = "0";
  sdp.origin.address = "127.0.0.1";
  sdp.sessionName = name.empty() ? "-" : name;
  sdp.connection = format::sdp::Connection{"IN", "IP4", "0.0.0.0"};
  sdp.attributes.push_back({"tool", "ocellus"});
  sdp.attributes.push_back({"control", "*"});
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const auto& t = tracks[i];
    const auto pt = payloadTypeFor(t, i);
    format::sdp::MediaDescription m;
    const auto kind = codec::mediaKind(t.codec);
    m.media = kind == codec::MediaKind::Video ? "video" : kind == codec::MediaKind::Audio ? "audio" : "application";
    m.formats = {std::to_string(pt)};
    std::string rtpmap = std::to_string(pt) + " " + std::string(codec::codecName(t.codec)) + "/" +
                         std::to_string(t.clockRate);
    if (kind == codec::MediaKind::Audio && t.channels > 1) rtpmap += "/" + std::to_string(t.channels);
    m.attributes.push_back({"rtpmap", rtpmap});
    std::string fmtp;
    switch (t.codec) {
      case codec::CodecId::H264: {
        fmtp = "packetization-mode=" + std::to_string(t.packetizationMode);
        if (!t.sps.empty()) {
          if (auto sps = codec::h264::Sps::parse(t.sps)) fmtp += "; profile-level-id=" + sps->profileLevelId();
          if (!t.pps.empty()) {
            fmtp += "; sprop-parameter-sets=" + base::base64Encode(t.sps) + "," + base::base64Encode(t.pps);
          }
        }
        break;
      }
      case codec::CodecId::H265:
        if (!t.vps.empty() && !t.sps.empty() && !t.pps.empty()) {
          fmtp = "sprop-vps=" + base::base64Encode(t.vps) + "; sprop-sps=" + base::base64Encode(t.sps) +
                 "; sprop-pps=" + base::base64Encode(t.pps);
        }
        break;
      case codec::CodecId::AAC: {
        std::string config;
        if (auto asc = codec::aac::AudioSpecificConfig::parse(t.audioConfig)) config = asc->hex();
        fmtp = "streamtype=5; profile-level-id=1; mode=AAC-hbr; sizelength=13; indexlength=3; indexdeltalength=3; config=" + config;
        break;
      }
      case codec::CodecId::Opus:
        if (t.channels == 2) fmtp = "sprop-stereo=1";
        break;
      case codec::CodecId::VP8:
      case codec::CodecId::VP9:
      case codec::CodecId::AV1:
      case codec::CodecId::PCMU:
      case codec::CodecId::PCMA:
      case codec::CodecId::KLV:
        break;
    }
    if (!fmtp.empty()) m.attributes.push_back({"fmtp", std::to_string(pt) + " " + fmtp});
    m.attributes.push_back({"control", "trackID=" + std::to_string(i)});
    sdp.media.push_back(std::move(m));
  }
  return sdp;
}

}  // namespace ocellus::bridge
