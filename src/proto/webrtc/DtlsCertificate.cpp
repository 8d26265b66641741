#include "proto/webrtc/DtlsCertificate.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <system_error>

#include "base/Text.h"

namespace ocellus::proto::webrtc {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

// The newest OpenSSL error of this thread (and none left behind for the next caller).
std::string opensslError() {
  unsigned long code = ERR_peek_last_error();
  std::string text;
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    text = std::string(": ") + buffer;
  }
  ERR_clear_error();
  return text;
}

base::Error certError(base::ErrorCode code, const std::string& what) {
  return base::makeError(code, "dtls certificate: " + what);
}

// Keys are stored unencrypted (the file is 0600); without this callback OpenSSL would prompt
// on the terminal for the passphrase of an encrypted key.
int noPassphrase(char*, int, int, void*) {
  return 0;
}

std::string hexPairs(std::span<const unsigned char> digest) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(digest.size() * 3);
  for (unsigned char b : digest) {
    if (!out.empty()) out += ':';
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

base::Status writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return certError(base::ErrorCode::Io, std::string("write: ") + std::strerror(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

void DtlsCertificate::KeyFree::operator()(EVP_PKEY* key) const {
  EVP_PKEY_free(key);
}
void DtlsCertificate::CertFree::operator()(X509* cert) const {
  X509_free(cert);
}

DtlsCertificate::DtlsCertificate(std::unique_ptr<EVP_PKEY, KeyFree> key, std::unique_ptr<X509, CertFree> cert)
    : key_(std::move(key)), cert_(std::move(cert)) {
  // SHA-256 exists in every OpenSSL provider: this cannot fail for a certificate OpenSSL holds.
  auto hex = fingerprintOf(cert_.get(), "sha-256");
  if (hex) sha256_ = std::move(*hex);
}

base::Result<DtlsCertificate> DtlsCertificate::generate(base::WallTime now) {
  // ECDSA on P-256: what browsers generate themselves, and small enough that the server's
  // whole first flight fits one 1200-byte datagram.
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> keyCtx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* rawKey = nullptr;
  if (!keyCtx || EVP_PKEY_keygen_init(keyCtx.get()) != 1 ||
      EVP_PKEY_CTX_set_group_name(keyCtx.get(), "P-256") != 1 ||
      EVP_PKEY_generate(keyCtx.get(), &rawKey) != 1) {
    return certError(base::ErrorCode::Internal, "P-256 key generation failed" + opensslError());
  }
  std::unique_ptr<EVP_PKEY, KeyFree> key(rawKey);

  std::unique_ptr<X509, CertFree> cert(X509_new());
  std::unique_ptr<BIGNUM, BnFree> serial(BN_new());
  if (!cert || !serial) return certError(base::ErrorCode::Internal, "out of memory" + opensslError());
  // A random positive 64-bit serial: peers pin the fingerprint, so the serial only has to
  // differ between the certificates one issuer name ever had (RFC 5280 §4.1.2.2).
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto* cn = reinterpret_cast<const unsigned char*>(kCommonName.data());
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      BN_rand(serial.get(), 64, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr ||
      X509_time_adj_ex(X509_getm_notBefore(cert.get()), -1, 0, &t) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), kValidityDays, 0, &t) == nullptr ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, static_cast<int>(kCommonName.size()), -1, 0) !=
          1 ||
      X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1 ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    return certError(base::ErrorCode::Internal,
                     "building the self-signed certificate failed" + opensslError());
  }
  return DtlsCertificate(std::move(key), std::move(cert));
}

base::Result<DtlsCertificate> DtlsCertificate::fromPem(std::string_view pem) {
  if (pem.size() > kMaxFileSize) return certError(base::ErrorCode::TooLarge, "PEM text is too large");
  BioPtr keyBio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  BioPtr certBio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!keyBio || !certBio) return certError(base::ErrorCode::Internal, "out of memory" + opensslError());
  std::unique_ptr<EVP_PKEY, KeyFree> key(
      PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassphrase, nullptr));
  if (!key) return certError(base::ErrorCode::Malformed, "no readable private key" + opensslError());
  std::unique_ptr<X509, CertFree> cert(PEM_read_bio_X509(certBio.get(), nullptr, noPassphrase, nullptr));
  if (!cert) return certError(base::ErrorCode::Malformed, "no readable certificate" + opensslError());
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return certError(base::ErrorCode::Malformed,
                     "the private key does not belong to the certificate" + opensslError());
  }
  return DtlsCertificate(std::move(key), std::move(cert));
}

