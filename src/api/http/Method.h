#pragma once

#include <string_view>

namespace ocellus::api::http {

// The request methods the control plane routes (RFC 9110 §9). Anything else parses as Other:
// it never matches a route, so the server answers 405 (path known) or 404.
enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Other };

// "GET", "HEAD", …; "OTHER" for Other.
std::string_view methodName(Method method);
// Exact, case-sensitive (method names are case-sensitive, RFC 9110 §9.1).
Method parseMethod(std::string_view name);

}  // namespace ocellus::api::http
