#include "api/system/Prometheus.h"

#include <fmt/format.h>

#include <map>

#include "base/Metrics.h"

namespace ocellus::api::system {

namespace {

// Bucket bounds for latency histograms, in microseconds (exported in seconds).
constexpr std::uint64_t kBoundsMicros[] = {100, 250, 500, 1000, 2500, 5000, 10000, 20000, 50000, 100000, 250000,
                                           500000, 1000000, 2500000, 5000000, 10000000};

void family(std::string& out, const std::string& name, const std::string& help, const char* type) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help.empty() ? name : help, name, type);
}

std::string number(double v) { return fmt::format("{}", v); }

}  // namespace

std::string escapeLabel(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string prometheusText(const media::StreamRegistry& registry, const std::vector<Gauge>& gauges) {
  std::string out;
  out.reserve(16 * 1024);
  auto& metrics = base::Metrics::global();
  metrics.forEach([&](const std::string& name, const std::string& help, std::uint64_t value) {
    family(out, name, help, "counter");
    fmt::format_to(std::back_inserter(out), "{} {}\n", name, value);
  });
  metrics.forEachHistogram([&](const std::string& name, const std::string& help, const base::Histogram& h) {
    family(out, name, help, "histogram");
    for (auto bound : kBoundsMicros) {
      fmt::format_to(std::back_inserter(out), "{}_bucket{{le=\"{}\"}} {}\n", name,
                     number(static_cast<double>(bound) / 1e6), h.countAtOrBelow(bound));
    }
    const auto count = h.count();
    fmt::format_to(std::back_inserter(out), "{}_bucket{{le=\"+Inf\"}} {}\n{}_sum {}\n{}_count {}\n", name, count, name,
                   number(static_cast<double>(h.sumMicros()) / 1e6), name, count);
  });

  const auto streams = registry.list();
  family(out, "ocellus_streams", "Streams with a publisher", "gauge");
  fmt::format_to(std::back_inserter(out), "ocellus_streams {}\n", streams.size());
  struct Column {
    const char* name;
    const char* help;
    const char* type;
  };
  static constexpr Column columns[] = {
      {"ocellus_stream_readers", "Readers of a stream", "gauge"},
      {"ocellus_stream_received_bytes_total", "Media bytes a stream received from its publisher", "counter"},
      {"ocellus_stream_sent_bytes_total", "Media bytes a stream handed to its readers", "counter"},
      {"ocellus_stream_dropped_units_total", "Units readers of a stream skipped because they were too slow", "counter"},
      {"ocellus_stream_fps", "Video frames per second over the last second", "gauge"},
      {"ocellus_stream_bitrate_kbps", "Received bitrate over the last second", "gauge"},
      {"ocellus_stream_uptime_seconds", "Time since the stream's publisher started", "gauge"},
  };
  std::vector<std::pair<std::string, media::StreamStats>> stats;
  for (const auto& s : streams) stats.emplace_back(escapeLabel(s->path()), s->stats());
  for (std::size_t c = 0; c < std::size(columns); ++c) {
    if (stats.empty()) break;
    family(out, columns[c].name, columns[c].help, columns[c].type);
    for (const auto& [path, st] : stats) {
      const double values[] = {static_cast<double>(st.readers), static_cast<double>(st.bytesIn),
                               static_cast<double>(st.bytesOut), static_cast<double>(st.droppedUnits),
                               st.fps, st.bitrateKbps, st.uptimeSeconds};
      fmt::format_to(std::back_inserter(out), "{}{{path=\"{}\"}} {}\n", columns[c].name, path, number(values[c]));
    }
  }

  std::map<std::string, std::vector<const Gauge*>> byName;
  for (const auto& g : gauges) byName[g.name].push_back(&g);
  for (const auto& [name, list] : byName) {
    family(out, name, list.front()->help, "gauge");
    for (const auto* g : list) {
      if (g->labels.empty()) fmt::format_to(std::back_inserter(out), "{} {}\n", name, number(g->value));
      else fmt::format_to(std::back_inserter(out), "{}{{{}}} {}\n", name, g->labels, number(g->value));
    }
  }
  return out;
}

}  // namespace ocellus::api::system