std::string DtlsCertificate::toPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_X509(bio.get(), cert_.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<std::size_t>(size));
  // The memory BIO's buffer held the private key: wipe it before it goes back to the heap.
  OPENSSL_cleanse(data, static_cast<std::size_t>(size));
  return pem;
}

base::Status DtlsCertificate::save(const std::filesystem::path& path) const {
  std::string pem = toPem();
  if (pem.empty()) return certError(base::ErrorCode::Internal, "PEM encoding failed");
  std::error_code ec;
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::filesystem::create_directories(folder, ec);
  if (ec) return certError(base::ErrorCode::Io, folder.string() + ": " + ec.message());

  // mkstemp creates the file with mode 0600 before a byte of the key is in it.
  std::string temp = path.string() + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return certError(base::ErrorCode::Io, temp + ": " + std::strerror(errno));
  base::Status written = writeAll(fd, pem);
  OPENSSL_cleanse(pem.data(), pem.size());
  if (written && (::fchmod(fd, S_IRUSR | S_IWUSR) != 0 || ::fsync(fd) != 0)) {
    written = certError(base::ErrorCode::Io, temp + ": " + std::strerror(errno));
  }
  if (::close(fd) != 0 && written)
    written = certError(base::ErrorCode::Io, temp + ": " + std::strerror(errno));
  if (written && std::rename(temp.c_str(), path.c_str()) != 0) {
    written = certError(base::ErrorCode::Io, path.string() + ": " + std::strerror(errno));
  }
  if (!written) {
    ::unlink(temp.c_str());
    return written;
  }
  // The rename is durable once the folder's entry is on disk too.
  const int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dirFd >= 0) {
    ::fsync(dirFd);
    ::close(dirFd);
  }
  return {};
}

base::Result<DtlsCertificate> DtlsCertificate::loadOrCreate(const std::filesystem::path& path,
                                                            base::WallTime now) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (ec) return certError(base::ErrorCode::Io, path.string() + ": " + ec.message());
  if (exists) {
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return certError(base::ErrorCode::Io, path.string() + ": " + ec.message());
    if (size > kMaxFileSize)
      return certError(base::ErrorCode::TooLarge, path.string() + ": larger than 64 KiB");
    std::ifstream in(path, std::ios::binary);
    if (!in) return certError(base::ErrorCode::Io, path.string() + ": cannot be opened");
    std::string pem{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto loaded = fromPem(pem);
    OPENSSL_cleanse(pem.data(), pem.size());
    if (!loaded) return certError(loaded.error().code, path.string() + ": " + loaded.error().message);
    if (!loaded->expiredAt(now + std::chrono::hours(24 * kRenewDays))) return loaded;
  }
  auto fresh = generate(now);
  if (!fresh) return fresh;
  OCELLUS_TRY(fresh->save(path));
  return fresh;
}

bool DtlsCertificate::expiredAt(base::WallTime t) const {
  std::time_t at = std::chrono::system_clock::to_time_t(t);
  // X509_cmp_time: -1 when notAfter is before at, 0 when it cannot tell; both mean unusable.
  const int cmp = X509_cmp_time(X509_get0_notAfter(cert_.get()), &at);
  ERR_clear_error();
  return cmp <= 0;
}

base::Result<std::string> DtlsCertificate::fingerprintOf(const X509* cert, std::string_view algorithm) {
  // RFC 8122 §5 hash function names, as the IANA "Hash Function Textual Names" registry spells them.
  const EVP_MD* md = base::iequals(algorithm, "sha-1")     ? EVP_sha1()
                     : base::iequals(algorithm, "sha-224") ? EVP_sha224()
                     : base::iequals(algorithm, "sha-256") ? EVP_sha256()
                     : base::iequals(algorithm, "sha-384") ? EVP_sha384()
                     : base::iequals(algorithm, "sha-512") ? EVP_sha512()
                                                     : nullptr;
  if (md == nullptr) {
    return certError(base::ErrorCode::Unsupported,
                     "fingerprint hash \"" + std::string(algorithm) + "\" is not supported");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (cert == nullptr || X509_digest(cert, md, digest, &length) != 1) {
    return certError(base::ErrorCode::Internal, "certificate digest failed" + opensslError());
  }
  return hexPairs({digest, length});
}

}  // namespace ocellus::proto::webrtc
