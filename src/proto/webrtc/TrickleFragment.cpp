#include "proto/webrtc/TrickleFragment.h"

#include <algorithm>
#include <utility>

#include "format/sdp/Text.h"
#include "proto/webrtc/SdpSyntax.h"

namespace ocellus::proto::webrtc {
namespace {

constexpr std::size_t kMaxMidSize = 64;

base::Error malformed(std::size_t lineNumber, std::string_view what) {
  return base::makeError(base::ErrorCode::Malformed,
                         "sdpfrag line " + std::to_string(lineNumber) + ": " + std::string(what));
}

base::Error tooLarge(std::string_view what) {
  return base::makeError(base::ErrorCode::TooLarge, "sdpfrag: " + std::string(what));
}

// Sets a credential once; a repeated one must agree.
bool setOnce(std::optional<std::string>& slot, std::string_view value) {
  if (slot) return *slot == value;
  slot = std::string(value);
  return true;
}

void appendLine(std::string& out, std::string_view line) {
  out += line;
  out += "\r\n";
}

void appendCredentials(std::string& out, const std::optional<std::string>& ufrag,
                       const std::optional<std::string>& pwd) {
  if (ufrag) appendLine(out, "a=ice-ufrag:" + *ufrag);
  if (pwd) appendLine(out, "a=ice-pwd:" + *pwd);
}

}  // namespace

base::Result<TrickleFragment> TrickleFragment::parse(std::string_view body) {
  if (body.size() > kMaxSize) return tooLarge("larger than 16 KiB");
  TrickleFragment f;
  Section* section = nullptr;
  std::size_t candidates = 0;
  std::size_t lineNumber = 0;
  while (!body.empty()) {
    const auto nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
    if (++lineNumber > kMaxLines) return tooLarge("more than 256 lines");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
      return malformed(lineNumber, "expected <letter>=<value>");
    }
    const std::string_view value = line.substr(2);
    if (line[0] == 'm') {
      const auto fields = splitFields(value);
      if (fields.size() < 4 || !isToken(fields[0], 32) || !isProto(fields[2]) ||
          !std::all_of(fields.begin() + 3, fields.end(), [](std::string_view x) { return isToken(x, 32); })) {
        return malformed(lineNumber, "bad m= line");
      }
      const auto port = format::sdp::parseNumber<std::uint16_t>(fields[1]);
      if (!port) return malformed(lineNumber, "bad m= port");
      if (f.sections.size() == kMaxSections) return tooLarge("more than 16 m= sections");
      Section s;
      s.media = std::string(fields[0]);
      s.port = *port;
      s.proto = std::string(fields[2]);
      s.formats.assign(fields.begin() + 3, fields.end());
      f.sections.push_back(std::move(s));
      section = &f.sections.back();
      continue;
    }
    if (line[0] != 'a') continue;  // RFC 8840 §9.1 has only m= and a= lines; others are ignored

    const auto colon = value.find(':');
    const std::string_view name = value.substr(0, colon);
    const std::string_view arg =
        colon == std::string_view::npos ? std::string_view() : format::sdp::trim(value.substr(colon + 1));
    if (iequals(name, "candidate")) {
      if (!section) return malformed(lineNumber, "a=candidate before any m= line");
      auto c = IceCandidate::parse(arg);
      if (!c) {
        if (c.error().code != base::ErrorCode::Unsupported) return malformed(lineNumber, c.error().message);
        ++f.ignoredCandidates;
        continue;
      }
      if (++candidates > kMaxCandidates) return tooLarge("more than 64 candidates");
      section->candidates.push_back(std::move(c).value());
    } else if (iequals(name, "end-of-candidates")) {
      (section ? section->endOfCandidates : f.endOfCandidates) = true;
    } else if (iequals(name, "ice-ufrag")) {
      if (!isIceChars(arg, 4, 256)) return malformed(lineNumber, "a=ice-ufrag is not 4-256 ice-chars");
      if (!setOnce(section ? section->iceUfrag : f.iceUfrag, arg))
        return malformed(lineNumber, "second a=ice-ufrag");
    } else if (iequals(name, "ice-pwd")) {
      if (!isIceChars(arg, 22, 256)) return malformed(lineNumber, "a=ice-pwd is not 22-256 ice-chars");
      if (!setOnce(section ? section->icePwd : f.icePwd, arg))
        return malformed(lineNumber, "second a=ice-pwd");
    } else if (iequals(name, "mid")) {
      if (!section || !section->mid.empty() || !isToken(arg, kMaxMidSize))
        return malformed(lineNumber, "bad a=mid");
      const bool repeated = std::ranges::any_of(f.sections, [&](const Section& s) { return s.mid == arg; });
      if (repeated) return malformed(lineNumber, "repeated a=mid");
      section->mid = std::string(arg);
    } else if (!section && iequals(name, "ice-lite")) {
      f.iceLite = true;
    } else if (!section && iequals(name, "ice-options")) {
      for (const auto option : splitFields(arg)) {
        if (!isToken(option, 64)) return malformed(lineNumber, "bad a=ice-options");
        if (f.iceOptions.size() < 16) f.iceOptions.emplace_back(option);
      }
    } else if (!section && iequals(name, "group")) {
      const auto fields = splitFields(arg);
      if (fields.empty() || !iequals(fields[0], "BUNDLE") || !f.bundle.empty()) continue;
      if (fields.size() > kMaxSections + 1) return tooLarge("BUNDLE group too long");
      for (std::size_t i = 1; i < fields.size(); ++i) {
        if (!isToken(fields[i], kMaxMidSize)) return malformed(lineNumber, "bad a=group mid");
        f.bundle.emplace_back(fields[i]);
      }
    }
  }

