#include "codec/klv/Misb0601.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace ocellus::codec::klv {
namespace {

constexpr std::uint32_t kChecksumTag = 1;
constexpr std::uint32_t kTimeStampTag = 2;
constexpr std::uint32_t kMissionIdTag = 3;
constexpr std::uint32_t kVersionTag = 65;
constexpr std::size_t kChecksumSize = 2;
constexpr std::size_t kTimeStampSize = 8;
constexpr std::size_t kKeyCompareSkip = 7;  // byte 8 of a UL is its version (ST 336 §5.1)

// An integer-mapped item (ST 0601 §6.2 "Tag ... Mapping"): unsigned values map 0..2^n-1 onto
// [min, max]; signed ones map ±(2^(n-1)-1) onto ±max, and -2^(n-1) means "out of range".
struct Mapping {
  std::uint32_t tag;
  std::optional<double> Misb0601::*field;
  std::size_t size;  // bytes
  bool isSigned;
  double min;
  double max;
};

constexpr std::array<Mapping, 15> kMappings = {{
    {5, &Misb0601::platformHeading, 2, false, 0, 360},
    {6, &Misb0601::platformPitch, 2, true, -20, 20},
    {7, &Misb0601::platformRoll, 2, true, -50, 50},
    {13, &Misb0601::sensorLatitude, 4, true, -90, 90},
    {14, &Misb0601::sensorLongitude, 4, true, -180, 180},
    {15, &Misb0601::sensorTrueAltitude, 2, false, -900, 19000},
    {16, &Misb0601::sensorHfov, 2, false, 0, 180},
    {17, &Misb0601::sensorVfov, 2, false, 0, 180},
    {18, &Misb0601::sensorRelativeAzimuth, 4, false, 0, 360},
    {19, &Misb0601::sensorRelativeElevation, 4, true, -180, 180},
    {20, &Misb0601::sensorRelativeRoll, 4, false, 0, 360},
    {21, &Misb0601::slantRange, 4, false, 0, 5000000},
    {23, &Misb0601::frameCenterLatitude, 4, true, -90, 90},
    {24, &Misb0601::frameCenterLongitude, 4, true, -180, 180},
    {25, &Misb0601::frameCenterElevation, 2, false, -900, 19000},
}};

base::Error error(base::ErrorCode code, std::string what) {
  return base::makeError(code, "misb 0601: " + what);
}

std::uint64_t readUnsigned(std::span<const std::uint8_t> bytes) {
  std::uint64_t v = 0;
  for (auto b : bytes) v = (v << 8) | b;
  return v;
}

// The largest raw value (unsigned) or the largest magnitude (signed) of an n-byte item.
double unsignedSpan(std::size_t size) { return std::ldexp(1.0, static_cast<int>(8 * size)) - 1; }
double signedSpan(std::size_t size) { return std::ldexp(1.0, static_cast<int>(8 * size)) - 2; }

double decodeValue(const Mapping& m, std::span<const std::uint8_t> bytes) {
  const std::uint64_t raw = readUnsigned(bytes);
  if (!m.isSigned) return static_cast<double>(raw) * (m.max - m.min) / unsignedSpan(m.size) + m.min;
  const std::uint64_t signBit = std::uint64_t{1} << (8 * m.size - 1);
  if (raw == signBit) return std::numeric_limits<double>::quiet_NaN();
  const auto value = static_cast<std::int64_t>(raw) - static_cast<std::int64_t>((raw & signBit) << 1);
  return static_cast<double>(value) * (m.max - m.min) / signedSpan(m.size);
}

std::uint64_t encodeValue(const Mapping& m, double value) {
  const std::uint64_t mask = m.size == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * m.size)) - 1;
  if (!m.isSigned) {
    if (std::isnan(value)) return 0;
    const double raw = std::round((value - m.min) * unsignedSpan(m.size) / (m.max - m.min));
    return static_cast<std::uint64_t>(std::clamp(raw, 0.0, unsignedSpan(m.size)));
  }
  const std::uint64_t signBit = std::uint64_t{1} << (8 * m.size - 1);
  if (std::isnan(value) || value < m.min || value > m.max) return signBit;
  const double limit = signedSpan(m.size) / 2;
  const double raw = std::clamp(std::round(value * signedSpan(m.size) / (m.max - m.min)), -limit, limit);
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(raw)) & mask;
}

void writeItem(std::uint32_t tag, std::span<const std::uint8_t> value, base::ByteWriter& w) {
  writeBerOid(tag, w);
  writeBerLength(value.size(), w);
  w.bytes(value);
}

void writeUnsignedItem(std::uint32_t tag, std::uint64_t value, std::size_t size, base::ByteWriter& w) {
  writeBerOid(tag, w);
  writeBerLength(size, w);
  for (std::size_t i = size; i-- > 0;) w.u8(static_cast<std::uint8_t>(value >> (8 * i)));
}

