#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "base/Result.h"

namespace ocellus::proto::rtmp {

// AMF0 type markers (Action Message Format AMF0 specification, §2.1). MovieClip, Reference,
// Unsupported, RecordSet, XmlDocument, TypedObject and the AMF3 switch are not decoded:
// RTMP commands from encoders and players use none of them.
enum class Amf0Type : std::uint8_t {
  Number = 0x00,
  Boolean = 0x01,
  String = 0x02,
  Object = 0x03,
  Null = 0x05,
  Undefined = 0x06,
  EcmaArray = 0x08,
  ObjectEnd = 0x09,
  StrictArray = 0x0A,
  Date = 0x0B,
  LongString = 0x0C,
};

struct Amf0Property;

// One AMF0 value. Only the members of its type are meaningful: number (Number, Date's
// milliseconds), boolean, string (String, LongString), properties (Object, EcmaArray, in
// wire order), elements (StrictArray), timezone (Date, minutes, written as 0 by encoders).
struct Amf0Value {
  Amf0Type type = Amf0Type::Null;
  double number = 0;
  bool boolean = false;
  std::string string;
  std::vector<Amf0Property> properties;
  std::vector<Amf0Value> elements;
  std::int16_t timezone = 0;

  // Declared here, defined below once Amf0Property is complete (a vector of an incomplete
  // type may be a member, but not be destroyed or copied before the type completes).
  Amf0Value();
  ~Amf0Value();
  Amf0Value(const Amf0Value&);
  Amf0Value(Amf0Value&&) noexcept;
  Amf0Value& operator=(const Amf0Value&);
  Amf0Value& operator=(Amf0Value&&) noexcept;

  static Amf0Value makeNumber(double v);
  static Amf0Value makeBoolean(bool v);
  static Amf0Value makeString(std::string v);  // LongString when longer than 65535 bytes
  static Amf0Value makeNull();
  static Amf0Value makeUndefined();
  static Amf0Value makeObject(std::vector<Amf0Property> properties);
  static Amf0Value makeEcmaArray(std::vector<Amf0Property> properties);
  static Amf0Value makeStrictArray(std::vector<Amf0Value> elements);

  bool isString() const { return type == Amf0Type::String || type == Amf0Type::LongString; }
  bool isObjectLike() const { return type == Amf0Type::Object || type == Amf0Type::EcmaArray; }
  // The first property of an Object or ECMA array with that name.
  const Amf0Value* get(std::string_view name) const;
  std::optional<std::string_view> getString(std::string_view name) const;
  std::optional<double> getNumber(std::string_view name) const;

  bool operator==(const Amf0Value& other) const;
};

struct Amf0Property {
  std::string name;
  Amf0Value value;
  bool operator==(const Amf0Property& other) const = default;
};

inline Amf0Value::Amf0Value() = default;
inline Amf0Value::~Amf0Value() = default;
inline Amf0Value::Amf0Value(const Amf0Value&) = default;
inline Amf0Value::Amf0Value(Amf0Value&&) noexcept = default;
inline Amf0Value& Amf0Value::operator=(const Amf0Value&) = default;
inline Amf0Value& Amf0Value::operator=(Amf0Value&&) noexcept = default;

// AMF0 decoding and encoding. The decoder is bounded: nesting depth, string sizes and the
// number of members are limited by the constants below, every length is checked against the
// input, and a marker it does not take (or an ObjectEnd out of place) is an error naming it.
class Amf0 {
 public:
  static constexpr std::size_t kMaxDepth = 16;
  static constexpr std::size_t kMaxStringSize = 1024 * 1024;
  static constexpr std::size_t kMaxMembers = 4096;  // properties or elements of one value
  static constexpr std::size_t kMaxValues = 64;     // top-level values of one message

  // One value from the reader, advancing it.
  static base::Result<Amf0Value> decode(base::ByteReader& reader);
  // Every value of a command or data message body.
  static base::Result<std::vector<Amf0Value>> decodeAll(std::span<const std::uint8_t> body);

  static void encode(base::ByteWriter& writer, const Amf0Value& value);
  static void encodeNumber(base::ByteWriter& writer, double v);
  static void encodeBoolean(base::ByteWriter& writer, bool v);
  static void encodeString(base::ByteWriter& writer, std::string_view v);
  static void encodeNull(base::ByteWriter& writer);
  static std::vector<std::uint8_t> encodeAll(std::span<const Amf0Value> values);
};

}  // namespace ocellus::proto::rtmp
