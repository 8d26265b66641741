#include "api/http/HttpResponse.h"

#include <array>
#include <utility>

namespace ocellus::api::http {

HttpResponse HttpResponse::json(int status, std::string text) {
  return HttpResponse::text(status, std::move(text), "application/json; charset=utf-8");
}

HttpResponse HttpResponse::text(int status, std::string text, std::string contentType) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(text);
  r.headers.set("Content-Type", std::move(contentType));
  return r;
}

HttpResponse HttpResponse::shared(std::vector<base::SharedBytes> pieces, std::string contentType) {
  HttpResponse r;
  r.sharedBody = std::move(pieces);
  r.headers.set("Content-Type", std::move(contentType));
  return r;
}

HttpResponse HttpResponse::empty(int status) {
  HttpResponse r;
  r.status = status;
  return r;
}

HttpResponse HttpResponse::file(std::string path, std::string contentType, std::string contentDisposition) {
  HttpResponse r;
  r.fileBody = FileBody{std::move(path), std::move(contentType), std::move(contentDisposition)};
  return r;
}

std::string_view contentTypeFor(std::string_view fileName) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kTypes{{
      {"mp4", "video/mp4"},
      {"m4v", "video/mp4"},
      {"mkv", "video/x-matroska"},
      {"webm", "video/webm"},
      {"m4s", "video/iso.segment"},
      {"ts", "video/mp2t"},
      {"m3u8", "application/vnd.apple.mpegurl"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"png", "image/png"},
      {"svg", "image/svg+xml"},
      {"ico", "image/x-icon"},
      {"webp", "image/webp"},
      {"json", "application/json"},
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"txt", "text/plain; charset=utf-8"},
      {"wasm", "application/wasm"},
      {"woff2", "font/woff2"},
  }};
  const auto slash = fileName.find_last_of('/');
  const std::string_view base = slash == std::string_view::npos ? fileName : fileName.substr(slash + 1);
  const auto dot = base.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string_view ext = base.substr(dot + 1);
  for (const auto& [e, type] : kTypes) {
    if (HeaderMap::equalsIgnoreCase(e, ext)) return type;
  }
  return "application/octet-stream";
}

std::string attachment(std::string_view fileName) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string plain;
  std::string encoded;
  bool ascii = true;
  for (const char c : fileName) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) continue;  // never let control characters reach a header
    if (u >= 0x80) ascii = false;
    plain.push_back(u >= 0x80 || c == '"' || c == '\\' ? '_' : c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      encoded.push_back(c);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[u >> 4]);
      encoded.push_back(kHex[u & 15]);
    }
  }
  std::string out = "attachment; filename=\"" + plain + "\"";
  if (!ascii) out += "; filename*=UTF-8''" + encoded;
  return out;
}

}  // namespace ocellus::api::http
