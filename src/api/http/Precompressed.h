#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "api/http/HttpResponse.h"
#include "embedded/EmbeddedFile.h"

namespace ocellus::api::http {

// Whether an Accept-Encoding field value (RFC 9110 §12.5.3) lets a response use `coding`
// ("gzip"): the coding is listed with a weight above zero, or it is not listed and "*" is.
// "x-gzip" counts as "gzip" (§8.4.1.3). No field at all accepts no coding here: §12.5.3 would
// allow any, but tools that say nothing (curl, scripts) expect the bytes as they are.
bool acceptsEncoding(std::optional<std::string_view> acceptEncoding, std::string_view coding);

// 200 with the file `name` of an embedded folder in which compressible files have a gzip copy
// "<name>.gz" beside them (cmake/Precompress.cmake): the copy, with Content-Encoding: gzip,
// when `acceptEncoding` allows gzip and there is one, else the file itself. Content-Type is the
// file's, and Vary: Accept-Encoding is always set so that a cache never hands the gzip bytes
// to a client that did not ask for them. nullopt when there is no such file, or `name` names a
// ".gz" copy itself. The body is a copy; `files` is only read during the call.
std::optional<HttpResponse> precompressedFile(std::span<const embedded::EmbeddedFile> files, std::string_view name,
                                              std::optional<std::string_view> acceptEncoding,
                                              std::string_view cacheControl);

}  // namespace ocellus::api::http
