// Walks arbitrary bytes as MP4 boxes, parses them as an init segment and as a fragment, and
// checks the round trips: a parsed init segment re-written parses to the same tracks, and a
// parsed fragment re-written parses to the same samples.
#include <algorithm>
#include <cstdlib>

#include "format/fmp4/Box.h"
#include "format/fmp4/Fragment.h"
#include "format/fmp4/InitSegment.h"

using namespace ocellus::format::fmp4;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  BoxReader reader(input);
  for (int i = 0; i < 1000; ++i) {
    auto box = reader.next();
    if (!box || !*box) break;
    if ((*box)->offset + (*box)->size > size || (*box)->payload.size() > (*box)->size) std::abort();
  }

  if (auto init = InitSegment::parse(input)) {
    if (init->tracks.empty()) std::abort();
    auto rewritten = InitSegment::write(init->tracks);
    if (rewritten) {
      auto again = InitSegment::parse(*rewritten);
      if (!again) std::abort();
      // Rates above 65535 Hz do not fit the AAC sample entry; everything else must survive.
      for (std::size_t t = 0; t < init->tracks.size(); ++t) {
        auto a = init->tracks[t];
        auto b = again->tracks.at(t);
        if (a.codec == ocellus::codec::CodecId::AAC && a.sampleRate > 0xffff) a.sampleRate = b.sampleRate;
        if (ocellus::codec::mediaKind(a.codec) != ocellus::codec::MediaKind::Video) a.width = a.height = 0;
        if (a.codec == ocellus::codec::CodecId::AAC) a.opusPreSkip = 0;
        if (ocellus::codec::mediaKind(a.codec) == ocellus::codec::MediaKind::Video) {
          a.channels = 0;
          a.sampleRate = 0;
          a.opusPreSkip = 0;
        }
        if (!(a == b)) std::abort();
      }
    }
  }

  if (auto fragment = Fragment::parse(input)) {
    if (fragment->size > size) std::abort();
    std::vector<std::vector<Sample>> samples;
    std::vector<TrackRun> runs;
    for (const auto& track : fragment->tracks) {
      auto& list = samples.emplace_back();
      for (const auto& s : track.samples) {
        if (s.data.data() < data || s.data.data() + s.data.size() > data + size) std::abort();
        list.push_back(Sample{s.data, s.duration, s.ctsOffset, s.keyframe()});
      }
    }
    for (std::size_t t = 0; t < fragment->tracks.size(); ++t) {
      runs.push_back(TrackRun{fragment->tracks[t].trackId, fragment->tracks[t].baseDecodeTime, samples[t]});
    }
    std::vector<std::uint8_t> out;
    if (Fragment::write(fragment->sequenceNumber, runs, out)) {
      auto again = Fragment::parse(out);
      if (!again || again->tracks.size() != fragment->tracks.size()) std::abort();
      for (std::size_t t = 0; t < runs.size(); ++t) {
        const auto& got = again->tracks[t].samples;
        if (got.size() != samples[t].size()) std::abort();
        for (std::size_t i = 0; i < got.size(); ++i) {
          if (got[i].duration != samples[t][i].duration || got[i].ctsOffset != samples[t][i].ctsOffset ||
              got[i].keyframe() != samples[t][i].keyframe || !std::ranges::equal(got[i].data, samples[t][i].data)) {
            std::abort();
          }
        }
      }
    }
  }
  return 0;
}
