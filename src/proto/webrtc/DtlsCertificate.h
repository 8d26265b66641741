#pragma once

#include <openssl/types.h>

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/Clock.h"
#include "base/Result.h"

namespace ocellus::proto::webrtc {

// The server's DTLS identity: an ECDSA P-256 key and a self-signed X.509 certificate. WebRTC
// does not trust certificates through a CA: each side pins the other's certificate by the
// fingerprint it put in its SDP (RFC 8122 §5, RFC 8827 §6.5), so the certificate is created
// once and kept, and its fingerprint is what the SDP answer carries.
//
// Owns its OpenSSL objects; movable, not copyable. An endpoint that uses it takes its own
// references (SSL_CTX_use_certificate), so the certificate need not outlive the endpoints.
// Control plane: these calls read and write files and are not for the media path.
class DtlsCertificate {
 public:
  static constexpr std::string_view kCommonName = "ocellus";
  static constexpr int kValidityDays = 365;
  // loadOrCreate replaces a certificate this close to its end of validity.
  static constexpr int kRenewDays = 30;
  // A PEM file larger than this is not one of ours.
  static constexpr std::size_t kMaxFileSize = 64 * 1024;

  // A fresh key and certificate, valid from a day before now for kValidityDays.
  static base::Result<DtlsCertificate> generate(base::WallTime now = base::Clock::system().wallNow());
  // Reads the PEM file at path (private key and certificate, written by save); when there is
  // no file, or the one there is within kRenewDays of expiring, generates a new one and saves
  // it. A file that exists but cannot be read or does not hold a matching key and certificate
  // is an error (Io or Malformed): it is not silently replaced, because a changed certificate
  // breaks the fingerprints that peers have pinned.
  static base::Result<DtlsCertificate> loadOrCreate(const std::filesystem::path& path,
                                                    base::WallTime now = base::Clock::system().wallNow());
  // Parses a private key and a certificate from PEM text (in either order).
  static base::Result<DtlsCertificate> fromPem(std::string_view pem);

  // The private key (PKCS #8) followed by the certificate, both PEM.
  std::string toPem() const;
  // Writes toPem() to path atomically: a temporary file of mode 0600 in the same folder, synced,
  // then renamed over path. Creates the parent folder when missing.
  base::Status save(const std::filesystem::path& path) const;

  // "sha-256 AB:CD:…": the value of an SDP a=fingerprint attribute (RFC 8122 §5).
  std::string fingerprint() const { return "sha-256 " + sha256_; }
  // "AB:CD:…": the SHA-256 digest of the DER certificate, upper-case hex pairs joined by ':'.
  const std::string& fingerprintHex() const { return sha256_; }
  // True when the certificate is no longer valid at t.
  bool expiredAt(base::WallTime t) const;

  // The OpenSSL objects, owned by this object.
  X509* x509() const { return cert_.get(); }
  EVP_PKEY* privateKey() const { return key_.get(); }

  // The fingerprint of cert with the RFC 8122 hash function name algorithm ("sha-1",
  // "sha-224", "sha-256", "sha-384", "sha-512"; case-insensitive) as upper-case hex pairs
  // joined by ':'. Unsupported for other names (md5 and md2 are not accepted, §5).
  static base::Result<std::string> fingerprintOf(const X509* cert, std::string_view algorithm);

 private:
  struct KeyFree {
    void operator()(EVP_PKEY* key) const;
  };
  struct CertFree {
    void operator()(X509* cert) const;
  };

  DtlsCertificate(std::unique_ptr<EVP_PKEY, KeyFree> key, std::unique_ptr<X509, CertFree> cert);

  std::unique_ptr<EVP_PKEY, KeyFree> key_;
  std::unique_ptr<X509, CertFree> cert_;
  std::string sha256_;
};

}  // namespace ocellus::proto::webrtc
