#include "rtp/rtcp/FeedbackHeader.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::rtp::rtcp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(FeedbackHeaderTest, ReadsTheSsrcsAndFci) {
  // RTPFB FMT=1 with one FCI word, then 4 octets of padding (RFC 3550 §6.4.1).
  const Bytes data = {0xa1, 0xcd, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
                      0x07, 0x08, 0xaa, 0xbb, 0xcc, 0xdd, 0x00, 0x00, 0x00, 0x04};
  auto fb = FeedbackHeader::parse(data, 205, 1);
  ASSERT_TRUE(fb);
  EXPECT_EQ(fb->senderSsrc, 0x01020304u);
  EXPECT_EQ(fb->mediaSsrc, 0x05060708u);
  EXPECT_EQ(Bytes(fb->fci.begin(), fb->fci.end()), (Bytes{0xaa, 0xbb, 0xcc, 0xdd}));
  EXPECT_FALSE(FeedbackHeader::parse(data, 206, 1));   // another type
  EXPECT_FALSE(FeedbackHeader::parse(data, 205, 15));  // another format
}

TEST(FeedbackHeaderTest, RejectsMissingSsrcs) {
  EXPECT_FALSE(FeedbackHeader::parse(Bytes{0x81, 0xce, 0x00, 0x01, 0, 0, 0, 1}, 206, 1));
  auto empty = FeedbackHeader::parse(Bytes{0x81, 0xce, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2}, 206, 1);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->fci.empty());
}

TEST(FeedbackHeaderTest, WritesTheHeaderAndSsrcs) {
  Bytes out;
  FeedbackHeader::write(out, 206, 4, 0x01020304, 0, 8);
  EXPECT_EQ(out, (Bytes{0x84, 0xce, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00}));
}

}  // namespace
}  // namespace ocellus::rtp::rtcp
