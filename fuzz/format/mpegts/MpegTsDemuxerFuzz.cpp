// Feeds arbitrary bytes to the demuxer in chunks whose sizes come from the input; every unit
// must be inside the bounds it claims and canonical video must iterate cleanly. Then the units
// are muxed again and demuxed: the second pass must give the same units (demux(mux(x)) == x).
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "codec/NalUnits.h"
#include "format/mpegts/Demuxer.h"
#include "format/mpegts/Muxer.h"

using namespace ocellus::format::mpegts;

namespace {

struct Owned {
  Unit unit;
  std::vector<std::uint8_t> data;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t chunk = 1 + data[0] * 7;
  const std::span<const std::uint8_t> input(data + 1, size - 1);

  std::vector<Track> tracks;
  std::vector<Owned> units;
  Demuxer d({[&](const Track& t) { tracks.push_back(t); },
             [&](const Unit& u) {
               if (u.data.size() > Demuxer::kMaxPesSize) std::abort();
               if ((u.codec == Codec::H264 || u.codec == Codec::H265) && !ocellus::codec::NalUnits(u.data).valid())
                 std::abort();
               units.push_back({u, {u.data.begin(), u.data.end()}});
             }});
  for (std::size_t off = 0; off < input.size(); off += chunk) {
    d.feed(input.subspan(off, std::min(chunk, input.size() - off)));
  }
  d.flush();
  (void)d.tracks();
  (void)d.lastPcr();

  // Re-mux what came out, on the tracks as they were last described.
  std::vector<std::uint8_t> ts;
  Muxer m({}, [&](std::span<const std::uint8_t> b) { ts.insert(ts.end(), b.begin(), b.end()); });
  std::vector<std::pair<std::uint16_t, std::uint16_t>> pids;  // demuxed pid -> muxed pid
  for (const auto& t : d.tracks()) {
    if (t.codec == Codec::Aac && !t.aacConfig) continue;
    if (t.synchronousKlv) continue;  // re-muxed as asynchronous KLV: not comparable
    auto pid = m.addTrack(t);
    if (pid) pids.emplace_back(t.pid, *pid);
  }
  std::vector<Owned> written;
  for (auto& o : units) {
    auto it = std::find_if(pids.begin(), pids.end(), [&](const auto& p) { return p.first == o.unit.pid; });
    if (it == pids.end() || o.unit.codec == Codec::Aac) continue;  // AAC configs may change midway
    if (!o.unit.hasPts) continue;
    Unit u = o.unit;
    u.pid = it->second;
    u.data = o.data;
    if (m.write(u).ok()) written.push_back({u, o.data});
  }
  m.flush();
  std::vector<Owned> again;
  Demuxer d2({nullptr, [&](const Unit& u) { again.push_back({u, {u.data.begin(), u.data.end()}}); }});
  d2.feed(ts);
  d2.flush();
  if (d2.counters().continuityErrors != 0 || d2.counters().badCrc != 0) std::abort();
  // Every unit written comes back once, in order, with its bytes (video keyframes may have
  // gained parameter sets, so only their count is compared).
  if (again.size() != written.size()) std::abort();
  for (std::size_t i = 0; i < again.size(); ++i) {
    if (again[i].unit.pid != written[i].unit.pid) std::abort();
    const bool mayGrow = written[i].unit.keyframe && written[i].unit.codec != Codec::Klv;
    if (!mayGrow && again[i].data != written[i].data) std::abort();
  }
  return 0;
}
