#include "format/sdp/SessionDescription.h"

#include <gtest/gtest.h>

#include <string>

#include "unit/TestData.h"

namespace ocellus::format::sdp {
namespace {

std::string readSdp(const std::string& name) {
  const auto bytes = test::readTestData("sdp/" + name);
  return {bytes.begin(), bytes.end()};
}

std::string toCrlf(const std::string& lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

class SdpFileTest : public ::testing::TestWithParam<const char*> {};

// Every file is in RFC 4566 order, so serialization reproduces it byte for byte (with CRLF).
TEST_P(SdpFileTest, RoundTripsByteForByte) {
  const std::string text = readSdp(GetParam());
  ASSERT_FALSE(text.empty());
  auto sd = SessionDescription::parse(text);
  ASSERT_TRUE(sd.ok()) << sd.error().describe();
  const std::string crlf = text.find('\r') == std::string::npos ? toCrlf(text) : text;
  EXPECT_EQ(sd->toString(), crlf);
  auto again = SessionDescription::parse(sd->toString());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *sd);
}

INSTANTIATE_TEST_SUITE_P(Files, SdpFileTest,
                         ::testing::Values("ffmpeg_h264.sdp", "ffmpeg_h264_aac.sdp", "ffmpeg_h265_opus.sdp",
                                           "ffmpeg_pcmu.sdp", "camera_h264_pcmu.sdp",
                                           "camera_h265_aac_onvif.sdp", "live555_mpegts_lf.sdp",
                                           "multicast_h264_g711.sdp", "rfc2326_seminar.sdp"));

TEST(SessionDescriptionTest, FfmpegH264Aac) {
  auto sd = SessionDescription::parse(readSdp("ffmpeg_h264_aac.sdp"));
  ASSERT_TRUE(sd.ok()) << sd.error().describe();
  EXPECT_EQ(sd->origin.address, "127.0.0.1");
  EXPECT_EQ(sd->sessionName, "No Name");
  EXPECT_FALSE(sd->connection.has_value());
  EXPECT_EQ(sd->attribute("tool"), "libavformat LIBAVFORMAT_VERSION");
  ASSERT_EQ(sd->media.size(), 2u);

  const auto& video = sd->media[0];
  EXPECT_EQ(video.media, "video");
  EXPECT_EQ(video.port, 5004);
  EXPECT_EQ(video.proto, "RTP/AVP");
  EXPECT_EQ(video.payloadTypes(), std::vector<std::uint8_t>{96});
  ASSERT_TRUE(video.connection.has_value());
  EXPECT_EQ(video.connection->address, "127.0.0.1");
  EXPECT_EQ(video.rtpmap(96), (RtpMap{96, "H264", 90000, 1}));
  const auto fmtp = video.fmtp(96);
  EXPECT_EQ(fmtp.at("packetization-mode"), "1");
  EXPECT_EQ(fmtp.at("sprop-parameter-sets"), "Z2QADazZQUH7ARAAAAMAEAAAAwMg8UKZYA==,aOvjyyLA");
  EXPECT_EQ(fmtp.at("profile-level-id"), "64000D");
  EXPECT_TRUE(video.fmtp(97).empty());

  const auto& audio = sd->media[1];
  EXPECT_EQ(audio.rtpmap(97), (RtpMap{97, "MPEG4-GENERIC", 44100, 1}));
  ASSERT_EQ(audio.lines.size(), 1u);
  EXPECT_EQ(audio.lines[0], (Line{'b', "AS:69"}));
  EXPECT_EQ(audio.fmtp(97).at("config"), "120856E500");
  EXPECT_EQ(audio.fmtp(97).at("sizelength"), "13");
}

TEST(SessionDescriptionTest, FfmpegH265Opus) {
  auto sd = SessionDescription::parse(readSdp("ffmpeg_h265_opus.sdp"));
  ASSERT_TRUE(sd.ok()) << sd.error().describe();
  ASSERT_EQ(sd->media.size(), 2u);
  EXPECT_EQ(sd->media[0].rtpmap(96)->encoding, "H265");
  EXPECT_EQ(sd->media[0].fmtp(96).at("sprop-vps"), "QAEMAf//AWAAAAMAkAAAAwAAAwA8lZgJ");
  EXPECT_EQ(sd->media[1].rtpmap(97), (RtpMap{97, "opus", 48000, 2}));
}

TEST(SessionDescriptionTest, CameraControlsAndDirection) {
  auto sd = SessionDescription::parse(readSdp("camera_h265_aac_onvif.sdp"));
  ASSERT_TRUE(sd.ok()) << sd.error().describe();
  EXPECT_EQ(sd->control(), "*");
  ASSERT_EQ(sd->media.size(), 3u);
  EXPECT_EQ(sd->media[0].control(), "trackID=0");
  EXPECT_EQ(sd->media[1].control(), "trackID=1");
  EXPECT_EQ(sd->media[2].media, "application");
  EXPECT_EQ(sd->media[2].rtpmap(107)->encoding, "vnd.onvif.metadata");
  EXPECT_EQ(sd->media[0].direction(sd->direction()), Direction::RecvOnly);
  const auto fmtp = sd->media[0].fmtp(98);
  EXPECT_EQ(fmtp.size(), 4u);
  EXPECT_EQ(fmtp.at("sprop-pps"), "RAHBcrRiQA==");
  EXPECT_EQ(sd->media[1].rtpmap(97), (RtpMap{97, "MPEG4-GENERIC", 16000, 1}));
  EXPECT_EQ(sd->media[1].fmtp(97).at("config"), "1408");
}

TEST(SessionDescriptionTest, HikvisionStyleAbsoluteControlAndStaticPayloadType) {
  auto sd = SessionDescription::parse(readSdp("camera_h264_pcmu.sdp"));
  ASSERT_TRUE(sd.ok()) << sd.error().describe();
  EXPECT_EQ(sd->origin.sessionId, "1700000000000000");
  EXPECT_EQ(sd->lines, (std::vector<Line>{{'e', "NONE"}, {'b', "AS:5100"}}));
  EXPECT_EQ(sd->media[0].control(),
            "rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast");
  EXPECT_EQ(sd->media[1].rtpmap(0), (RtpMap{0, "PCMU", 8000, 1}));
  EXPECT_EQ(sd->media[1].attribute("Media_header")->substr(0, 10), "MEDIAINFO=");
}

TEST(SessionDescriptionTest, StaticPayloadTypeWithoutRtpmap) {
  auto sd = SessionDescription::parse(readSdp("live555_mpegts_lf.sdp"));
  ASSERT_TRUE(sd.ok()) << sd.error().describe();
  EXPECT_EQ(sd->lines, (std::vector<Line>{{'i', "stanag.ts"}}));
  ASSERT_EQ(sd->media.size(), 1u);
  EXPECT_EQ(sd->media[0].rtpmap(33), (RtpMap{33, "MP2T", 90000, 1}));
  EXPECT_FALSE(sd->media[0].rtpmap(96).has_value());
  EXPECT_EQ(sd->media[0].control(), "track1");
}

TEST(SessionDescriptionTest, MulticastAndSessionLevelDirection) {
  auto sd = SessionDescription::parse(readSdp("multicast_h264_g711.sdp"));
  ASSERT_TRUE(sd.ok()) << sd.error().describe();
  EXPECT_EQ(sd->connection->address, "239.10.10.10/16");
  EXPECT_EQ(sd->direction(), Direction::SendOnly);
  EXPECT_EQ(sd->media[0].direction(sd->direction()), Direction::SendOnly);
  EXPECT_EQ(sd->media[1].direction(sd->direction()), Direction::RecvOnly);
  EXPECT_EQ(sd->media[1].payloadTypes(), (std::vector<std::uint8_t>{0, 8}));
  EXPECT_EQ(sd->media[1].rtpmap(8)->encoding, "PCMA");
}

TEST(SessionDescriptionTest, BuildsWhatItParses) {
  SessionDescription sd;
  sd.sessionName = "Stream";
  sd.attributes.push_back({"control", "*"});
  MediaDescription m;
  m.formats = {"96"};
  m.attributes.push_back({"rtpmap", RtpMap{96, "H264", 90000}.toString()});
  m.attributes.push_back({"fmtp", "96 packetization-mode=1"});
  m.attributes.push_back({"control", "trackID=0"});
  m.attributes.push_back({"sendonly", ""});
  sd.media.push_back(m);
  EXPECT_EQ(sd.toString(),
            "v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\ns=Stream\r\nt=0 0\r\na=control:*\r\n"
            "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\n"
            "a=control:trackID=0\r\na=sendonly\r\n");
  auto parsed = SessionDescription::parse(sd.toString());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, sd);
}

TEST(SessionDescriptionTest, ReordersKeptLinesIntoRfcOrder) {
  auto sd = SessionDescription::parse("v=0\nt=0 0\nb=AS:1\nx=unknown\ni=info\nc=IN IP4 1.2.3.4\n");
  ASSERT_TRUE(sd.ok()) << sd.error().describe();
  EXPECT_EQ(sd->lines, (std::vector<Line>{{'i', "info"}, {'b', "AS:1"}, {'x', "unknown"}}));
  EXPECT_EQ(sd->toString(),
            "v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\ns=-\r\ni=info\r\nc=IN IP4 1.2.3.4\r\nb=AS:1\r\nt=0 "
            "0\r\nx=unknown\r\n");
}

TEST(SessionDescriptionTest, RejectsBadStructure) {
  const char* bad[] = {
      "",                                                             // empty
      "o=- 0 0 IN IP4 1.2.3.4\r\nv=0\r\n",                            // v= not first
      "v=1\r\n",                                                      // unknown version
      "v=0\r\nv=0\r\n",                                               // repeated v=
      "v=0\r\nbad line\r\n",                                          // not <type>=<value>
      "v=0\r\nA=upper\r\n",                                           // type is not a lower-case letter
      "v=0\r\no=- 0 0 IN IP4\r\n",                                    // o= with five fields
      "v=0\r\ns=a\r\ns=b\r\n",                                        // repeated s=
      "v=0\r\nt=now 0\r\n",                                           // t= not numeric
      "v=0\r\nc=IN IP4\r\n",                                          // c= with two fields
      "v=0\r\nm=video 0 RTP/AVP\r\n",                                 // m= without formats
      "v=0\r\nm=video 70000 RTP/AVP 96\r\n",                          // port out of range
      "v=0\r\nm=video 0/0 RTP/AVP 96\r\n",                            // zero port count
      "v=0\r\nm=video 0 RTP/AVP 96\r\ns=late\r\n",                    // session line in a media section
      "v=0\r\nm=video 0 RTP/AVP 96\r\nc=IN IP4 a\r\nc=IN IP4 b\r\n",  // repeated c=
      "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264\r\n",          // rtpmap without clock rate
      "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:200 H264/90000\r\n",   // payload type > 127
      "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/0\r\n",        // zero clock rate
  };
  for (const char* text : bad) {
    auto sd = SessionDescription::parse(text);
    ASSERT_FALSE(sd.ok()) << text;
    EXPECT_EQ(sd.error().code, base::ErrorCode::Malformed) << text;
  }
}

TEST(SessionDescriptionTest, EnforcesLimits) {
  std::string big = "v=0\r\n";
  while (big.size() <= SessionDescription::kMaxSize) big += "a=x:" + std::string(100, 'y') + "\r\n";
  auto tooBig = SessionDescription::parse(big);
  ASSERT_FALSE(tooBig.ok());
  EXPECT_EQ(tooBig.error().code, base::ErrorCode::TooLarge);

  std::string many = "v=0\r\n";
  for (std::size_t i = 1; i < SessionDescription::kMaxLines; ++i) many += "a=x\r\n";
  EXPECT_TRUE(SessionDescription::parse(many).ok());
  many += "a=x\r\n";
  auto tooMany = SessionDescription::parse(many);
  ASSERT_FALSE(tooMany.ok());
  EXPECT_EQ(tooMany.error().code, base::ErrorCode::TooLarge);
}

}  // namespace
}  // namespace ocellus::format::sdp
