#include "proto/webrtc/DtlsRecord.h"

#include <gtest/gtest.h>

#include "unit/TestData.h"

namespace ocellus::proto::webrtc {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes record(std::uint8_t type, std::uint16_t version, std::uint16_t epoch, std::uint64_t seq,
             Bytes fragment) {
  Bytes out(DtlsRecord::kHeaderSize);
  writeDtlsRecordHeader(std::span<std::uint8_t, DtlsRecord::kHeaderSize>(out.data(), DtlsRecord::kHeaderSize),
                        type, version, epoch, seq, static_cast<std::uint16_t>(fragment.size()));
  out.insert(out.end(), fragment.begin(), fragment.end());
  return out;
}

TEST(DtlsRecordTest, ChromiumClientHelloInTwoFragments) {
  // Chromium 156 (BoringSSL) offers DTLS 1.3 and 1.2 and a post-quantum key share, so its
  // 1413-byte ClientHello needs two datagrams at its 1200-byte MTU.
  const Bytes first = test::readTestData("webrtc/dtls/chromium156_clienthello_1.bin");
  const Bytes second = test::readTestData("webrtc/dtls/chromium156_clienthello_2.bin");
  ASSERT_EQ(first.size(), 1200u);
  ASSERT_FALSE(second.empty());
  auto records = DtlsRecord::parseDatagram(first);
  ASSERT_TRUE(records.ok()) << records.error().describe();
  ASSERT_EQ(records->size(), 1u);
  const DtlsRecord& r = records->front();
  EXPECT_EQ(r.contentType(), dtls::kHandshake);
  EXPECT_EQ(r.version(), dtls::kVersion10);  // ClientHello records say DTLS 1.0 (RFC 6347 §4.1)
  EXPECT_EQ(r.epoch(), 0);
  EXPECT_EQ(r.sequenceNumber(), 0u);
  EXPECT_EQ(r.fragment().size(), 1187u);
  auto h = r.handshakeHeader();
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->msgType, dtls::kClientHello);
  EXPECT_EQ(h->length, 1413u);
  EXPECT_EQ(h->messageSeq, 0);
  EXPECT_EQ(h->fragmentOffset, 0u);
  EXPECT_EQ(h->fragmentLength, 1175u);
  EXPECT_TRUE(DtlsRecord::isClientHello(first));

  auto rest = DtlsRecord::parseDatagram(second);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->front().sequenceNumber(), 1u);
  auto h2 = rest->front().handshakeHeader();
  ASSERT_TRUE(h2.has_value());
  EXPECT_EQ(h2->fragmentOffset, 1175u);
  EXPECT_EQ(h2->fragmentOffset + h2->fragmentLength, h2->length);
  EXPECT_TRUE(DtlsRecord::isClientHello(second));  // a fragment of one
}

TEST(DtlsRecordTest, ForeignAndOwnClientHellos) {
  for (const char* name :
       {"webrtc/dtls/dtls_clienthello_openssl.bin", "webrtc/dtls/dtls_clienthello_ocellus.bin"}) {
    const Bytes hello = test::readTestData(name);
    ASSERT_FALSE(hello.empty()) << name;
    EXPECT_TRUE(DtlsRecord::isClientHello(hello)) << name;
    auto records = DtlsRecord::parseDatagram(hello);
    ASSERT_TRUE(records.ok()) << name;
    ASSERT_EQ(records->size(), 1u);
    auto h = records->front().handshakeHeader();
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->fragmentOffset, 0u);
    EXPECT_EQ(h->fragmentLength, h->length) << name;  // small enough for one datagram
    EXPECT_EQ(records->front().size(), hello.size());
  }
}

