#include "codec/av1/SequenceHeader.h"

#include <fmt/format.h>

#include "codec/SyntaxReader.h"

namespace ocellus::codec::av1 {
namespace {

constexpr std::uint8_t kMaxProfile = 2;
constexpr std::uint8_t kLevelWithTier = 7;  // levels above 3.3 (index 7) say their tier
constexpr std::uint32_t kMaxUvlcZeros = 32;
// color_config() (§5.5.2): the colour description that means sRGB, coded 4:4:4.
constexpr std::uint32_t kPrimariesBt709 = 1;
constexpr std::uint32_t kTransferSrgb = 13;
constexpr std::uint32_t kMatrixIdentity = 0;

// uvlc() (§4.10.3): leading zeros, a one, then that many bits.
void skipUvlc(SyntaxReader& r) {
  std::uint32_t zeros = 0;
  while (!r.failed() && !r.flag()) {
    if (++zeros == kMaxUvlcZeros) return;  // the value is 2^32 - 1 and no bits follow
  }
  r.skip(zeros);
}

}  // namespace

base::Result<SequenceHeader> SequenceHeader::parse(std::span<const std::uint8_t> payload) {
  SyntaxReader r(payload);
  SequenceHeader h;
  h.profile = static_cast<std::uint8_t>(r.u(3));
  r.skip(1);  // still_picture
  const bool reduced = r.flag();
  if (reduced) {
    h.levelIdx0 = static_cast<std::uint8_t>(r.u(5));
  } else {
    bool decoderModelInfo = false;
    std::uint32_t bufferDelayLength = 0;
    if (r.flag()) {  // timing_info_present_flag: timing_info()
      r.skip(64);    // num_units_in_display_tick, time_scale
      if (r.flag()) skipUvlc(r);  // equal_picture_interval: num_ticks_per_picture_minus_1
      decoderModelInfo = r.flag();
      if (decoderModelInfo) {  // decoder_model_info()
        bufferDelayLength = r.u(5) + 1;
        r.skip(32 + 5 + 5);  // num_units_in_decoding_tick, two more lengths
      }
    }
    const bool initialDisplayDelay = r.flag();
    const std::uint32_t operatingPoints = r.u(5) + 1;
    for (std::uint32_t i = 0; i < operatingPoints && !r.failed(); ++i) {
      r.skip(12);  // operating_point_idc
      const auto level = static_cast<std::uint8_t>(r.u(5));
      const auto tier = static_cast<std::uint8_t>(level > kLevelWithTier ? r.u(1) : 0);
      if (i == 0) {
        h.levelIdx0 = level;
        h.tier0 = tier;
      }
      if (decoderModelInfo && r.flag()) r.skip(2 * bufferDelayLength + 1);  // operating_parameters_info()
      if (initialDisplayDelay && r.flag()) r.skip(4);                        // initial_display_delay_minus_1
    }
  }
  const unsigned widthBits = r.u(4) + 1;
  const unsigned heightBits = r.u(4) + 1;
  h.maxWidth = r.u(widthBits) + 1;
  h.maxHeight = r.u(heightBits) + 1;
  if (!reduced && r.flag()) r.skip(4 + 3);  // frame_id_numbers_present_flag: two lengths
  r.skip(3);  // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
  if (!reduced) {
    r.skip(4);  // enable_interintra_compound, _masked_compound, _warped_motion, _dual_filter
    const bool orderHint = r.flag();
    if (orderHint) r.skip(2);  // enable_jnt_comp, enable_ref_frame_mvs
    const bool forceScreenContentTools = r.flag() || r.flag();  // seq_choose_… or seq_force_…
    if (forceScreenContentTools && !r.flag()) r.skip(1);         // seq_choose_integer_mv, seq_force_integer_mv
    if (orderHint) r.skip(3);                                    // order_hint_bits_minus_1
  }
  r.skip(3);  // enable_superres, enable_cdef, enable_restoration
  // color_config() (§5.5.2)
  h.highBitdepth = r.flag();
  if (h.profile == 2 && h.highBitdepth) h.twelveBit = r.flag();
  h.monochrome = h.profile != 1 && r.flag();
  std::uint32_t primaries = 2, transfer = 2, matrix = 2;  // unspecified
  if (r.flag()) {
    primaries = r.u(8);
    transfer = r.u(8);
    matrix = r.u(8);
  }
  if (h.monochrome) {
    r.skip(1);  // color_range
  } else if (primaries == kPrimariesBt709 && transfer == kTransferSrgb && matrix == kMatrixIdentity) {
    h.subsamplingX = h.subsamplingY = false;
  } else {
    r.skip(1);  // color_range
    if (h.profile == 1) {
      h.subsamplingX = h.subsamplingY = false;
    } else if (h.profile == 2) {
      h.subsamplingX = !h.twelveBit || r.flag();
      h.subsamplingY = h.twelveBit && h.subsamplingX && r.flag();
    }
    if (h.subsamplingX && h.subsamplingY) h.chromaSamplePosition = static_cast<std::uint8_t>(r.u(2));
  }
  if (h.profile > kMaxProfile) {
    return base::makeError(base::ErrorCode::Unsupported, fmt::format("AV1 sequence header: reserved seq_profile {}", h.profile));
  }
  if (r.failed()) return base::makeError(base::ErrorCode::Truncated, "AV1 sequence header ends before its colour config");
  return h;
}

std::optional<Obu> findSequenceHeader(std::span<const std::uint8_t> unit) {
  std::optional<Obu> found;
  const bool valid = forEachObu(unit, [&found](const Obu& obu) {
    if (obu.type == ObuType::SequenceHeader && !found) found = obu;
  });
  return valid ? found : std::nullopt;
}

}  // namespace ocellus::codec::av1
