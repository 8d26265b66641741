#include "base/Metrics.h"

namespace ocellus::base {

Metrics& Metrics::global() {
  static Metrics metrics;
  return metrics;
}

Counter& Metrics::counter(const std::string& name, const std::string& help) {
  std::lock_guard lock(mutex_);
  auto& entry = counters_[name];
  if (entry.help.empty()) entry.help = help;
  return entry.counter;
}

void Metrics::forEach(const std::function<void(const std::string&, const std::string&, std::uint64_t)>& fn) const {
  std::lock_guard lock(mutex_);
  for (const auto& [name, entry] : counters_) fn(name, entry.help, entry.counter.value());
}

Histogram& Metrics::histogram(const std::string& name, const std::string& help) {
  std::lock_guard lock(mutex_);
  auto& entry = histograms_[name];
  if (entry.help.empty()) entry.help = help;
  return entry.histogram;
}

void Metrics::forEachHistogram(const std::function<void(const std::string&, const std::string&, const Histogram&)>& fn) const {
  std::lock_guard lock(mutex_);
  for (const auto& [name, entry] : histograms_) fn(name, entry.help, entry.histogram);
}

}  // namespace ocellus::base
