#include "proto/webrtc/NegotiationError.h"

namespace ocellus::proto::webrtc {

bool NegotiationError::offerAtFault() const {
  switch (kind) {
    case Kind::TooLarge:
    case Kind::Malformed:
    case Kind::MissingIceCredentials:
    case Kind::MissingFingerprint:
    case Kind::DtlsRoleConflict:
    case Kind::BundleRequired:
    case Kind::RtcpMuxRequired:
    case Kind::DirectionMismatch:
      return true;
    case Kind::NoCommonCodec:
    case Kind::NoAcceptableMedia:
    case Kind::InvalidLocalDescription:
      return false;
  }
  return true;
}

base::ErrorCode NegotiationError::code() const {
  switch (kind) {
    case Kind::TooLarge:
      return base::ErrorCode::TooLarge;
    case Kind::InvalidLocalDescription:
      return base::ErrorCode::InvalidArgument;
    case Kind::NoCommonCodec:
    case Kind::NoAcceptableMedia:
    case Kind::DtlsRoleConflict:
      return base::ErrorCode::Unsupported;
    default:
      return base::ErrorCode::Malformed;
  }
}

std::string NegotiationError::describe() const {
  return std::string(kindName(kind)) + ": " + message;
}

std::string_view NegotiationError::kindName(Kind kind) {
  switch (kind) {
    case Kind::TooLarge:
      return "too-large";
    case Kind::Malformed:
      return "malformed";
    case Kind::MissingIceCredentials:
      return "missing-ice-credentials";
    case Kind::MissingFingerprint:
      return "missing-fingerprint";
    case Kind::DtlsRoleConflict:
      return "dtls-role-conflict";
    case Kind::BundleRequired:
      return "bundle-required";
    case Kind::RtcpMuxRequired:
      return "rtcp-mux-required";
    case Kind::DirectionMismatch:
      return "direction-mismatch";
    case Kind::NoCommonCodec:
      return "no-common-codec";
    case Kind::NoAcceptableMedia:
      return "no-acceptable-media";
    case Kind::InvalidLocalDescription:
      return "invalid-local-description";
  }
  return "unknown";
}

}  // namespace ocellus::proto::webrtc
