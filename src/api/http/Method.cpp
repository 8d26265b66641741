#include "api/http/Method.h"

#include <array>
#include <utility>

namespace ocellus::api::http {

namespace {

constexpr std::array<std::pair<Method, std::string_view>, 7> kNames{{
    {Method::Get, "GET"},
    {Method::Head, "HEAD"},
    {Method::Post, "POST"},
    {Method::Put, "PUT"},
    {Method::Patch, "PATCH"},
    {Method::Delete, "DELETE"},
    {Method::Options, "OPTIONS"},
}};

}  // namespace

std::string_view methodName(Method method) {
  for (const auto& [m, name] : kNames) {
    if (m == method) return name;
  }
  return "OTHER";
}

Method parseMethod(std::string_view name) {
  for (const auto& [m, n] : kNames) {
    if (n == name) return m;
  }
  return Method::Other;
}

}  // namespace ocellus::api::http
