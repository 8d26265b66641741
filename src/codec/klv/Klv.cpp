#include "codec/klv/Klv.h"

#include <algorithm>
#include <string>

namespace ocellus::codec::klv {
namespace {

base::Error error(base::ErrorCode code, const char* what) {
  return base::makeError(code, std::string("klv: ") + what);
}

}  // namespace

base::Result<std::uint64_t> readBerLength(base::ByteReader& r) {
  base::ByteReader probe = r;
  const auto first = probe.u8();
  if (!first) return error(base::ErrorCode::Truncated, "ends before the BER length");
  if (*first < 0x80) {
    r = probe;
    return std::uint64_t{*first};
  }
  const std::size_t n = *first & 0x7fu;
  if (n == 0) return error(base::ErrorCode::Unsupported, "indefinite BER length");
  if (n > kMaxBerLengthBytes) return error(base::ErrorCode::TooLarge, "BER length of more than 8 bytes");
  std::uint64_t length = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = probe.u8();
    if (!b) return error(base::ErrorCode::Truncated, "ends inside the BER length");
    length = (length << 8) | *b;
  }
  r = probe;
  return length;
}

void writeBerLength(std::uint64_t length, base::ByteWriter& w) {
  if (length < 0x80) {
    w.u8(static_cast<std::uint8_t>(length));
    return;
  }
  std::size_t n = 1;
  while (n < kMaxBerLengthBytes && (length >> (8 * n)) != 0) ++n;
  w.u8(static_cast<std::uint8_t>(0x80 | n));
  for (std::size_t i = n; i-- > 0;) w.u8(static_cast<std::uint8_t>(length >> (8 * i)));
}

base::Result<std::uint32_t> readBerOid(base::ByteReader& r) {
  base::ByteReader probe = r;
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < kMaxBerOidBytes; ++i) {
    const auto b = probe.u8();
    if (!b) return error(base::ErrorCode::Truncated, "ends inside a BER-OID tag");
    value = (value << 7) | (*b & 0x7fu);
    if ((*b & 0x80) == 0) {
      r = probe;
      return value;
    }
  }
  return error(base::ErrorCode::TooLarge, "BER-OID tag of more than 4 bytes");
}

void writeBerOid(std::uint32_t value, base::ByteWriter& w) {
  value &= (1u << (7 * kMaxBerOidBytes)) - 1;
  std::size_t n = 1;
  while (n < kMaxBerOidBytes && (value >> (7 * n)) != 0) ++n;
  for (std::size_t i = n; i-- > 0;) {
    const auto group = static_cast<std::uint8_t>((value >> (7 * i)) & 0x7f);
    w.u8(i == 0 ? group : static_cast<std::uint8_t>(group | 0x80));
  }
}

base::Result<Triplet> readTriplet(base::ByteReader& r) {
  const std::span<const std::uint8_t> start = base::ByteReader(r).rest();  // rest() consumes
  base::ByteReader probe = r;
  const auto key = probe.bytes(kKeySize);
  if (!key) return error(base::ErrorCode::Truncated, "ends inside the 16-byte key");
  auto length = readBerLength(probe);
  if (!length) return length.error();
  if (*length > kMaxValueSize) return error(base::ErrorCode::TooLarge, "value longer than kMaxValueSize");
  const auto value = probe.bytes(static_cast<std::size_t>(*length));
  if (!value) return error(base::ErrorCode::Truncated, "value runs past the buffer");
  Triplet t;
  std::copy(key->begin(), key->end(), t.key.begin());
  t.value = *value;
  t.whole = start.first(probe.position() - r.position());
  r = probe;
  return t;
}

void writeTriplet(const UniversalLabel& key, std::span<const std::uint8_t> value, base::ByteWriter& w) {
  w.bytes(key);
  writeBerLength(value.size(), w);
  w.bytes(value);
}

base::Result<Triplet> KlvReader::next() {
  if (failed_) return error(base::ErrorCode::InvalidState, "reader failed before");
  auto t = readTriplet(reader_);
  if (!t) failed_ = true;
  return t;
}

}  // namespace ocellus::codec::klv
