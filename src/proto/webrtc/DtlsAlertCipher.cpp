#include "proto/webrtc/DtlsAlertCipher.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

namespace ocellus::proto::webrtc {
namespace {

constexpr std::string_view kKeyExpansion = "key expansion";  // RFC 5246 §6.3

struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* ctx) const { EVP_KDF_CTX_free(ctx); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

base::Error cipherError(base::ErrorCode code, const std::string& what) {
  ERR_clear_error();
  return base::makeError(code, "dtls alert cipher: " + what);
}

// The record header's fields as additional data (RFC 5246 §6.2.3.3): seq_num is DTLS's
// epoch and sequence number (RFC 6347 §4.1.2.1), the length is the plaintext's.
std::array<std::uint8_t, DtlsRecord::kHeaderSize> additionalData(std::uint64_t sequenceNumber) {
  std::array<std::uint8_t, DtlsRecord::kHeaderSize> header;
  writeDtlsRecordHeader(header, dtls::kAlert, dtls::kVersion12, DtlsAlertCipher::kEpoch, sequenceNumber,
                        DtlsAlertCipher::kAlertSize);
  // The header's layout is type | version | epoch+seq | length; the additional data puts
  // epoch+seq first.
  std::array<std::uint8_t, DtlsRecord::kHeaderSize> aad;
  std::copy(header.begin() + 3, header.begin() + 11, aad.begin());
  std::copy(header.begin(), header.begin() + 3, aad.begin() + 8);
  std::copy(header.begin() + 11, header.end(), aad.begin() + 11);
  return aad;
}

}  // namespace

base::Result<DtlsAlertCipher> DtlsAlertCipher::derive(Suite suite, std::span<const std::uint8_t> masterSecret,
                                                      std::span<const std::uint8_t> clientRandom,
                                                      std::span<const std::uint8_t> serverRandom,
                                                      bool weAreClient) {
  if (masterSecret.size() != kMasterSecretSize || clientRandom.size() != kRandomSize ||
      serverRandom.size() != kRandomSize) {
    return cipherError(base::ErrorCode::InvalidArgument, "master secret or randoms of the wrong size");
  }
  DtlsAlertCipher cipher;
  cipher.suite_ = suite;
  const std::size_t keySize = cipher.keySize();
  // key_block = PRF(master_secret, "key expansion", server_random + client_random).
  std::array<std::uint8_t, kKeyExpansion.size() + 2 * kRandomSize> seed;
  std::copy(kKeyExpansion.begin(), kKeyExpansion.end(), seed.begin());
  std::copy(serverRandom.begin(), serverRandom.end(), seed.begin() + kKeyExpansion.size());
  std::copy(clientRandom.begin(), clientRandom.end(), seed.begin() + kKeyExpansion.size() + kRandomSize);
  std::array<std::uint8_t, 2 * (kMaxKeySize + kSaltSize)> block{};
  const std::size_t blockSize = 2 * (keySize + kSaltSize);

  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
  std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(kdf != nullptr ? EVP_KDF_CTX_new(kdf) : nullptr);
  EVP_KDF_free(kdf);
  char digest[] = "SHA256";
  char digest384[] = "SHA384";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                       suite == Suite::Aes128GcmSha256 ? digest : digest384, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, const_cast<std::uint8_t*>(masterSecret.data()),
                                        masterSecret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed.data(), seed.size()),
      OSSL_PARAM_construct_end(),
  };
  const bool derived = ctx && EVP_KDF_derive(ctx.get(), block.data(), blockSize, params) == 1;
  OPENSSL_cleanse(seed.data(), seed.size());
  if (!derived) return cipherError(base::ErrorCode::Internal, "TLS1-PRF failed");

  Direction client, server;
  std::copy_n(block.begin(), keySize, client.key.begin());
  std::copy_n(block.begin() + static_cast<std::ptrdiff_t>(keySize), keySize, server.key.begin());
  std::copy_n(block.begin() + static_cast<std::ptrdiff_t>(2 * keySize), kSaltSize, client.salt.begin());
  std::copy_n(block.begin() + static_cast<std::ptrdiff_t>(2 * keySize + kSaltSize), kSaltSize,
              server.salt.begin());
  OPENSSL_cleanse(block.data(), block.size());
  cipher.write_ = weAreClient ? client : server;
  cipher.read_ = weAreClient ? server : client;
  OPENSSL_cleanse(&client, sizeof client);
  OPENSSL_cleanse(&server, sizeof server);
  return cipher;
}

DtlsAlertCipher::DtlsAlertCipher(DtlsAlertCipher&& other) noexcept
    : suite_(other.suite_), read_(other.read_), write_(other.write_) {
  OPENSSL_cleanse(&other.read_, sizeof other.read_);
  OPENSSL_cleanse(&other.write_, sizeof other.write_);
}

