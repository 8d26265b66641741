#include "proto/rtsp/RtpInfo.h"

#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {

base::Result<std::vector<RtpInfo>> RtpInfo::parseList(std::string_view value) {
  std::vector<RtpInfo> out;
  for (const auto entry : splitList(value)) {
    RtpInfo info;
    bool hasUrl = false;
    for (const auto param : splitList(entry, ';')) {
      const auto eq = param.find('=');
      if (eq == std::string_view::npos) continue;
      const std::string_view name = trim(param.substr(0, eq));
      const std::string_view v = trim(param.substr(eq + 1));
      if (iequals(name, "url")) {
        // A URL has no quotes (RFC 3986 §2); one here would change how the header splits.
        if (v.find('"') != std::string_view::npos)
          return base::makeError(base::ErrorCode::Malformed, "RTP-Info: bad url");
        info.url = std::string(v);
        hasUrl = true;
      } else if (iequals(name, "seq")) {
        info.seq = parseUnsigned<std::uint16_t>(v);
        if (!info.seq) return base::makeError(base::ErrorCode::Malformed, "RTP-Info: bad seq");
      } else if (iequals(name, "rtptime")) {
        info.rtptime = parseUnsigned<std::uint32_t>(v);
        if (!info.rtptime) return base::makeError(base::ErrorCode::Malformed, "RTP-Info: bad rtptime");
      }
    }
    if (!hasUrl) return base::makeError(base::ErrorCode::Malformed, "RTP-Info: entry without url");
    out.push_back(std::move(info));
  }
  return out;
}

std::string RtpInfo::formatList(std::span<const RtpInfo> entries) {
  std::string s;
  for (const auto& e : entries) {
    if (!s.empty()) s += ',';
    s += "url=" + e.url;
    if (e.seq) s += ";seq=" + std::to_string(*e.seq);
    if (e.rtptime) s += ";rtptime=" + std::to_string(*e.rtptime);
  }
  return s;
}

}  // namespace ocellus::proto::rtsp
