#pragma once

#include <string>
#include <vector>

#include "media/StreamRegistry.h"

namespace ocellus::api::system {

// A point-in-time value the caller measures (sessions per protocol, store latency, …).
struct Gauge {
  std::string name;    // ocellus_…, Prometheus metric name rules
  std::string help;
  std::string labels;  // preformatted `key="value",…`, or empty
  double value = 0;
};

// The /metrics page in the Prometheus text exposition format 0.0.4: every base::Metrics
// counter and histogram (latencies in seconds), per-stream figures from the registry, and
// the caller's gauges. Names of one family are grouped under one HELP/TYPE pair.
std::string prometheusText(const media::StreamRegistry& registry, const std::vector<Gauge>& gauges);

// Label value escaping of the exposition format (\\, \", \n).
std::string escapeLabel(const std::string& value);

}  // namespace ocellus::api::system
