#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/Result.h"
#include "codec/klv/Klv.h"

namespace ocellus::codec::klv {

// The MISB ST 0601 UAS Datalink Local Set: one KLV packet whose key is kUasDatalinkKey and
// whose value is a list of local-set items, each a BER-OID tag, a BER length and a value:
//
//   06 0E 2B 34 02 0B 01 01 0E 01 03 01 01 00 00 00 | BER length | tag len value ... | 01 02 cs cs
//
// The last item is the checksum (tag 1): the 16-bit running sum of every byte of the packet
// from the first key byte through the checksum's own tag and length, bytes at even offsets
// weighted 256 (ST 0601 §6.5). decode() checks it, then maps the integers of the tags below
// to engineering units as ST 0601 defines them (value = raw × range / (2^n − 1 or 2^n − 2)
// + offset). Signed angles whose raw value is the "out of range" sentinel (0x8000, 0x80000000)
// decode to NaN, and NaN encodes back to the sentinel. Tags not modelled here are kept as raw
// (tag, bytes) items, in order, and encode() writes them back. encode() writes the known tags
// in ascending order with 2 (time stamp) first, then the raw ones, then the checksum.
struct Misb0601 {
  // A local-set item this struct does not interpret.
  struct RawItem {
    std::uint32_t tag = 0;
    std::vector<std::uint8_t> value;
    bool operator==(const RawItem&) const = default;
  };

  static constexpr std::size_t kMaxMissionIdSize = 127;  // tag 3: 1..127 ISO 646 characters
  static constexpr std::size_t kMaxItems = 256;          // far above the ~140 tags ST 0601 defines
  static constexpr std::size_t kMaxRawItemSize = 4096;

  std::optional<std::uint64_t> precisionTimeStamp;  // 2: microseconds since 1970-01-01 UTC
  std::optional<std::string> missionId;             // 3
  std::optional<double> platformHeading;            // 5: degrees, 0..360
  std::optional<double> platformPitch;              // 6: degrees, ±20
  std::optional<double> platformRoll;               // 7: degrees, ±50
  std::optional<double> sensorLatitude;             // 13: degrees, ±90
  std::optional<double> sensorLongitude;            // 14: degrees, ±180
  std::optional<double> sensorTrueAltitude;         // 15: metres, -900..19000
  std::optional<double> sensorHfov;                 // 16: degrees, 0..180
  std::optional<double> sensorVfov;                 // 17: degrees, 0..180
  std::optional<double> sensorRelativeAzimuth;      // 18: degrees, 0..360
  std::optional<double> sensorRelativeElevation;    // 19: degrees, ±180
  std::optional<double> sensorRelativeRoll;         // 20: degrees, 0..360
  std::optional<double> slantRange;                 // 21: metres, 0..5,000,000
  std::optional<double> frameCenterLatitude;        // 23: degrees, ±90
  std::optional<double> frameCenterLongitude;       // 24: degrees, ±180
  std::optional<double> frameCenterElevation;       // 25: metres, -900..19000
  std::optional<std::uint8_t> version;              // 65: UAS LS version number
  std::vector<RawItem> unknown;

  // True when `key` is the UAS Datalink Local Set's Universal Label. The version byte (8th)
  // is not compared, as ST 0601 advises receivers.
  static bool isUasDatalinkKey(const UniversalLabel& key);

  // Decodes a whole KLV packet (key, length, value); bytes after it are ignored.
  static base::Result<Misb0601> decode(std::span<const std::uint8_t> packet);

  // A complete KLV packet with its checksum. Values are rounded to the nearest integer step
  // and clamped to their range; for the signed angles a value out of range becomes the sentinel.
  std::vector<std::uint8_t> encode() const;

  // The checksum of `packet` up to, not including, the two checksum bytes at its end.
  static std::uint16_t checksum(std::span<const std::uint8_t> bytesBeforeChecksumValue);
};

inline constexpr UniversalLabel kUasDatalinkKey = {0x06, 0x0E, 0x2B, 0x34, 0x02, 0x0B, 0x01, 0x01,
                                                   0x0E, 0x01, 0x03, 0x01, 0x01, 0x00, 0x00, 0x00};

}  // namespace ocellus::codec::klv
