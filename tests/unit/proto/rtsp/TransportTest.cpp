#include "proto/rtsp/Transport.h"

#include <gtest/gtest.h>

namespace ocellus::proto::rtsp {
namespace {

Transport parseOk(std::string_view s) {
  auto t = Transport::parse(s);
  EXPECT_TRUE(t.ok()) << s << ": " << (t.ok() ? "" : t.error().describe());
  return t.ok() ? *t : Transport{};
}

TEST(TransportTest, RealHeaders) {
  // ffmpeg, tests/data/rtsp/ffmpeg_play_udp.client.bin
  auto udp = parseOk("RTP/AVP/UDP;unicast;client_port=15902-15903");
  EXPECT_EQ(udp.lower, Transport::Lower::Udp);
  EXPECT_FALSE(udp.multicast);
  EXPECT_EQ(udp.clientPort, (PortRange{15902, 15903}));
  EXPECT_FALSE(udp.mode.has_value());
  EXPECT_EQ(udp.toString(), "RTP/AVP;unicast;client_port=15902-15903");

  auto tcp = parseOk("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record");
  EXPECT_EQ(tcp.lower, Transport::Lower::Tcp);
  EXPECT_EQ(tcp.interleaved, (PortRange{0, 1}));
  EXPECT_EQ(tcp.mode, Transport::Mode::Record);
  EXPECT_EQ(tcp.toString(), "RTP/AVP/TCP;unicast;interleaved=0-1;mode=record");

  auto server = parseOk(
      "RTP/AVP/UDP;unicast;mode=receive;source=127.0.0.1;client_port=10716-10717;server_port=5000-5001");
  EXPECT_EQ(server.mode, Transport::Mode::Record);
  EXPECT_EQ(server.source, "127.0.0.1");
  EXPECT_EQ(server.serverPort, (PortRange{5000, 5001}));

  auto withSsrc = parseOk("RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=1234ABCD");
  EXPECT_EQ(withSsrc.ssrc, 0x1234ABCDu);
}

TEST(TransportTest, Rfc2326Multicast) {
  // RFC 2326 §12.39 example values.
  auto t = parseOk("RTP/AVP;multicast;destination=224.2.0.1;ttl=127;port=3456-3457;mode=\"PLAY\"");
  EXPECT_TRUE(t.multicast);
  EXPECT_EQ(t.destination, "224.2.0.1");
  EXPECT_EQ(t.ttl, 127);
  EXPECT_EQ(t.port, (PortRange{3456, 3457}));
  EXPECT_EQ(t.mode, Transport::Mode::Play);
  EXPECT_EQ(t.toString(), "RTP/AVP;multicast;destination=224.2.0.1;ttl=127;port=3456-3457;mode=play");
}

TEST(TransportTest, Tolerance) {
  auto t = parseOk(" rtp/avp/tcp ; Interleaved = 4 ; SSRC=abc ; MODE=\"record,play\" ; append ; x-foo=bar");
  EXPECT_EQ(t.lower, Transport::Lower::Tcp);
  EXPECT_EQ(t.interleaved, (PortRange{4, 4}));
  EXPECT_EQ(t.ssrc, 0xabcu);
  EXPECT_EQ(t.mode, Transport::Mode::Record);
  EXPECT_EQ(t.toString(), "RTP/AVP/TCP;unicast;interleaved=4;ssrc=00000ABC;mode=record");
}

TEST(TransportTest, RoundTrip) {
  Transport t;
  t.lower = Transport::Lower::Tcp;
  t.multicast = true;
  t.destination = "239.1.2.3";
  t.source = "10.0.0.1";
  t.interleaved = PortRange{2, 3};
  t.clientPort = PortRange{5000, 5001};
  t.serverPort = PortRange{6000, 6001};
  t.port = PortRange{7000, 7001};
  t.ttl = 16;
  t.ssrc = 0xdeadbeef;
  t.mode = Transport::Mode::Play;
  auto again = Transport::parse(t.toString());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, t);
}

TEST(TransportTest, Alternatives) {
  auto list = Transport::parseList(
      "RTP/SAVP;unicast;client_port=1-2, RTP/AVP;unicast;client_port=4588-4589,"
      "RTP/AVP/TCP;unicast;interleaved=0-1;mode=\"PLAY,RECORD\"");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].clientPort, (PortRange{4588, 4589}));
  EXPECT_EQ((*list)[1].mode, Transport::Mode::Play);

  auto none = Transport::parseList("RTP/SAVP;unicast, RAW/RAW/UDP;unicast");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(Transport::parseList("RTP/AVP;client_port=x, RTP/AVP/TCP").ok());
}

TEST(TransportTest, Rejects) {
  EXPECT_EQ(Transport::parse("RTP/SAVP;unicast").error().code, base::ErrorCode::Unsupported);
  for (const char* bad :
       {"", "RTP/AVP;client_port", "RTP/AVP;client_port=70000", "RTP/AVP;client_port=1-",
        "RTP/AVP/TCP;interleaved=256-257", "RTP/AVP;ttl=256", "RTP/AVP;ssrc=123456789", "RTP/AVP;ssrc=xyz",
        "RTP/AVP;mode=pause", "RTP/AVP;destination=\"a\"", "RTP/AVP;source=a,b"}) {
    auto t = Transport::parse(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().code, base::ErrorCode::Malformed) << bad;
  }
}

}  // namespace
}  // namespace ocellus::proto::rtsp
