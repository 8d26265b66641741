#include "proto/rtmp/Amf0.h"

#include <bit>
#include <cstring>

namespace ocellus::proto::rtmp {
namespace {

constexpr std::size_t kShortStringMax = 0xFFFF;

base::Error truncated(const char* what) {
  return base::makeError(base::ErrorCode::Truncated, std::string("amf0: ") + what + " runs past the end");
}
base::Error tooLarge(const char* what) {
  return base::makeError(base::ErrorCode::TooLarge, std::string("amf0: ") + what);
}

base::Result<std::string> readString(base::ByteReader& r, bool longForm, const char* what) {
  std::size_t size = 0;
  if (longForm) {
    const auto n = r.u32();
    if (!n) return truncated(what);
    size = *n;
  } else {
    const auto n = r.u16();
    if (!n) return truncated(what);
    size = *n;
  }
  if (size > Amf0::kMaxStringSize) return tooLarge("a string longer than kMaxStringSize");
  const auto bytes = r.bytes(size);
  if (!bytes) return truncated(what);
  return std::string(base::asChars(*bytes));
}

base::Result<Amf0Value> decodeAt(base::ByteReader& r, std::size_t depth);

// Properties up to the empty-name ObjectEnd marker (§2.5, §2.10).
base::Status readProperties(base::ByteReader& r, std::size_t depth, std::vector<Amf0Property>& out) {
  while (true) {
    auto name = readString(r, false, "a property name");
    if (!name) return name.error();
    if (name->empty()) {
      const auto marker = r.peek();
      if (!marker) return truncated("an object without its end marker");
      if (*marker == static_cast<std::uint8_t>(Amf0Type::ObjectEnd)) {
        r.skip(1);
        return {};
      }
    }
    if (out.size() == Amf0::kMaxMembers) return tooLarge("an object with more than kMaxMembers properties");
    auto value = decodeAt(r, depth + 1);
    if (!value) return value.error();
    out.push_back(Amf0Property{std::move(*name), std::move(*value)});
  }
}

base::Result<Amf0Value> decodeAt(base::ByteReader& r, std::size_t depth) {
  if (depth > Amf0::kMaxDepth) return tooLarge("values nested deeper than kMaxDepth");
  const auto marker = r.u8();
  if (!marker) return truncated("a type marker");
  Amf0Value v;
  v.type = static_cast<Amf0Type>(*marker);
  switch (v.type) {
    case Amf0Type::Number:
    case Amf0Type::Date: {
      const auto bits = r.u64();
      if (!bits) return truncated("a number");
      v.number = std::bit_cast<double>(*bits);
      if (v.type == Amf0Type::Date) {
        const auto zone = r.u16();
        if (!zone) return truncated("a date's time zone");
        v.timezone = static_cast<std::int16_t>(*zone);
      }
      return v;
    }
    case Amf0Type::Boolean: {
      const auto b = r.u8();
      if (!b) return truncated("a boolean");
      v.boolean = *b != 0;
      return v;
    }
    case Amf0Type::String:
    case Amf0Type::LongString: {
      auto s = readString(r, v.type == Amf0Type::LongString, "a string");
      if (!s) return s.error();
      v.string = std::move(*s);
      return v;
    }
    case Amf0Type::Null:
    case Amf0Type::Undefined:
      return v;
    case Amf0Type::EcmaArray:
      // §2.10: the count is a hint (encoders get it wrong); the end marker ends the array.
      if (!r.u32()) return truncated("an ECMA array count");
      [[fallthrough]];
    case Amf0Type::Object: {
      OCELLUS_TRY(readProperties(r, depth, v.properties));
      return v;
    }
    case Amf0Type::StrictArray: {
      const auto count = r.u32();
      if (!count) return truncated("a strict array count");
      if (*count > Amf0::kMaxMembers) return tooLarge("a strict array with more than kMaxMembers elements");
      // Each element is at least one byte: a count beyond the input is known bad before reading.
      if (*count > r.remaining()) return truncated("a strict array");
      for (std::uint32_t i = 0; i < *count; ++i) {
        auto element = decodeAt(r, depth + 1);
        if (!element) return element.error();
        v.elements.push_back(std::move(*element));
      }
      return v;
    }
    case Amf0Type::ObjectEnd:
      return base::makeError(base::ErrorCode::Malformed, "amf0: an object end marker outside an object");
    default:
      return base::makeError(base::ErrorCode::Unsupported,
                             "amf0: type marker " + std::to_string(*marker) + " is not supported");
  }
}

}  // namespace

Amf0Value Amf0Value::makeNumber(double v) {
  Amf0Value a;
  a.type = Amf0Type::Number;
  a.number = v;
  return a;
}
Amf0Value Amf0Value::makeBoolean(bool v) {
  Amf0Value a;
  a.type = Amf0Type::Boolean;
  a.boolean = v;
  return a;
}
Amf0Value Amf0Value::makeString(std::string v) {
  Amf0Value a;
  a.type = v.size() > kShortStringMax ? Amf0Type::LongString : Amf0Type::String;
  a.string = std::move(v);
  return a;
}
Amf0Value Amf0Value::makeNull() {
  return Amf0Value{};
}
Amf0Value Amf0Value::makeUndefined() {
  Amf0Value a;
  a.type = Amf0Type::Undefined;
  return a;
}
Amf0Value Amf0Value::makeObject(std::vector<Amf0Property> properties) {
  Amf0Value a;
  a.type = Amf0Type::Object;
  a.properties = std::move(properties);
  return a;
}
Amf0Value Amf0Value::makeEcmaArray(std::vector<Amf0Property> properties) {
  Amf0Value a = makeObject(std::move(properties));
  a.type = Amf0Type::EcmaArray;
  return a;
}
Amf0Value Amf0Value::makeStrictArray(std::vector<Amf0Value> elements) {
  Amf0Value a;
  a.type = Amf0Type::StrictArray;
  a.elements = std::move(elements);
  return a;
}

const Amf0Value* Amf0Value::get(std::string_view name) const {
  if (!isObjectLike()) return nullptr;
  for (const Amf0Property& p : properties) {
    if (p.name == name) return &p.value;
  }
  return nullptr;
}

std::optional<std::string_view> Amf0Value::getString(std::string_view name) const {
  const Amf0Value* v = get(name);
  if (v == nullptr || !v->isString()) return std::nullopt;
  return std::string_view(v->string);
}

std::optional<double> Amf0Value::getNumber(std::string_view name) const {
  const Amf0Value* v = get(name);
  if (v == nullptr || v->type != Amf0Type::Number) return std::nullopt;
  return v->number;
}

bool Amf0Value::operator==(const Amf0Value& other) const {
  if (type != other.type) return false;
  switch (type) {
    case Amf0Type::Number:
      // Bitwise, so that NaN round-trips compare equal.
      return std::bit_cast<std::uint64_t>(number) == std::bit_cast<std::uint64_t>(other.number);
    case Amf0Type::Date:
      return std::bit_cast<std::uint64_t>(number) == std::bit_cast<std::uint64_t>(other.number) &&
             timezone == other.timezone;
    case Amf0Type::Boolean:
      return boolean == other.boolean;
    case Amf0Type::String:
    case Amf0Type::LongString:
      return string == other.string;
    case Amf0Type::Object:
    case Amf0Type::EcmaArray:
      return properties == other.properties;
    case Amf0Type::StrictArray:
      return elements == other.elements;
    default:
      return true;
  }
}

base::Result<Amf0Value> Amf0::decode(base::ByteReader& reader) {
  return decodeAt(reader, 0);
}

base::Result<std::vector<Amf0Value>> Amf0::decodeAll(std::span<const std::uint8_t> body) {
  base::ByteReader r(body);
  std::vector<Amf0Value> values;
  while (!r.empty()) {
    if (values.size() == kMaxValues) return tooLarge("a message with more than kMaxValues values");
    auto v = decodeAt(r, 0);
    if (!v) return v.error();
    values.push_back(std::move(*v));
  }
  return values;
}

void Amf0::encodeNumber(base::ByteWriter& w, double v) {
  w.u8(static_cast<std::uint8_t>(Amf0Type::Number));
  w.u64(std::bit_cast<std::uint64_t>(v));
}

void Amf0::encodeBoolean(base::ByteWriter& w, bool v) {
  w.u8(static_cast<std::uint8_t>(Amf0Type::Boolean));
  w.u8(v ? 1 : 0);
}

void Amf0::encodeString(base::ByteWriter& w, std::string_view v) {
  if (v.size() > kShortStringMax) {
    w.u8(static_cast<std::uint8_t>(Amf0Type::LongString));
    w.u32(static_cast<std::uint32_t>(v.size()));
  } else {
    w.u8(static_cast<std::uint8_t>(Amf0Type::String));
    w.u16(static_cast<std::uint16_t>(v.size()));
  }
  w.text(v);
}

void Amf0::encodeNull(base::ByteWriter& w) {
  w.u8(static_cast<std::uint8_t>(Amf0Type::Null));
}

void Amf0::encode(base::ByteWriter& w, const Amf0Value& v) {
  switch (v.type) {
    case Amf0Type::Number:
      encodeNumber(w, v.number);
      return;
    case Amf0Type::Boolean:
      encodeBoolean(w, v.boolean);
      return;
    case Amf0Type::String:
    case Amf0Type::LongString:
      // The form follows the length: a short string cannot carry more than 65535 bytes.
      if (v.type == Amf0Type::LongString) {
        w.u8(static_cast<std::uint8_t>(Amf0Type::LongString));
        w.u32(static_cast<std::uint32_t>(v.string.size()));
        w.text(v.string);
      } else {
        encodeString(w, v.string);
      }
      return;
    case Amf0Type::Object:
    case Amf0Type::EcmaArray:
      w.u8(static_cast<std::uint8_t>(v.type));
      if (v.type == Amf0Type::EcmaArray) w.u32(static_cast<std::uint32_t>(v.properties.size()));
      for (const Amf0Property& p : v.properties) {
        // Property names are short strings; a longer name is cut to stay well formed.
        const std::string_view name = std::string_view(p.name).substr(0, kShortStringMax);
        w.u16(static_cast<std::uint16_t>(name.size()));
        w.text(name);
        encode(w, p.value);
      }
      w.u16(0);
      w.u8(static_cast<std::uint8_t>(Amf0Type::ObjectEnd));
      return;
    case Amf0Type::StrictArray:
      w.u8(static_cast<std::uint8_t>(Amf0Type::StrictArray));
      w.u32(static_cast<std::uint32_t>(v.elements.size()));
      for (const Amf0Value& e : v.elements) encode(w, e);
      return;
    case Amf0Type::Date:
      w.u8(static_cast<std::uint8_t>(Amf0Type::Date));
      w.u64(std::bit_cast<std::uint64_t>(v.number));
      w.u16(static_cast<std::uint16_t>(v.timezone));
      return;
    case Amf0Type::Undefined:
      w.u8(static_cast<std::uint8_t>(Amf0Type::Undefined));
      return;
    default:
      // Null, and ObjectEnd (which is not a value): written as null.
      encodeNull(w);
      return;
  }
}

std::vector<std::uint8_t> Amf0::encodeAll(std::span<const Amf0Value> values) {
  std::vector<std::uint8_t> out;
  base::ByteWriter w(out);
  for (const Amf0Value& v : values) encode(w, v);
  return out;
}

}  // namespace ocellus::proto::rtmp
