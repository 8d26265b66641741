#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "api/rpc/Call.h"
#include "api/rpc/RpcError.h"

namespace ocellus::api::rpc {

// JSON-RPC 2.0 (https://www.jsonrpc.org/specification) framing, independent of the transport:
// one WebSocket text frame in, the calls it holds out; responses and notifications built as
// the text of one frame. Pure functions: no state, thread-safe.
class JsonRpc {
 public:
  // Limits of one incoming frame. The WebSocket layer should refuse larger messages itself
  // (read_message_max); the parser checks again so that it is safe on its own.
  static constexpr std::size_t kMaxFrameBytes = 256 * 1024;
  static constexpr std::size_t kMaxBatchLength = 64;  // calls in one batch
  static constexpr std::size_t kMaxDepth = 16;        // nesting of arrays and objects, batch included

  // Parses one frame. Failures of the frame as a whole come back as the RpcError to answer
  // with id null (§5.1, §6): -32700 for text that is not JSON (or not UTF-8), -32600 for JSON
  // that is neither an object nor a non-empty array, for a frame or batch over the limits above
  // and for nesting deeper than kMaxDepth. Errors of one request object are InvalidCall entries
  // of the Message. Never throws but std::bad_alloc.
  static std::variant<Message, RpcError> parse(std::string_view frame);

  // {"jsonrpc":"2.0","result":…,"id":…} (§5).
  static std::string result(const Id& id, const boost::json::value& result);
  // {"jsonrpc":"2.0","error":{"code":…,"message":…,"data":…},"id":…} (§5.1); "data" only when set.
  static std::string error(const Id& id, const RpcError& error);
  // A server → client notification: {"jsonrpc":"2.0","method":…,"params":…} (§4.1);
  // "params" omitted when null.
  static std::string notification(std::string_view method, const boost::json::value& params);
  // The responses of a batch as one array (§6); "" when there are none (no frame is sent).
  static std::string batch(std::span<const std::string> responses);

  // Values written by the builders above are made valid for a WebSocket text frame first:
  // a non-finite double (NaN, ±Infinity, which JSON cannot express) becomes null, as
  // JavaScript's JSON.stringify does, and invalid UTF-8 in a string or key becomes U+FFFD
  // (RFC 6455 §8.1: a text frame that is not UTF-8 fails the connection).
  static std::string serialize(const boost::json::value& value);
};

}  // namespace ocellus::api::rpc
