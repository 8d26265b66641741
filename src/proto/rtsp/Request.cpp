#include "proto/rtsp/Request.h"

#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {

std::string Request::toString() const {
  std::string out;
  out.reserve(256 + body.size());
  appendFieldText(out, method);
  out += ' ';
  appendFieldText(out, uri);
  out += ' ';
  appendFieldText(out, version);
  out += "\r\n";
  headers.appendWithBody(out, body);
  return out;
}

}  // namespace ocellus::proto::rtsp