TEST(DtlsRecordTest, FlightsWithSeveralRecords) {
  // Our server's first flight: ServerHello, Certificate, ServerKeyExchange, CertificateRequest,
  // ServerHelloDone in one datagram, message_seq 0..4.
  const Bytes flight = test::readTestData("webrtc/dtls/dtls_server_flight_ocellus.bin");
  auto records = DtlsRecord::parseDatagram(flight);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 5u);
  const std::uint8_t types[] = {2, 11, 12, 13, 14};
  std::size_t total = 0;
  for (std::size_t i = 0; i < records->size(); ++i) {
    const DtlsRecord& r = (*records)[i];
    EXPECT_EQ(r.version(), dtls::kVersion12);
    EXPECT_EQ(r.sequenceNumber(), i);
    EXPECT_EQ(r.bytes().data(), flight.data() + total);
    total += r.size();
    auto h = r.handshakeHeader();
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->msgType, types[i]);
    EXPECT_EQ(h->messageSeq, i);
  }
  EXPECT_EQ(total, flight.size());
  EXPECT_FALSE(DtlsRecord::isClientHello(flight));

  // Chromium's second flight ends with ChangeCipherSpec and its Finished, encrypted in epoch 1.
  const Bytes chromium = test::readTestData("webrtc/dtls/chromium156_client_flight.bin");
  auto last = DtlsRecord::parseDatagram(chromium);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 5u);
  EXPECT_EQ((*last)[3].contentType(), dtls::kChangeCipherSpec);
  EXPECT_EQ((*last)[3].fragment().size(), 1u);
  EXPECT_EQ((*last)[4].contentType(), dtls::kHandshake);
  EXPECT_EQ((*last)[4].epoch(), 1);
  EXPECT_EQ((*last)[4].sequenceNumber(), 0u);              // each epoch counts from 0 (RFC 6347 §4.1)
  EXPECT_FALSE((*last)[4].handshakeHeader().has_value());  // encrypted: no header to read

  const Bytes finished = test::readTestData("webrtc/dtls/dtls_server_finished_ocellus.bin");
  auto fin = DtlsRecord::parseDatagram(finished);
  ASSERT_TRUE(fin.ok());
  EXPECT_EQ(fin->size(), 2u);
}

TEST(DtlsRecordTest, HeaderRoundTrip) {
  const Bytes r = record(dtls::kApplicationData, dtls::kVersion12, 0x0102, 0x0000a1b2c3d4e5f6ULL, {9, 8, 7});
  auto parsed = DtlsRecord::parse(r);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->contentType(), dtls::kApplicationData);
  EXPECT_EQ(parsed->epoch(), 0x0102);
  EXPECT_EQ(parsed->sequenceNumber(), 0xa1b2c3d4e5f6ULL);
  EXPECT_EQ(Bytes(parsed->fragment().begin(), parsed->fragment().end()), (Bytes{9, 8, 7}));
  // Only the low 48 bits of the sequence number exist on the wire.
  const Bytes wide = record(dtls::kApplicationData, dtls::kVersion12, 0, 0xffff000000000001ULL, {1});
  EXPECT_EQ(DtlsRecord::parse(wide)->sequenceNumber(), 1u);
  // Zero-length application data is allowed (RFC 5246 §6.2.1).
  EXPECT_TRUE(DtlsRecord::parse(record(dtls::kApplicationData, dtls::kVersion12, 1, 0, {})).ok());
}

