#include "proto/webrtc/TransportAddress.h"

#include <gtest/gtest.h>

#include <map>
#include <unordered_set>
#include <vector>

namespace ocellus::proto::webrtc {
namespace {

TransportAddress parsed(std::string_view text) {
  const auto a = TransportAddress::parse(text);
  EXPECT_TRUE(a.has_value()) << text;
  return a.value_or(TransportAddress{});
}

TEST(TransportAddressTest, ParsesAndFormatsIpv4) {
  const auto a = parsed("192.0.2.1:32853");
  EXPECT_TRUE(a.isIpv4());
  EXPECT_EQ(a.family(), TransportAddress::Family::Ipv4);
  EXPECT_EQ(a.port(), 32853);
  EXPECT_EQ(std::vector<std::uint8_t>(a.addressBytes().begin(), a.addressBytes().end()),
            (std::vector<std::uint8_t>{192, 0, 2, 1}));
  EXPECT_EQ(a.ipString(), "192.0.2.1");
  EXPECT_EQ(a.toString(), "192.0.2.1:32853");
  EXPECT_EQ(parsed("0.0.0.0:0"), TransportAddress{});
  EXPECT_EQ(parsed("255.255.255.255:65535").toString(), "255.255.255.255:65535");
}

TEST(TransportAddressTest, ParsesAndFormatsIpv6AsRfc5952) {
  const auto a = parsed("[2001:db8:1234:5678:11:2233:4455:6677]:32853");
  EXPECT_TRUE(a.isIpv6());
  EXPECT_EQ(a.addressBytes().size(), 16u);
  EXPECT_EQ(a.addressBytes()[0], 0x20);
  EXPECT_EQ(a.addressBytes()[15], 0x77);
  EXPECT_EQ(a.toString(), "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
  // RFC 5952 §4: lower case, leading zeros dropped, the longest zero run as "::".
  EXPECT_EQ(parsed("[2001:DB8:0:0:0:0:0:0001]:5").toString(), "[2001:db8::1]:5");
  EXPECT_EQ(parsed("[::1]:8189").toString(), "[::1]:8189");
  EXPECT_EQ(parsed("[::]:1").ipString(), "::");
  EXPECT_EQ(TransportAddress::parseIp("fe80::1", 9)->toString(), "[fe80::1]:9");
}

TEST(TransportAddressTest, RejectsWhatIsNotAnAddressAndPort) {
  for (const char* text : {"",
                           "192.0.2.1",
                           "192.0.2.1:",
                           ":80",
                           "192.0.2.1:65536",
                           "192.0.2.1:-1",
                           "192.0.2.1:+5",
                           "192.0.2.1:8a",
                           "192.0.2.1:123456",
                           "192.0.2:80",
                           "010.0.0.1:80",
                           "256.0.0.1:80",
                           "localhost:80",
                           "[::1]",
                           "[::1]:",
                           "[::1]80",
                           "::1:80",
                           "[192.0.2.1]:80",
                           "[fe80::1%eth0]:80",
                           "[::1:80",
                           "[2001:db8::1::2]:5",
                           "192.0.2.1:80 ",
                           " 192.0.2.1:80",
                           "[0000:0000:0000:0000:0000:0000:0000:0000:0000:0000]:65535"}) {
    EXPECT_FALSE(TransportAddress::parse(text).has_value()) << text;
  }
  EXPECT_FALSE(TransportAddress::parseIp("", 1).has_value());
  EXPECT_FALSE(TransportAddress::parseIp(std::string(100, '1'), 1).has_value());
}

TEST(TransportAddressTest, ComparesHashesAndKeysMaps) {
  const auto a = parsed("192.0.2.1:5000");
  EXPECT_EQ(a, parsed("192.0.2.1:5000"));
  EXPECT_NE(a, parsed("192.0.2.1:5001"));
  EXPECT_NE(a, parsed("192.0.2.2:5000"));
  EXPECT_LT(a, parsed("192.0.2.1:5001"));
  EXPECT_LT(parsed("255.255.255.255:65535"), parsed("[::]:0"));  // IPv4 sorts first
  // An IPv4-mapped address is a different value until unmapped().
  EXPECT_NE(a, parsed("[::ffff:192.0.2.1]:5000"));
  EXPECT_EQ(a.hash(), parsed("192.0.2.1:5000").hash());

  std::unordered_set<TransportAddress> set;
  std::map<TransportAddress, int> map;
  for (int port = 1; port <= 100; ++port) {
    const auto v4 = TransportAddress::ipv4({10, 0, 0, 1}, static_cast<std::uint16_t>(port));
    const auto v6 = TransportAddress::ipv6({0x20, 0x01, 0x0d, 0xb8}, static_cast<std::uint16_t>(port));
    set.insert(v4);
    set.insert(v6);
    map[v4] = port;
    map[v6] = -port;
  }
  EXPECT_EQ(set.size(), 200u);
  EXPECT_EQ(map.size(), 200u);
  EXPECT_EQ(map.begin()->second, 1);
  EXPECT_EQ(map.rbegin()->second, -100);
  EXPECT_TRUE(set.contains(parsed("10.0.0.1:42")));
  EXPECT_TRUE(set.contains(parsed("[2001:db8::]:42")));
}

TEST(TransportAddressTest, UnmapsIpv4MappedIpv6) {
  // RFC 4291 §2.5.5.2: what a dual-stack socket reports for an IPv4 peer.
  const auto mapped = parsed("[::ffff:192.0.2.1]:5000");
  EXPECT_TRUE(mapped.isIpv6());
  EXPECT_EQ(mapped.toString(), "[::ffff:192.0.2.1]:5000");
  EXPECT_EQ(mapped.unmapped(), parsed("192.0.2.1:5000"));
  EXPECT_EQ(parsed("192.0.2.1:5000").unmapped(), parsed("192.0.2.1:5000"));
  EXPECT_EQ(parsed("[2001:db8::1]:5").unmapped(), parsed("[2001:db8::1]:5"));
  EXPECT_EQ(parsed("[::192.0.2.1]:5").unmapped(), parsed("[::192.0.2.1]:5"));  // IPv4-compatible: not mapped
}

}  // namespace
}  // namespace ocellus::proto::webrtc
