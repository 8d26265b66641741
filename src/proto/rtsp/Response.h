#pragma once

#include <string>
#include <string_view>

#include "proto/rtsp/Headers.h"
#include "proto/rtsp/Request.h"

namespace ocellus::proto::rtsp {

// The reason phrase of an RTSP status code (RFC 2326 §7.1.1, plus 431 from RFC 6585);
// "Unknown" for codes outside the table.
std::string_view reasonPhrase(int status);

// An RTSP response (RFC 2326 §7), always "RTSP/1.0" on the wire.
struct Response {
  int status = 200;
  std::string reason = "OK";
  Headers headers;
  std::string body;

  // A response with the standard reason phrase.
  static Response withStatus(int status);
  // The same, echoing the request's CSeq as every response must (RFC 2326 §12.17).
  static Response forRequest(const Request& request, int status = 200);

  // The wire form with CRLF line ends; Content-Length comes from the body.
  std::string toString() const;

  bool operator==(const Response&) const = default;
};

}  // namespace ocellus::proto::rtsp
