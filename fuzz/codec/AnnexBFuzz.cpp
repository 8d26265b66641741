// Splits arbitrary bytes as an Annex-B stream; the canonical form must iterate to the same NAL
// units, each non-empty, without a trailing zero byte, inside the input.
#include <algorithm>
#include <cstdlib>

#include "codec/AnnexB.h"
#include "codec/NalUnits.h"

using namespace ocellus::codec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  const auto nals = splitAnnexB(input);
  std::vector<std::uint8_t> canonical;
  annexBToCanonical(input, canonical);
  const NalUnits units(canonical);
  if (!units.valid()) std::abort();
  std::size_t i = 0;
  for (auto nal : units) {
    if (i >= nals.size() || !std::ranges::equal(nal, nals[i])) std::abort();
    if (nal.empty() || nal.back() == 0) std::abort();
    if (nals[i].data() < data || nals[i].data() + nals[i].size() > data + size) std::abort();
    ++i;
  }
  if (i != nals.size()) std::abort();
  // The input read as canonical form must stop cleanly wherever its lengths go wrong.
  for (auto nal : NalUnits(input)) {
    if (nal.empty() || nal.data() + nal.size() > data + size) std::abort();
  }
  return 0;
}