  // With BUNDLE there is one ICE transport, hence one set of credentials (RFC 8843 §10).
  for (const auto& s : f.sections) {
    if ((s.iceUfrag && f.ufrag() != *s.iceUfrag) || (s.icePwd && f.pwd() != *s.icePwd)) {
      return base::makeError(base::ErrorCode::Malformed, "sdpfrag: sections disagree on ICE credentials");
    }
  }
  return f;
}

std::string TrickleFragment::toString() const {
  std::string out;
  if (iceLite) appendLine(out, "a=ice-lite");
  if (!iceOptions.empty()) {
    std::string line = "a=ice-options:";
    for (std::size_t i = 0; i < iceOptions.size(); ++i) line += (i ? " " : "") + iceOptions[i];
    appendLine(out, line);
  }
  appendCredentials(out, iceUfrag, icePwd);
  if (!bundle.empty()) {
    std::string line = "a=group:BUNDLE";
    for (const auto& mid : bundle) line += " " + mid;
    appendLine(out, line);
  }
  if (endOfCandidates) appendLine(out, "a=end-of-candidates");
  for (const auto& s : sections) {
    std::string m = "m=" + s.media + " " + std::to_string(s.port) + " " + s.proto;
    for (const auto& fmt : s.formats) m += " " + fmt;
    appendLine(out, m);
    if (!s.mid.empty()) appendLine(out, "a=mid:" + s.mid);
    appendCredentials(out, s.iceUfrag, s.icePwd);
    for (const auto& c : s.candidates) appendLine(out, "a=" + c.toString());
    if (s.endOfCandidates) appendLine(out, "a=end-of-candidates");
  }
  return out;
}

std::optional<std::string_view> TrickleFragment::ufrag() const {
  if (iceUfrag) return std::string_view(*iceUfrag);
  for (const auto& s : sections) {
    if (s.iceUfrag) return std::string_view(*s.iceUfrag);
  }
  return std::nullopt;
}

std::optional<std::string_view> TrickleFragment::pwd() const {
  if (icePwd) return std::string_view(*icePwd);
  for (const auto& s : sections) {
    if (s.icePwd) return std::string_view(*s.icePwd);
  }
  return std::nullopt;
}

bool TrickleFragment::complete() const {
  return endOfCandidates || std::ranges::any_of(sections, [](const Section& s) { return s.endOfCandidates; });
}

const TrickleFragment::Section* TrickleFragment::find(std::string_view mid) const {
  for (const auto& s : sections) {
    if (s.mid == mid) return &s;
  }
  return nullptr;
}

TrickleFragment TrickleFragment::local(const NegotiatedSession& session, std::string ufrag, std::string pwd,
                                       std::vector<IceCandidate> candidates, bool complete) {
  TrickleFragment f;
  f.iceLite = true;
  f.iceUfrag = std::move(ufrag);
  f.icePwd = std::move(pwd);
  for (const auto& m : session.media) {
    Section s;
    s.media = m.kind == codec::MediaKind::Audio ? "audio" : "video";
    s.formats = {std::to_string(m.payloadType)};
    s.mid = m.mid;
    f.bundle.push_back(m.mid);
    f.sections.push_back(std::move(s));
  }
  if (!f.sections.empty()) {
    f.sections.front().candidates = std::move(candidates);
    f.sections.front().endOfCandidates = complete;
  }
  return f;
}

}  // namespace ocellus::proto::webrtc
