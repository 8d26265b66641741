// Latency samples and their nearest-rank percentiles, for the api_load report.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ocellus::bench::api {

struct Summary {
  std::size_t count = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0;  // milliseconds
};

class Samples {
 public:
  void add(double ms) { values_.push_back(static_cast<float>(ms)); }
  std::size_t size() const { return values_.size(); }
  Summary summarize() const;

 private:
  std::vector<float> values_;
};

// JSON fragments for the report line: {"count":N,"p50":…,"p95":…,"p99":…,"max":…} with three
// decimals, a quoted string, and {"reason":count,…}.
std::string toJson(const Summary& s);
std::string jsonString(std::string_view s);
std::string toJson(const std::map<std::string, int>& counts);

}  // namespace ocellus::bench::api
