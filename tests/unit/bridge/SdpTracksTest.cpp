#include "bridge/SdpTracks.h"

#include <gtest/gtest.h>

namespace ocellus::bridge {
namespace {

TEST(SdpTracksTest, ReaderSdpRoundTripsThroughThePublisherParser) {
  media::TrackInfo video;
  video.codec = codec::CodecId::H264;
  video.sps = {0x67, 0x42, 0xc0, 0x0d, 0xd9, 0x01, 0x41, 0xfb, 0x01, 0x10, 0x00, 0x00,
               0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0x20, 0xf1, 0x42, 0x99, 0x20};
  video.pps = {0x68, 0xcb, 0x83, 0xcb, 0x20};
  media::TrackInfo audio;
  audio.codec = codec::CodecId::AAC;
  audio.clockRate = 48000;
  audio.channels = 2;
  audio.audioConfig = {0x11, 0x90};
  media::TrackInfo law;
  law.codec = codec::CodecId::PCMA;
  law.clockRate = 8000;
  law.channels = 1;

  const auto sdp = sdpForTracks({video, audio, law}, "cam");
  const auto text = sdp.toString();
  EXPECT_NE(text.find("profile-level-id=42c00d"), std::string::npos) << text;
  EXPECT_NE(text.find("a=control:trackID=1"), std::string::npos);
  EXPECT_NE(text.find("m=audio 0 RTP/AVP 8"), std::string::npos) << text;  // static payload type

  auto reparsed = format::sdp::SessionDescription::parse(text);
  ASSERT_TRUE(reparsed.ok()) << reparsed.error().message;
  auto tracks = tracksFromSdp(*reparsed);
  ASSERT_TRUE(tracks.ok()) << tracks.error().message;
  ASSERT_EQ(tracks->size(), 3u);
  EXPECT_EQ((*tracks)[0].info.codec, codec::CodecId::H264);
  EXPECT_EQ((*tracks)[0].info.sps, video.sps);
  EXPECT_EQ((*tracks)[0].info.pps, video.pps);
  EXPECT_EQ((*tracks)[0].control, "trackID=0");
  EXPECT_EQ((*tracks)[1].info.codec, codec::CodecId::AAC);
  EXPECT_EQ((*tracks)[1].info.audioConfig, audio.audioConfig);
  EXPECT_EQ((*tracks)[1].info.channels, 2u);
  EXPECT_EQ((*tracks)[2].info.codec, codec::CodecId::PCMA);
  EXPECT_EQ((*tracks)[2].payloadType, 8);
}

TEST(SdpTracksTest, UnsupportedCodecsAreSkippedAndNamed) {
  auto sdp = format::sdp::SessionDescription::parse(
      "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\n"
      "m=video 0 RTP/AVP 96\r\na=rtpmap:96 MP4V-ES/90000\r\n"
      "m=audio 0 RTP/AVP 0\r\n");
  ASSERT_TRUE(sdp.ok());
  std::vector<std::string> skipped;
  auto tracks = tracksFromSdp(*sdp, &skipped);
  ASSERT_TRUE(tracks.ok());
  ASSERT_EQ(tracks->size(), 1u);
  EXPECT_EQ((*tracks)[0].info.codec, codec::CodecId::PCMU);
  EXPECT_EQ(skipped, std::vector<std::string>{"video/MP4V-ES"});

  auto only = format::sdp::SessionDescription::parse(
      "v=0\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 MP4V-ES/90000\r\n");
  ASSERT_TRUE(only.ok());
  auto none = tracksFromSdp(*only);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("video/MP4V-ES"), std::string::npos);
}

TEST(SdpTracksTest, Vp8Vp9AndAv1RoundTrip) {
  std::vector<media::TrackInfo> tracks(3);
  tracks[0].codec = codec::CodecId::VP8;
  tracks[1].codec = codec::CodecId::VP9;
  tracks[2].codec = codec::CodecId::AV1;
  const auto text = sdpForTracks(tracks, "cam").toString();
  for (const char* line : {"a=rtpmap:96 VP8/90000", "a=rtpmap:97 VP9/90000", "a=rtpmap:98 AV1/90000"}) {
    EXPECT_NE(text.find(line), std::string::npos) << text;
  }
  auto reparsed = format::sdp::SessionDescription::parse(text);
  ASSERT_TRUE(reparsed.ok());
  auto back = tracksFromSdp(*reparsed);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*back)[i].info.codec, tracks[i].codec);
    EXPECT_EQ((*back)[i].info.clockRate, 90000u);
  }
}

}  // namespace
}  // namespace ocellus::bridge
