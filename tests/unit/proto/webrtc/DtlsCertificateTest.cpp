#include "proto/webrtc/DtlsCertificate.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "unit/TestData.h"

namespace ocellus::proto::webrtc {
namespace {

class TempFolder {
 public:
  TempFolder() {
    std::string pattern = "/tmp/ocellus-dtls-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void writeFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(DtlsCertificateTest, GeneratesSelfSignedP256WithSdpFingerprint) {
  auto cert = DtlsCertificate::generate();
  ASSERT_TRUE(cert.ok()) << cert.error().describe();
  // RFC 8122 §5: "sha-256" then 32 upper-case hex pairs joined by colons.
  EXPECT_TRUE(std::regex_match(cert->fingerprint(), std::regex("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}")))
      << cert->fingerprint();
  EXPECT_EQ(cert->fingerprint(), "sha-256 " + cert->fingerprintHex());
  EXPECT_EQ(EVP_PKEY_get_base_id(cert->privateKey()), EVP_PKEY_EC);
  char group[32] = {};
  std::size_t groupLength = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(cert->privateKey(), group, sizeof group, &groupLength), 1);
  EXPECT_STREQ(group, "prime256v1");
  // Self-signed: issuer is subject and the signature verifies with its own key.
  EXPECT_EQ(X509_NAME_cmp(X509_get_issuer_name(cert->x509()), X509_get_subject_name(cert->x509())), 0);
  EXPECT_EQ(X509_verify(cert->x509(), X509_get0_pubkey(cert->x509())), 1);
  EXPECT_EQ(X509_get_version(cert->x509()), X509_VERSION_3);

  auto other = DtlsCertificate::generate();
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->fingerprint(), cert->fingerprint());
}

TEST(DtlsCertificateTest, FingerprintMatchesOpenSslDigestForEveryHash) {
  auto cert = DtlsCertificate::generate();
  ASSERT_TRUE(cert.ok());
  for (auto [name, md] : {std::pair{"sha-1", EVP_sha1()}, std::pair{"SHA-256", EVP_sha256()},
                          std::pair{"sha-384", EVP_sha384()}, std::pair{"sha-512", EVP_sha512()}}) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    ASSERT_EQ(X509_digest(cert->x509(), md, digest, &length), 1);
    auto hex = DtlsCertificate::fingerprintOf(cert->x509(), name);
    ASSERT_TRUE(hex.ok()) << name;
    EXPECT_EQ(hex->size(), length * 3 - 1) << name;
    char first[3];
    std::snprintf(first, sizeof first, "%02X", digest[0]);
    EXPECT_EQ(hex->substr(0, 2), first) << name;
  }
  EXPECT_EQ(DtlsCertificate::fingerprintOf(cert->x509(), "md5").error().code, base::ErrorCode::Unsupported);
  EXPECT_EQ(DtlsCertificate::fingerprintOf(cert->x509(), "sha-256").value(), cert->fingerprintHex());
}

TEST(DtlsCertificateTest, FingerprintOfChromiumsCertificateMatchesItsSdp) {
  // The Certificate message of Chromium's second flight (one record, not fragmented):
  // handshake header (12), certificate_list length (3), certificate length (3), DER.
  const auto flight = test::readTestData("webrtc/dtls/chromium156_client_flight.bin");
  ASSERT_GT(flight.size(), 13u + 12u + 6u);
  ASSERT_EQ(flight[13], 11);  // HandshakeType certificate
  const std::size_t at = 13 + 12 + 3;
  const std::size_t length =
      std::size_t{flight[at]} << 16 | std::size_t{flight[at + 1]} << 8 | flight[at + 2];
  ASSERT_LE(at + 3 + length, flight.size());
  const unsigned char* der = flight.data() + at + 3;
  X509* cert = d2i_X509(nullptr, &der, static_cast<long>(length));
  ASSERT_NE(cert, nullptr);
  auto ours = DtlsCertificate::fingerprintOf(cert, "sha-256");
  X509_free(cert);
  ASSERT_TRUE(ours.ok());

  const auto sdp = test::readTestData("webrtc/dtls/chromium156_answer.sdp");
  const std::string text(sdp.begin(), sdp.end());
  const std::string attribute = "a=fingerprint:sha-256 ";
  const auto line = text.find(attribute);
  ASSERT_NE(line, std::string::npos);
  EXPECT_EQ(*ours, text.substr(line + attribute.size(), 95));
}