TEST(DtlsRecordTest, Rejects) {
  const Bytes good = record(dtls::kAlert, dtls::kVersion12, 0, 0, {2, 40});
  EXPECT_EQ(DtlsRecord::parseDatagram({}).error().code, base::ErrorCode::Truncated);
  EXPECT_EQ(DtlsRecord::parse(Bytes(good.begin(), good.begin() + 12)).error().code,
            base::ErrorCode::Truncated);
  EXPECT_EQ(DtlsRecord::parse(Bytes(good.begin(), good.end() - 1)).error().code, base::ErrorCode::Truncated);
  for (std::uint8_t type : {0, 19, 25, 32, 47, 63, 128}) {
    EXPECT_EQ(DtlsRecord::parse(record(type, dtls::kVersion12, 0, 0, {1})).error().code,
              base::ErrorCode::Unsupported)
        << int{type};
  }
  for (std::uint16_t version : {0x0303, 0xfefc, 0xfe00, 0x0100}) {
    EXPECT_EQ(DtlsRecord::parse(record(dtls::kHandshake, version, 0, 0, {1})).error().code,
              base::ErrorCode::Unsupported);
  }
  for (std::uint8_t type : {dtls::kHandshake, dtls::kAlert, dtls::kChangeCipherSpec}) {
    EXPECT_EQ(DtlsRecord::parse(record(type, dtls::kVersion12, 0, 0, {})).error().code,
              base::ErrorCode::Malformed);
  }
  Bytes huge =
      record(dtls::kApplicationData, dtls::kVersion12, 1, 0, Bytes(DtlsRecord::kMaxFragmentSize + 1));
  EXPECT_EQ(DtlsRecord::parse(huge).error().code, base::ErrorCode::TooLarge);
  // Trailing bytes that are no record make the whole datagram malformed.
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(DtlsRecord::parseDatagram(trailing).ok());
  EXPECT_TRUE(DtlsRecord::parse(trailing).ok());  // the first record alone is fine
  // At most kMaxRecordsPerDatagram records.
  Bytes many;
  for (std::size_t i = 0; i <= DtlsRecord::kMaxRecordsPerDatagram; ++i)
    many.insert(many.end(), good.begin(), good.end());
  EXPECT_EQ(DtlsRecord::parseDatagram(many).error().code, base::ErrorCode::TooLarge);
  many.resize(good.size() * DtlsRecord::kMaxRecordsPerDatagram);
  EXPECT_EQ(DtlsRecord::parseDatagram(many)->size(), DtlsRecord::kMaxRecordsPerDatagram);
}

TEST(DtlsRecordTest, HandshakeHeaderMustFitMessageAndRecord) {
  // msg_type 1, length 10, message_seq 0, fragment_offset 4, fragment_length 6: the last bytes.
  const Bytes header = {1, 0, 0, 10, 0, 0, 0, 0, 4, 0, 0, 6};
  Bytes fragment = header;
  fragment.resize(header.size() + 6);
  const Bytes whole = record(dtls::kHandshake, dtls::kVersion10, 0, 0, fragment);
  auto ok = DtlsRecord::parse(whole);
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(ok->handshakeHeader().has_value());
  EXPECT_EQ(ok->handshakeHeader()->fragmentOffset, 4u);

  Bytes pastMessage = fragment;
  pastMessage[8] = 5;  // offset 5 + length 6 > 10
  EXPECT_FALSE(
      DtlsRecord::parse(record(dtls::kHandshake, dtls::kVersion10, 0, 0, pastMessage))->handshakeHeader());
  Bytes pastRecord(fragment.begin(), fragment.end() - 1);  // 5 bytes of a 6-byte fragment
  EXPECT_FALSE(
      DtlsRecord::parse(record(dtls::kHandshake, dtls::kVersion10, 0, 0, pastRecord))->handshakeHeader());
  Bytes shortHeader(header.begin(), header.begin() + 11);
  const Bytes shortRecord = record(dtls::kHandshake, dtls::kVersion10, 0, 0, shortHeader);
  EXPECT_FALSE(DtlsRecord::parse(shortRecord)->handshakeHeader());
  EXPECT_FALSE(DtlsRecord::isClientHello(shortRecord));
  // Epoch 1 handshake records are encrypted, whatever their bytes look like.
  EXPECT_FALSE(
      DtlsRecord::parse(record(dtls::kHandshake, dtls::kVersion12, 1, 0, fragment))->handshakeHeader());
  EXPECT_FALSE(DtlsRecord::isClientHello(record(dtls::kHandshake, dtls::kVersion12, 1, 0, fragment)));
  // A ServerHello is not a ClientHello.
  Bytes serverHello = fragment;
  serverHello[0] = 2;
  EXPECT_FALSE(DtlsRecord::isClientHello(record(dtls::kHandshake, dtls::kVersion12, 0, 0, serverHello)));
}

}  // namespace
}  // namespace ocellus::proto::webrtc