DtlsAlertCipher& DtlsAlertCipher::operator=(DtlsAlertCipher&& other) noexcept {
  if (this != &other) {
    suite_ = other.suite_;
    read_ = other.read_;
    write_ = other.write_;
    OPENSSL_cleanse(&other.read_, sizeof other.read_);
    OPENSSL_cleanse(&other.write_, sizeof other.write_);
  }
  return *this;
}

DtlsAlertCipher::~DtlsAlertCipher() {
  OPENSSL_cleanse(&read_, sizeof read_);
  OPENSSL_cleanse(&write_, sizeof write_);
}

bool DtlsAlertCipher::transform(const Direction& keys,
                                std::span<const std::uint8_t, kExplicitNonceSize> explicitNonce,
                                std::uint64_t sequenceNumber, std::span<std::uint8_t, kAlertSize> alert,
                                std::uint8_t* tag, bool seal) const {
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  // RFC 5288 §3: GCMNonce = salt (4, implicit) | nonce_explicit (8).
  std::array<std::uint8_t, kSaltSize + kExplicitNonceSize> nonce;
  std::copy(keys.salt.begin(), keys.salt.end(), nonce.begin());
  std::copy(explicitNonce.begin(), explicitNonce.end(), nonce.begin() + kSaltSize);
  const auto aad = additionalData(sequenceNumber);
  const EVP_CIPHER* cipher = suite_ == Suite::Aes128GcmSha256 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
  int n = 0;
  const bool ok =
      ctx &&
      EVP_CipherInit_ex(ctx.get(), cipher, nullptr, keys.key.data(), nonce.data(), seal ? 1 : 0) == 1 &&
      EVP_CipherUpdate(ctx.get(), nullptr, &n, aad.data(), static_cast<int>(aad.size())) == 1 &&
      EVP_CipherUpdate(ctx.get(), alert.data(), &n, alert.data(), static_cast<int>(alert.size())) == 1 &&
      (seal ? EVP_CipherFinal_ex(ctx.get(), alert.data() + alert.size(), &n) == 1 &&
                  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, tag) == 1
            : EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag) == 1 &&
                  EVP_CipherFinal_ex(ctx.get(), alert.data() + alert.size(), &n) == 1);
  ERR_clear_error();
  return ok;
}

std::optional<DtlsAlert> DtlsAlertCipher::open(const DtlsRecord& record) const {
  const auto fragment = record.fragment();
  if (record.contentType() != dtls::kAlert || record.epoch() != kEpoch ||
      record.version() != dtls::kVersion12 || fragment.size() != kExplicitNonceSize + kAlertSize + kTagSize) {
    return std::nullopt;
  }
  std::array<std::uint8_t, kAlertSize> alert;
  std::copy_n(fragment.begin() + kExplicitNonceSize, kAlertSize, alert.begin());
  std::array<std::uint8_t, kTagSize> tag;  // EVP_CTRL_GCM_SET_TAG wants a mutable pointer
  std::copy_n(fragment.begin() + kExplicitNonceSize + kAlertSize, kTagSize, tag.begin());
  if (!transform(read_, fragment.first<kExplicitNonceSize>(), record.sequenceNumber(), alert, tag.data(),
                 false)) {
    return std::nullopt;
  }
  return DtlsAlert{alert[0], alert[1]};
}

std::optional<std::array<std::uint8_t, DtlsAlertCipher::kRecordSize>> DtlsAlertCipher::seal(
    DtlsAlert alert, std::uint64_t sequenceNumber) const {
  std::array<std::uint8_t, kRecordSize> record;
  const auto out = std::span(record);
  writeDtlsRecordHeader(out.first<DtlsRecord::kHeaderSize>(), dtls::kAlert, dtls::kVersion12, kEpoch,
                        sequenceNumber, kExplicitNonceSize + kAlertSize + kTagSize);
  // The explicit nonce is epoch + sequence number, the record header's bytes 3..10.
  std::copy_n(record.begin() + 3, kExplicitNonceSize, record.begin() + DtlsRecord::kHeaderSize);
  auto data = out.subspan<DtlsRecord::kHeaderSize + kExplicitNonceSize, kAlertSize>();
  data[0] = alert.level;
  data[1] = alert.description;
  if (!transform(write_, out.subspan<DtlsRecord::kHeaderSize, kExplicitNonceSize>(), sequenceNumber, data,
                 record.data() + DtlsRecord::kHeaderSize + kExplicitNonceSize + kAlertSize, true)) {
    return std::nullopt;
  }
  return record;
}

}  // namespace ocellus::proto::webrtc