TEST(DtlsCertificateTest, PemRoundTripKeepsFingerprint) {
  auto cert = DtlsCertificate::generate();
  ASSERT_TRUE(cert.ok());
  const std::string pem = cert->toPem();
  EXPECT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  EXPECT_NE(pem.find("-----BEGIN CERTIFICATE-----"), std::string::npos);
  auto again = DtlsCertificate::fromPem(pem);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->fingerprint(), cert->fingerprint());

  // Certificate first, key second is read as well.
  const auto split = pem.find("-----BEGIN CERTIFICATE-----");
  auto swapped = DtlsCertificate::fromPem(pem.substr(split) + pem.substr(0, split));
  ASSERT_TRUE(swapped.ok()) << swapped.error().describe();
  EXPECT_EQ(swapped->fingerprint(), cert->fingerprint());
}

TEST(DtlsCertificateTest, LoadOrCreateKeepsTheSameCertificate) {
  TempFolder folder;
  const auto path = folder.file("state/dtls.pem");  // parent folder created on first save
  auto first = DtlsCertificate::loadOrCreate(path);
  ASSERT_TRUE(first.ok()) << first.error().describe();
  ASSERT_TRUE(std::filesystem::exists(path));
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // No temporary file left beside it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}), 1);

  auto second = DtlsCertificate::loadOrCreate(path);
  ASSERT_TRUE(second.ok()) << second.error().describe();
  EXPECT_EQ(second->fingerprint(), first->fingerprint());
}

TEST(DtlsCertificateTest, LoadOrCreateRenewsANearlyExpiredCertificate) {
  TempFolder folder;
  const auto path = folder.file("dtls.pem");
  const auto longAgo =
      std::chrono::system_clock::now() - std::chrono::hours(24 * (DtlsCertificate::kValidityDays - 10));
  auto old = DtlsCertificate::generate(longAgo);
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->expiredAt(std::chrono::system_clock::now()));
  EXPECT_TRUE(old->expiredAt(std::chrono::system_clock::now() + std::chrono::hours(24 * 11)));
  ASSERT_TRUE(old->save(path).ok());

  auto renewed = DtlsCertificate::loadOrCreate(path);
  ASSERT_TRUE(renewed.ok()) << renewed.error().describe();
  EXPECT_NE(renewed->fingerprint(), old->fingerprint());
  auto reloaded = DtlsCertificate::loadOrCreate(path);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->fingerprint(), renewed->fingerprint());
}

TEST(DtlsCertificateTest, CorruptFileIsAClearErrorAndIsKept) {
  TempFolder folder;
  const auto path = folder.file("dtls.pem");
  writeFile(path, "this is not PEM\n");
  auto garbage = DtlsCertificate::loadOrCreate(path);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, base::ErrorCode::Malformed);
  EXPECT_NE(garbage.error().message.find(path.string()), std::string::npos) << garbage.error().message;
  EXPECT_NE(garbage.error().message.find("private key"), std::string::npos) << garbage.error().message;
  std::ifstream in(path);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "this is not PEM\n");  // not overwritten

  // A key with someone else's certificate.
  auto a = DtlsCertificate::generate();
  auto b = DtlsCertificate::generate();
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string pemA = a->toPem();
  const std::string pemB = b->toPem();
  const std::string mixed = pemA.substr(0, pemA.find("-----BEGIN CERTIFICATE-----")) +
                            pemB.substr(pemB.find("-----BEGIN CERTIFICATE-----"));
  writeFile(path, mixed);
  auto mismatch = DtlsCertificate::loadOrCreate(path);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code, base::ErrorCode::Malformed);
  EXPECT_NE(mismatch.error().message.find("does not belong"), std::string::npos) << mismatch.error().message;

  // A key but no certificate (a truncated write by something else).
  writeFile(path, pemA.substr(0, pemA.find("-----BEGIN CERTIFICATE-----")));
  auto keyOnly = DtlsCertificate::loadOrCreate(path);
  ASSERT_FALSE(keyOnly.ok());
  EXPECT_NE(keyOnly.error().message.find("certificate"), std::string::npos);

  // A certificate whose base64 was damaged.
  std::string damaged = pemA;
  damaged[damaged.find("-----BEGIN CERTIFICATE-----") + 40] ^= 0x01;
  writeFile(path, damaged);
  EXPECT_FALSE(DtlsCertificate::loadOrCreate(path).ok());
}

TEST(DtlsCertificateTest, UnwritableLocationIsAnIoError) {
  TempFolder folder;
  const auto blocker = folder.file("file");
  writeFile(blocker, "x");
  auto result = DtlsCertificate::loadOrCreate(blocker / "dtls.pem");  // parent is a file
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, base::ErrorCode::Io);
}

}  // namespace
}  // namespace ocellus::proto::webrtc
