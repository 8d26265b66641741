#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ocellus::proto::rtsp {

// HTTP Digest access authentication as RTSP uses it (RFC 2617, RFC 7616).
enum class DigestAlgorithm { Md5, Sha256 };

// "MD5" or "SHA-256", case-insensitive (RFC 7616 §3.3); nullopt for anything else, the
// "-sess" variants included. An absent algorithm parameter means MD5.
std::optional<DigestAlgorithm> parseDigestAlgorithm(std::string_view name);
std::string_view digestAlgorithmName(DigestAlgorithm algorithm);

// What goes into a Digest response. Views must outlive the call only.
struct DigestInput {
  DigestAlgorithm algorithm = DigestAlgorithm::Md5;
  std::string_view username{};
  std::string_view realm{};
  std::string_view password{};
  std::string_view ha1{};     // H(username:realm:password) in lower-case hex; when set, password is unused
  std::string_view method{};
  std::string_view uri{};
  std::string_view nonce{};
  std::string_view qop{};     // "auth"; empty for the RFC 2069 form without nc and cnonce
  std::string_view nc{};      // 8 hex digits, with qop
  std::string_view cnonce{};  // with qop
};

// RFC 7616 §3.4.1: lower-case hex of
//   H( H(username:realm:password) : nonce [: nc : cnonce : qop] : H(method:uri) ).
std::string digestResponse(const DigestInput& in);

// H(A1) = H(username:realm:password), lower-case hex: what a server keeps instead of the password.
std::string digestHa1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                      std::string_view password);

}  // namespace ocellus::proto::rtsp
