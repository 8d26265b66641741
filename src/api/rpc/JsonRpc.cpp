#include "api/rpc/JsonRpc.h"

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>

#include <cmath>
#include <optional>
#include <utility>
#include <vector>

namespace ocellus::api::rpc {

namespace json = boost::json;

namespace {

// Builds the document as Boost.JSON's own parser does (a value_stack) and, on the way, keeps
// the text of every number given as the "id" of a request object: of the top-level object
// (element 0) or of each element of a top-level array (element i). See Id for why. It also
// stops a batch as soon as it grows past kMaxBatchLength rather than after building it.
//
// A request object's members sit at depth 1 (single request) or 2 (batch element); a value
// there that follows the key "id" is the id. Duplicate keys: the value_stack keeps the last
// one, and so does this (each "id" value overwrites the text kept before).
class FrameHandler {
 public:
  // NOLINTBEGIN(readability-identifier-naming): the names basic_parser requires.
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  FrameHandler() { stack.reset(); }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code& ec) {
    if (!beginValue(nullptr, ec)) return false;
    ++depth_;
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    --depth_;
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code& ec) {
    if (depth_ == 0) topIsArray_ = true;
    if (!beginValue(nullptr, ec)) return false;
    ++depth_;
    return true;
  }
  bool on_array_end(std::size_t n, json::error_code&) {
    --depth_;
    stack.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    if (depth_ == memberDepth()) key_.append(s.data(), s.size());
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    if (depth_ == memberDepth()) {
      key_.append(s.data(), s.size());
      idFollows_ = key_ == "id";
      key_.clear();
    }
    stack.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    if (!beginValue(nullptr, ec)) return false;
    stack.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view s, json::error_code& ec) {
    if (!endNumber(s, ec)) return false;
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view s, json::error_code& ec) {
    if (!endNumber(s, ec)) return false;
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view s, json::error_code& ec) {
    if (!endNumber(s, ec)) return false;
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code& ec) {
    if (!beginValue(nullptr, ec)) return false;
    stack.push_bool(b);
    return true;
  }
  bool on_null(json::error_code& ec) {
    if (!beginValue(nullptr, ec)) return false;
    stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
  // NOLINTEND(readability-identifier-naming)

  json::value_stack stack;
  std::vector<std::optional<std::string>> idText;  // per request object, the id's number text
  bool batchTooLong = false;

 private:
  std::size_t memberDepth() const { return topIsArray_ ? 2 : 1; }

  bool endNumber(json::string_view s, json::error_code& ec) {
    number_.append(s.data(), s.size());
    const bool ok = beginValue(&number_, ec);
    number_.clear();
    return ok;
  }

  // Called once per value, before it is pushed; `number` is the text of a number value.
  bool beginValue(const std::string* number, json::error_code& ec) {
    if (depth_ == 0 && !topIsArray_) {
      idText.emplace_back();  // the single request object (or a scalar: not a request)
    } else if (depth_ == 1 && topIsArray_) {
      if (idText.size() == JsonRpc::kMaxBatchLength) {
        batchTooLong = true;
        ec = json::error::array_too_large;
        return false;
      }
      idText.emplace_back();
    } else if (depth_ == memberDepth() && idFollows_) {
      idFollows_ = false;
      idText.back() = number ? std::optional<std::string>(*number) : std::nullopt;
    }
    return true;
  }

  std::size_t depth_ = 0;
  bool topIsArray_ = false;
  bool idFollows_ = false;  // the last key of a request object was "id"
  std::string key_;
  std::string number_;
};

// RFC 3629 §4: the length of the well-formed UTF-8 sequence at s[i], or 0 when there is none
// (overlong forms, surrogates and code points past U+10FFFF are ill-formed).
std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() - i < n) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

bool isUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Each byte that does not start a well-formed sequence becomes U+FFFD.
json::string toUtf8(std::string_view s) {
  json::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8SequenceLength(s, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// Whether Boost.JSON's serializer writes `root` as valid JSON in valid UTF-8 as it is.
bool isWritable(const json::value& root) {
  std::vector<const json::value*> todo{&root};
  while (!todo.empty()) {
    const json::value* v = todo.back();
    todo.pop_back();
    switch (v->kind()) {
      case json::kind::double_:
        if (!std::isfinite(v->get_double())) return false;
        break;
      case json::kind::string:
        if (!isUtf8(v->get_string())) return false;
        break;
      case json::kind::array:
        for (const json::value& e : v->get_array()) todo.push_back(&e);
        break;
      case json::kind::object:
        for (const json::key_value_pair& m : v->get_object()) {
          if (!isUtf8(m.key())) return false;
          todo.push_back(&m.value());
        }
        break;
      default:
        break;
    }
  }
  return true;
}

// Makes `root` writable in place (see JsonRpc::serialize).
void makeWritable(json::value& root) {
  std::vector<json::value*> todo{&root};
  while (!todo.empty()) {
    json::value* v = todo.back();
    todo.pop_back();
    switch (v->kind()) {
      case json::kind::double_:
        if (!std::isfinite(v->get_double())) *v = nullptr;
        break;
      case json::kind::string:
        if (!isUtf8(v->get_string())) *v = toUtf8(v->get_string());
        break;
      case json::kind::array:
        for (json::value& e : v->get_array()) todo.push_back(&e);
        break;
      case json::kind::object: {
        json::object& object = v->get_object();
        bool keysValid = true;
        for (const json::key_value_pair& m : object) keysValid = keysValid && isUtf8(m.key());
        if (!keysValid) {
          json::object fixed;
          for (json::key_value_pair& m : object) fixed.emplace(toUtf8(m.key()), std::move(m.value()));
          object = std::move(fixed);
        }
        for (json::key_value_pair& m : object) todo.push_back(&m.value());
        break;
      }
      default:
        break;
    }
  }
}

// §4: validates one request object, moving its params out.
Entry validate(json::object& request, const std::optional<std::string>& idText) {
  // The id first: whether it is valid decides which id an error response carries (§5).
  std::optional<Id> id;
  if (const json::value* v = request.if_contains("id")) {
    switch (v->kind()) {
      case json::kind::string:
        id = Id::fromString(v->get_string());
        break;
      case json::kind::int64:
      case json::kind::uint64:
      case json::kind::double_:
        id = Id::fromJson(idText ? *idText : JsonRpc::serialize(*v));
        break;
      case json::kind::null:
        id = Id();
        break;
      default:
        return InvalidCall{
            Id(), RpcError(kInvalidRequest, "Invalid Request: id must be a string, a number or null")};
    }
  }
  const auto invalid = [&](const char* why) {
    return InvalidCall{id.value_or(Id()), RpcError(kInvalidRequest, std::string("Invalid Request: ") + why)};
  };
  const json::value* version = request.if_contains("jsonrpc");
  if (version == nullptr || !version->is_string() || version->get_string() != "2.0") {
    return invalid("jsonrpc must be \"2.0\"");
  }
  const json::value* method = request.if_contains("method");
  if (method == nullptr || !method->is_string()) return invalid("method must be a string");
  json::value params;
  if (json::value* p = request.if_contains("params")) {
    if (!p->is_object() && !p->is_array()) return invalid("params must be an object or an array");
    params = std::move(*p);
  }
  return Call{std::string(method->get_string()), std::move(params), std::move(id)};
}

}  // namespace

std::variant<Message, RpcError> JsonRpc::parse(std::string_view frame) {
  if (frame.size() > kMaxFrameBytes) {
    return RpcError(kInvalidRequest,
                    "Invalid Request: frame larger than " + std::to_string(kMaxFrameBytes) + " bytes");
  }
  if (frame.empty()) return RpcError(kParseError, "Parse error: empty frame");

  // Strict RFC 8259 JSON: no comments, no trailing commas, UTF-8 validated.
  json::parse_options options;
  options.max_depth = kMaxDepth;
  json::basic_parser<FrameHandler> parser(options);
  json::error_code ec;
  const std::size_t used = parser.write_some(false, frame.data(), frame.size(), ec);
  if (!ec && used < frame.size()) ec = json::error::extra_data;
  FrameHandler& handler = parser.handler();
  if (handler.batchTooLong) {
    return RpcError(kInvalidRequest,
                    "Invalid Request: batch longer than " + std::to_string(kMaxBatchLength) + " calls");
  }
  if (ec == json::error::too_deep) {
    return RpcError(kInvalidRequest,
                    "Invalid Request: nested deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  if (ec) return RpcError(kParseError, "Parse error: " + ec.message());

  json::value root = handler.stack.release();
  Message message;
  if (root.is_object()) {
    message.entries.push_back(validate(root.get_object(), handler.idText.at(0)));
    return message;
  }
  if (!root.is_array()) return RpcError(kInvalidRequest, "Invalid Request: not an object or an array");
  json::array& batch = root.get_array();
  // §6: "If the batch rpc call itself fails to be recognized as an valid JSON or as an Array
  // with at least one value, the response from the Server MUST be a single Response object."
  if (batch.empty()) return RpcError(kInvalidRequest, "Invalid Request: empty batch");
  message.batch = true;
  message.entries.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].is_object()) {
      message.entries.push_back(validate(batch[i].get_object(), handler.idText.at(i)));
    } else {
      message.entries.push_back(
          InvalidCall{Id(), RpcError(kInvalidRequest, "Invalid Request: not an object")});
    }
  }
  return message;
}

std::string JsonRpc::serialize(const json::value& value) {
  if (isWritable(value)) return json::serialize(value);
  json::value copy = value;
  makeWritable(copy);
  return json::serialize(copy);
}

std::string JsonRpc::result(const Id& id, const json::value& result) {
  std::string out = R"({"jsonrpc":"2.0","result":)";
  out += serialize(result);
  out += R"(,"id":)";
  out += id.json();
  out += '}';
  return out;
}

std::string JsonRpc::error(const Id& id, const RpcError& error) {
  json::object body;
  body["code"] = error.code;
  body["message"] = error.message;
  if (error.data) body["data"] = *error.data;
  std::string out = R"({"jsonrpc":"2.0","error":)";
  out += serialize(body);
  out += R"(,"id":)";
  out += id.json();
  out += '}';
  return out;
}

std::string JsonRpc::notification(std::string_view method, const json::value& params) {
  json::object message;
  message["jsonrpc"] = "2.0";
  message["method"] = method;
  if (!params.is_null()) message["params"] = params;
  return serialize(message);
}

std::string JsonRpc::batch(std::span<const std::string> responses) {
  std::string out;
  for (const std::string& response : responses) {
    if (response.empty()) continue;
    out += out.empty() ? '[' : ',';
    out += response;
  }
  if (!out.empty()) out += ']';
  return out;
}

}  // namespace ocellus::api::rpc
