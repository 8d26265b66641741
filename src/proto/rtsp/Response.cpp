#include "proto/rtsp/Response.h"

#include <array>
#include <utility>

#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {

std::string_view reasonPhrase(int status) {
  static constexpr std::array<std::pair<int, std::string_view>, 45> kReasons{{
      {100, "Continue"},
      {200, "OK"},
      {201, "Created"},
      {250, "Low on Storage Space"},
      {300, "Multiple Choices"},
      {301, "Moved Permanently"},
      {302, "Moved Temporarily"},
      {303, "See Other"},
      {304, "Not Modified"},
      {305, "Use Proxy"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {402, "Payment Required"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {407, "Proxy Authentication Required"},
      {408, "Request Time-out"},
      {410, "Gone"},
      {411, "Length Required"},
      {412, "Precondition Failed"},
      {413, "Request Entity Too Large"},
      {414, "Request-URI Too Large"},
      {415, "Unsupported Media Type"},
      {431, "Request Header Fields Too Large"},
      {451, "Parameter Not Understood"},
      {452, "Conference Not Found"},
      {453, "Not Enough Bandwidth"},
      {454, "Session Not Found"},
      {455, "Method Not Valid in This State"},
      {456, "Header Field Not Valid for Resource"},
      {457, "Invalid Range"},
      {458, "Parameter Is Read-Only"},
      {459, "Aggregate operation not allowed"},
      {460, "Only aggregate operation allowed"},
      {461, "Unsupported transport"},
      {462, "Destination unreachable"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Time-out"},
      {505, "RTSP Version not supported"},
      {551, "Option not supported"},
  }};
  for (const auto& [code, text] : kReasons) {
    if (code == status) return text;
  }
  return "Unknown";
}

Response Response::withStatus(int status) {
  Response r;
  r.status = status;
  r.reason = std::string(reasonPhrase(status));
  return r;
}

Response Response::forRequest(const Request& request, int status) {
  Response r = withStatus(status);
  if (auto cseq = request.headers.get("CSeq")) r.headers.add("CSeq", std::string(*cseq));
  return r;
}

std::string Response::toString() const {
  std::string out;
  out.reserve(256 + body.size());
  out += "RTSP/1.0 " + std::to_string(status) + " ";
  appendFieldText(out, reason);
  out += "\r\n";
  headers.appendWithBody(out, body);
  return out;
}

}  // namespace ocellus::proto::rtsp
