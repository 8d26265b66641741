#pragma once

#include <string>

#include "proto/rtsp/Headers.h"

namespace ocellus::proto::rtsp {

// An RTSP request (RFC 2326 §6).
struct Request {
  std::string method;  // "OPTIONS", "DESCRIBE", ...; case-sensitive (§6.1)
  std::string uri;     // absolute URL or "*"
  std::string version = "RTSP/1.0";
  Headers headers;
  std::string body;

  // The wire form with CRLF line ends; Content-Length comes from the body.
  std::string toString() const;

  bool operator==(const Request&) const = default;
};

}  // namespace ocellus::proto::rtsp
