#include "proto/webrtc/DtlsAlertCipher.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "unit/TestData.h"

namespace ocellus::proto::webrtc {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes fromHex(const std::string& hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// A capture of capture_close_notify.py: "name value" lines.
std::map<std::string, std::string> capture(const std::string& file) {
  const Bytes bytes = test::readTestData("webrtc/dtls/" + file);
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  std::map<std::string, std::string> fields;
  for (std::string name, value; in >> name >> value;) fields[name] = value;
  return fields;
}

struct Recorded {
  DtlsAlertCipher::Suite suite;
  const char* file;
};

class RecordedCloseNotify : public ::testing::TestWithParam<Recorded> {
 protected:
  void SetUp() override {
    fields_ = capture(GetParam().file);
    ASSERT_EQ(fields_.size(), 6u) << GetParam().file;
    ASSERT_EQ(fields_["sender"], "server");
    record_ = fromHex(fields_["record"]);
  }
  // As the receiver (the client) or, with the roles swapped, as the sender.
  DtlsAlertCipher cipher(bool weAreClient) {
    return DtlsAlertCipher::derive(GetParam().suite, fromHex(fields_["master_secret"]),
                                   fromHex(fields_["client_random"]), fromHex(fields_["server_random"]),
                                   weAreClient)
        .value();
  }
  std::map<std::string, std::string> fields_;
  Bytes record_;
};

TEST_P(RecordedCloseNotify, OpensWithThePeersKeys) {
  ASSERT_EQ(record_.size(), DtlsAlertCipher::kRecordSize);
  const auto record = DtlsRecord::parse(record_).value();
  EXPECT_EQ(record.contentType(), dtls::kAlert);
  EXPECT_EQ(record.epoch(), DtlsAlertCipher::kEpoch);
  const auto alert = cipher(true).open(record);
  ASSERT_TRUE(alert.has_value());
  EXPECT_EQ(alert->level, DtlsAlert::kWarning);
  EXPECT_EQ(alert->description, DtlsAlert::kCloseNotify);
  // Our own write key is not the sender's.
  EXPECT_FALSE(cipher(false).open(record).has_value());
}

TEST_P(RecordedCloseNotify, RefusesEveryTamperedByte) {
  const DtlsAlertCipher c = cipher(true);
  // Every byte is either authenticated (header through the additional data, nonce, ciphertext,
  // tag) or checked (type, version, epoch, length).
  for (std::size_t i = 0; i < record_.size(); ++i) {
    Bytes tampered = record_;
    tampered[i] ^= 0x01;
    auto record = DtlsRecord::parse(tampered);
    EXPECT_FALSE(record && c.open(*record).has_value()) << "byte " << i;
  }
}

TEST_P(RecordedCloseNotify, SealsWhatThePeerOpens) {
  // The sender's cipher sealing afresh: the receiver opens it, with the sequence number given.
  const DtlsAlertCipher sender = cipher(false);
  const auto sealed = sender.seal({DtlsAlert::kFatal, 40}, 7);
  ASSERT_TRUE(sealed.has_value());
  const auto record = DtlsRecord::parse(*sealed).value();
  EXPECT_EQ(record.sequenceNumber(), 7u);
  EXPECT_EQ(record.version(), dtls::kVersion12);
  const auto alert = cipher(true).open(record);
  ASSERT_TRUE(alert.has_value());
  EXPECT_EQ(alert->level, DtlsAlert::kFatal);
  EXPECT_EQ(alert->description, 40);
  // The sequence number is authenticated: a record moved to another one is refused.
  Bytes moved(sealed->begin(), sealed->end());
  moved[10] ^= 1;
  EXPECT_FALSE(cipher(true).open(DtlsRecord::parse(moved).value()).has_value());
}

INSTANTIATE_TEST_SUITE_P(OpenSsl, RecordedCloseNotify,
                         ::testing::Values(Recorded{DtlsAlertCipher::Suite::Aes128GcmSha256,
                                                    "close_notify_openssl_aes128gcm.txt"},
                                           Recorded{DtlsAlertCipher::Suite::Aes256GcmSha384,
                                                    "close_notify_openssl_aes256gcm.txt"}));

TEST(DtlsAlertCipherTest, RefusesWrongSizesAndWhatIsNoAlert) {
  const Bytes master(48, 1), random(32, 2);
  EXPECT_EQ(
      DtlsAlertCipher::derive(DtlsAlertCipher::Suite::Aes128GcmSha256, Bytes(47, 1), random, random, true)
          .error()
          .code,
      base::ErrorCode::InvalidArgument);
  EXPECT_FALSE(
      DtlsAlertCipher::derive(DtlsAlertCipher::Suite::Aes128GcmSha256, master, Bytes(31, 2), random, true)
          .ok());
  const auto cipher =
      DtlsAlertCipher::derive(DtlsAlertCipher::Suite::Aes128GcmSha256, master, random, random, false).value();
  auto sealed = cipher.seal({}, 1).value();
  // An application data record or an epoch-0 alert with the same bytes is not opened.
  for (const auto& [at, value] : {std::pair{0, dtls::kApplicationData}, std::pair{4, std::uint8_t{0}}}) {
    Bytes changed(sealed.begin(), sealed.end());
    changed[at] = value;
    EXPECT_FALSE(cipher.open(DtlsRecord::parse(changed).value()).has_value());
  }
  // Two alerts in one record (RFC 5246 allows it; nobody sends it) or a cut one are refused.
  Bytes longer(sealed.begin(), sealed.end());
  longer.push_back(0);
  longer[12] += 1;
  EXPECT_FALSE(cipher.open(DtlsRecord::parse(longer).value()).has_value());
}

}  // namespace
}  // namespace ocellus::proto::webrtc
