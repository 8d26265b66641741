#pragma once

#include <string_view>

namespace ocellus::api::rpc {

// Every JSON-RPC error code the API answers with (API-CONTRACT §1), with its default message.
// -32700…-32603 are the JSON-RPC 2.0 spec's own (§5.1); -32001…-32008 are ours, inside the
// spec's "-32000 to -32099 Server error" range. Numbers are part of the contract: never renumber.
#define OCELLUS_RPC_ERROR_CODES(X)                                     \
  X(kParseError, -32700, "Parse error")                                \
  X(kInvalidRequest, -32600, "Invalid Request")                        \
  X(kMethodNotFound, -32601, "Method not found")                       \
  X(kInvalidParams, -32602, "Invalid params")                          \
  X(kInternalError, -32603, "Internal error")                          \
  X(kAuthenticationFailed, -32001, "Authentication failed or expired") \
  X(kRateLimitExceeded, -32002, "Rate limit exceeded")                 \
  X(kInsufficientPermissions, -32003, "Insufficient permissions")      \
  X(kCameraNotFound, -32004, "Camera not found or disconnected")       \
  X(kRecordingInProgress, -32005, "Recording already in progress")     \
  X(kMediaBackendUnavailable, -32006, "Media backend unavailable")     \
  X(kInsufficientStorage, -32007, "Insufficient storage")              \
  X(kCapabilityNotSupported, -32008, "Capability not supported")

#define OCELLUS_X(name, number, text) inline constexpr int name = number;
OCELLUS_RPC_ERROR_CODES(OCELLUS_X)
#undef OCELLUS_X

// The table's message for `code`; "Server error" for another code in -32099…-32000,
// "Application error" for any other.
std::string_view defaultMessage(int code);

}  // namespace ocellus::api::rpc
