#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/HeaderMap.h"
#include "base/SharedBytes.h"

namespace ocellus::api::http {

// A file the server streams from disk in chunks (never loaded whole), with single-range
// support (RFC 9110 §14) and HEAD. The server opens it when the response is written: a file
// that is missing then is answered 404 with the error body.
struct FileBody {
  std::string path;
  std::string contentType;         // empty: guessed from the extension
  std::string contentDisposition;  // empty: none; see attachment()
};

// One response, plain types. The server adds Content-Length, Date, Server, X-Request-Id,
// Connection and the CORS fields; a handler's own Content-Length, Transfer-Encoding or
// Connection field is ignored. For HEAD the server drops the body and keeps its length.
struct HttpResponse {
  int status = 200;
  HeaderMap headers;
  std::string body;
  // Bytes shared with other responses, written in order without a copy (scatter-gather); when
  // not empty, `body` is ignored.
  std::vector<base::SharedBytes> sharedBody;
  std::optional<FileBody> fileBody;  // when set, `body` and `sharedBody` are ignored

  // application/json; charset=utf-8
  static HttpResponse json(int status, std::string text);
  // text/plain; charset=utf-8 unless contentType says otherwise.
  static HttpResponse text(int status, std::string text,
                           std::string contentType = "text/plain; charset=utf-8");
  // 200 with `pieces` as the body, in order.
  static HttpResponse shared(std::vector<base::SharedBytes> pieces, std::string contentType);
  // A body-less response (204, 304, a redirect with Location, …).
  static HttpResponse empty(int status);
  // 200 streaming the file at `path` (206/416 when the request has a Range).
  static HttpResponse file(std::string path, std::string contentType = {},
                           std::string contentDisposition = {});

  // Chains on a temporary too ("return HttpResponse::json(…).setHeader(…);") without copying it.
  HttpResponse& setHeader(std::string name, std::string value) & {
    headers.set(std::move(name), std::move(value));
    return *this;
  }
  HttpResponse&& setHeader(std::string name, std::string value) && {
    headers.set(std::move(name), std::move(value));
    return std::move(*this);
  }
};

// The Content-Type for a file name by its extension (mp4, mkv, jpg, m3u8, m4s, ts, json, html,
// js, css, svg, png, txt, …), case-insensitive; application/octet-stream when unknown.
std::string_view contentTypeFor(std::string_view fileName);

// `attachment; filename="name"` with a filename*=UTF-8'' form when the name is not plain ASCII
// (RFC 6266 §4.3). Quotes, backslashes and control characters never reach the header.
std::string attachment(std::string_view fileName);

}  // namespace ocellus::api::http
