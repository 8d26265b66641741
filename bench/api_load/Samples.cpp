#include "Samples.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ocellus::bench::api {

Summary Samples::summarize() const {
  Summary s;
  s.count = values_.size();
  if (values_.empty()) return s;
  std::vector<float> v = values_;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {  // nearest rank
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
    return static_cast<double>(v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)]);
  };
  s.p50 = at(0.50);
  s.p95 = at(0.95);
  s.p99 = at(0.99);
  s.max = static_cast<double>(v.back());
  return s;
}

std::string toJson(const Summary& s) {
  char buf[192];
  std::snprintf(buf, sizeof buf, "{\"count\":%zu,\"p50\":%.3f,\"p95\":%.3f,\"p99\":%.3f,\"max\":%.3f}", s.count, s.p50,
                s.p95, s.p99, s.max);
  return buf;
}

std::string jsonString(std::string_view s) {
  std::string r = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') r += '\\';
    if (static_cast<unsigned char>(ch) >= 0x20) r += ch;
  }
  return r + "\"";
}

std::string toJson(const std::map<std::string, int>& counts) {
  std::string r = "{";
  for (const auto& [reason, count] : counts) {
    if (r.size() > 1) r += ',';
    r += jsonString(reason) + ":" + std::to_string(count);
  }
  return r + "}";
}

}  // namespace ocellus::bench::api