const Mapping* findMapping(std::uint32_t tag) {
  for (const auto& m : kMappings) {
    if (m.tag == tag) return &m;
  }
  return nullptr;
}

}  // namespace

bool Misb0601::isUasDatalinkKey(const UniversalLabel& key) {
  for (std::size_t i = 0; i < kKeySize; ++i) {
    if (i != kKeyCompareSkip && key[i] != kUasDatalinkKey[i]) return false;
  }
  return true;
}

std::uint16_t Misb0601::checksum(std::span<const std::uint8_t> bytes) {
  std::uint16_t sum = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    sum = static_cast<std::uint16_t>(sum + (i % 2 == 0 ? bytes[i] << 8 : bytes[i]));
  }
  return sum;
}

base::Result<Misb0601> Misb0601::decode(std::span<const std::uint8_t> packet) {
  base::ByteReader outer(packet);
  auto triplet = readTriplet(outer);
  if (!triplet) return triplet.error();
  if (!isUasDatalinkKey(triplet->key)) return error(base::ErrorCode::Unsupported, "not the UAS Datalink LS key");

  Misb0601 out;
  bool checksumSeen = false;
  std::size_t items = 0;
  base::ByteReader r(triplet->value);
  const std::size_t valueOffset = triplet->whole.size() - triplet->value.size();
  while (!r.empty()) {
    if (checksumSeen) return error(base::ErrorCode::Malformed, "items after the checksum");
    if (++items > kMaxItems) return error(base::ErrorCode::TooLarge, "more than kMaxItems items");
    auto tag = readBerOid(r);
    if (!tag) return tag.error();
    auto length = readBerLength(r);
    if (!length) return length.error();
    const std::size_t valueStart = valueOffset + r.position();
    const auto value = *length <= r.remaining() ? r.bytes(static_cast<std::size_t>(*length)) : std::nullopt;
    if (!value) return error(base::ErrorCode::Truncated, "tag " + std::to_string(*tag) + " runs past the set");
    const auto badLength = [&] {
      return error(base::ErrorCode::Malformed, "tag " + std::to_string(*tag) + " has length " +
                                                   std::to_string(value->size()));
    };
    if (*tag == kChecksumTag) {
      if (value->size() != kChecksumSize) return badLength();
      const std::uint16_t expected = checksum(packet.first(valueStart));
      if (readUnsigned(*value) != expected) return error(base::ErrorCode::Malformed, "checksum mismatch");
      checksumSeen = true;
    } else if (*tag == kTimeStampTag) {
      if (value->size() != kTimeStampSize) return badLength();
      out.precisionTimeStamp = readUnsigned(*value);
    } else if (*tag == kMissionIdTag) {
      if (value->empty() || value->size() > kMaxMissionIdSize) return badLength();
      out.missionId = std::string(base::asChars(*value));
    } else if (*tag == kVersionTag) {
      if (value->size() != 1) return badLength();
      out.version = (*value)[0];
    } else if (const Mapping* m = findMapping(*tag)) {
      if (value->size() != m->size) return badLength();
      out.*(m->field) = decodeValue(*m, *value);
    } else {
      if (value->size() > kMaxRawItemSize) return error(base::ErrorCode::TooLarge, "raw item over kMaxRawItemSize");
      out.unknown.push_back(RawItem{*tag, std::vector<std::uint8_t>(value->begin(), value->end())});
    }
  }
  if (!checksumSeen) return error(base::ErrorCode::Malformed, "no checksum (tag 1)");
  return out;
}

std::vector<std::uint8_t> Misb0601::encode() const {
  std::vector<std::uint8_t> items;
  base::ByteWriter w(items);
  if (precisionTimeStamp) writeUnsignedItem(kTimeStampTag, *precisionTimeStamp, kTimeStampSize, w);
  if (missionId && !missionId->empty()) {
    const std::size_t n = std::min(missionId->size(), kMaxMissionIdSize);
    writeItem(kMissionIdTag, base::asBytes(*missionId).first(n), w);
  }
  for (const auto& m : kMappings) {
    if (const auto& v = this->*(m.field)) writeUnsignedItem(m.tag, encodeValue(m, *v), m.size, w);
  }
  if (version) writeUnsignedItem(kVersionTag, *version, 1, w);
  for (const auto& raw : unknown) {
    if (raw.tag != kChecksumTag) writeItem(raw.tag, raw.value, w);
  }
  const std::size_t checksumItemSize = 2 + kChecksumSize;  // tag 01, length 02, value

  std::vector<std::uint8_t> packet;
  packet.reserve(kKeySize + 9 + items.size() + checksumItemSize);
  base::ByteWriter p(packet);
  p.bytes(kUasDatalinkKey);
  writeBerLength(items.size() + checksumItemSize, p);
  p.bytes(items);
  p.u8(kChecksumTag);
  p.u8(kChecksumSize);
  p.u16(checksum(packet));
  return packet;
}

}  // namespace ocellus::codec::klv
