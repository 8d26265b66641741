#include "io/Udp.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <cerrno>
#include <cstdint>
#include <vector>

namespace ocellus::io {
namespace {

namespace net = boost::asio;

struct Pair {
  net::io_context loop;
  net::ip::udp::socket sender{loop};
  net::ip::udp::socket receiver{loop};
  net::ip::udp::endpoint to;

  Pair() {
    const Address any{"127.0.0.1", 0};
    EXPECT_TRUE(bindUdp(sender, any).ok());
    EXPECT_TRUE(bindUdp(receiver, any).ok());
    to = receiver.local_endpoint();
  }

  // The datagrams waiting on the receiver, in order.
  std::vector<std::vector<std::uint8_t>> received() {
    std::vector<std::vector<std::uint8_t>> out;
    std::vector<std::uint8_t> buffer(65536);
    for (;;) {
      boost::system::error_code ec;
      const auto n = receiver.receive(net::buffer(buffer), 0, ec);
      if (ec) break;
      out.emplace_back(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    }
    return out;
  }
};

std::vector<std::uint8_t> filled(std::size_t n, std::uint8_t value) { return std::vector<std::uint8_t>(n, value); }

TEST(UdpTest, SendSegmentsSplitsATrainIntoDatagramsOfTheSegmentSize) {
  Pair pair;
  std::vector<std::uint8_t> train;
  for (const auto& part : {filled(1216, 1), filled(1216, 2), filled(345, 3)}) train.insert(train.end(), part.begin(), part.end());
  const int error = sendSegments(pair.sender, pair.to, train, 1216);
  if (error == EIO || error == EINVAL || error == ENOPROTOOPT) GTEST_SKIP() << "no UDP GSO on loopback here";
  ASSERT_EQ(error, 0);
  const auto got = pair.received();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], filled(1216, 1));
  EXPECT_EQ(got[1], filled(1216, 2));
  EXPECT_EQ(got[2], filled(345, 3));
}

TEST(UdpTest, SendSegmentsRefusesMoreSegmentsThanTheKernelTakes) {
  Pair pair;
  const auto train = filled(1000 * 60, 9);  // 1000 segments: more than any kernel's UDP_MAX_SEGMENTS
  EXPECT_NE(sendSegments(pair.sender, pair.to, train, 60), 0);
  EXPECT_TRUE(pair.received().empty());
}

}  // namespace
}  // namespace ocellus::io
