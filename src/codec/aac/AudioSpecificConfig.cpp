#include "codec/aac/AudioSpecificConfig.h"

#include <algorithm>
#include <array>

#include "base/BitReader.h"

namespace ocellus::codec::aac {
namespace {

// samplingFrequencyIndex values 0..12 (ISO/IEC 14496-3 Table 1.18); 13 and 14 are reserved.
constexpr std::array<std::uint32_t, 13> kSampleRates = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                                        22050, 16000, 12000, 11025, 8000,  7350};
constexpr std::uint32_t kExplicitRate = 15;
constexpr std::uint32_t kObjectTypeEscape = 31;  // GetAudioObjectType(): 32 + 6 more bits follow
constexpr std::size_t kMaxHexSize = 128;         // a config this long is not an AAC config

// Appends bits MSB first to a byte vector, leaving the unused bits of the last byte zero.
class BitWriter {
 public:
  explicit BitWriter(std::vector<std::uint8_t>& out) : out_(out) {}
  void bits(std::uint32_t value, unsigned n) {
    for (unsigned i = n; i-- > 0;) {
      if (used_ % 8 == 0) out_.push_back(0);
      if ((value >> i) & 1u) out_.back() |= static_cast<std::uint8_t>(0x80u >> (used_ % 8));
      ++used_;
    }
  }

 private:
  std::vector<std::uint8_t>& out_;
  std::size_t used_ = 0;
};

base::Error error(base::ErrorCode code, const char* what) {
  return base::makeError(code, std::string("aac config: ") + what);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

base::Result<AudioSpecificConfig> AudioSpecificConfig::parse(std::span<const std::uint8_t> data) {
  base::BitReader r(data);
  auto objectType = r.bits(5);
  if (objectType == kObjectTypeEscape) {
    auto extended = r.bits(6);
    objectType = extended ? std::optional<std::uint32_t>(32 + *extended) : std::nullopt;
  }
  auto index = r.bits(4);
  auto rate = index == kExplicitRate ? r.bits(24) : std::nullopt;
  auto channels = r.bits(4);
  if (!objectType || !index || !channels || (index == kExplicitRate && !rate)) {
    return error(base::ErrorCode::Truncated, "ends inside the fields");
  }
  if (*objectType == 0) return error(base::ErrorCode::Malformed, "audioObjectType 0");
  if (*index != kExplicitRate) {
    if (*index >= kSampleRates.size())
      return error(base::ErrorCode::Malformed, "reserved samplingFrequencyIndex");
    rate = kSampleRates[*index];
  }
  if (*rate == 0) return error(base::ErrorCode::Malformed, "sampling frequency 0");
  AudioSpecificConfig config;
  config.objectType = static_cast<std::uint8_t>(*objectType);
  config.sampleRate = *rate;
  config.channelConfig = static_cast<std::uint8_t>(*channels);
  return config;
}

base::Result<AudioSpecificConfig> AudioSpecificConfig::parseHex(std::string_view hex) {
  if (hex.size() % 2 != 0 || hex.size() > kMaxHexSize)
    return error(base::ErrorCode::Malformed, "bad hex length");
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hexValue(hex[i]);
    const int lo = hexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return error(base::ErrorCode::Malformed, "not hex");
    bytes.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return parse(bytes);
}

std::vector<std::uint8_t> AudioSpecificConfig::serialize() const {
  std::vector<std::uint8_t> out;
  BitWriter w(out);
  if (objectType >= 32) {
    w.bits(kObjectTypeEscape, 5);
    w.bits(objectType - 32u, 6);
  } else {
    w.bits(objectType, 5);
  }
  const auto* it = std::find(kSampleRates.begin(), kSampleRates.end(), sampleRate);
  if (it != kSampleRates.end()) {
    w.bits(static_cast<std::uint32_t>(it - kSampleRates.begin()), 4);
  } else {
    w.bits(kExplicitRate, 4);
    w.bits(sampleRate, 24);
  }
  w.bits(channelConfig, 4);
  return out;
}

std::string AudioSpecificConfig::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : serialize()) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

}  // namespace ocellus::codec::aac
