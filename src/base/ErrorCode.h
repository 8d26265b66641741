#pragma once

#include <cstdint>
#include <string_view>

namespace ocellus::base {

// The one table of error codes (STYLE §3). Numbers are stable: they appear in logs and metrics.
// The control plane maps these to API error bodies and JSON-RPC codes in one place.
#define OCELLUS_ERROR_CODES(X)                                                  \
  X(Ok, 0, "ok")                                                                \
  X(Truncated, 1, "input ends before the structure does")                      \
  X(Malformed, 2, "input does not follow the format")                          \
  X(TooLarge, 3, "input exceeds a named limit")                                \
  X(Unsupported, 4, "valid but not supported")                                 \
  X(NotFound, 5, "not found")                                                  \
  X(AlreadyExists, 6, "already exists")                                        \
  X(Unauthorized, 7, "credentials missing or wrong")                           \
  X(Forbidden, 8, "not allowed")                                               \
  X(InvalidState, 9, "not allowed in the current state")                       \
  X(Io, 10, "input/output error")                                              \
  X(Timeout, 11, "timed out")                                                  \
  X(Closed, 12, "connection closed")                                           \
  X(InvalidArgument, 13, "invalid argument")                                   \
  X(Internal, 14, "internal error")                                            \
  X(Busy, 15, "resource busy")

enum class ErrorCode : std::uint16_t {
#define OCELLUS_X(name, number, text) name = number,
  OCELLUS_ERROR_CODES(OCELLUS_X)
#undef OCELLUS_X
};

std::string_view errorCodeName(ErrorCode code);
std::string_view errorCodeText(ErrorCode code);

}  // namespace ocellus::base
