#include "snapshot/GopDecoder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>

#include "codec/AnnexB.h"
#include "codec/av1/Obu.h"
#include "sources/testpattern/H264Encoder.h"
#include "sources/testpattern/Renderer.h"
#include "sources/testpattern/TimestampCodec.h"

namespace ocellus::snapshot {
namespace {

using namespace sources::testpattern;

constexpr std::uint64_t kSomeMillis = 1'700'000'000'123;

media::UnitPtr makeUnit(std::uint32_t track, std::int64_t pts, bool key, std::vector<std::uint8_t> data,
                        base::SteadyTime received = {}) {
  auto unit = media::UnitPool::forThisThread().acquire();
  unit->track = track;
  unit->pts = unit->dts = pts;
  unit->keyframe = key;
  unit->received = received;
  unit->data = std::move(data);
  return unit;
}

media::TrackInfo h264Track() {
  media::TrackInfo track;
  track.codec = codec::CodecId::H264;
  return track;
}

// Frames 0..count-1 of the test pattern at 320x240, 30 fps, in canonical form on track 0, with an
// audio unit (track 1) after each to be skipped. Frame i shows kSomeMillis + i and arrived at
// steady time i ms.
std::vector<media::UnitPtr> patternGop(int count) {
  auto encoder = H264Encoder::create({.width = 320, .height = 240, .fps = 30, .bitrateKbps = 500});
  EXPECT_TRUE(encoder.ok());
  const auto renderer = Renderer::create(320, 240);
  std::vector<std::uint8_t> frame(renderer->frameSize());
  std::vector<media::UnitPtr> units;
  for (int i = 0; i < count; ++i) {
    renderer->render(frame, i, kSomeMillis + i);
    const auto status =
        (*encoder)->encode(frame.data(), i * 3000, [&](auto annexB, std::int64_t pts, bool key) {
          std::vector<std::uint8_t> canonical;
          codec::annexBToCanonical(annexB, canonical);
          units.push_back(
              makeUnit(0, pts, key, std::move(canonical), base::SteadyTime(std::chrono::milliseconds(i))));
          units.push_back(makeUnit(1, pts, false, {0x21, 0x10}));
        });
    EXPECT_TRUE(status.ok());
  }
  return units;
}

// Frames 0..count-1 of the test pattern at 320x240 encoded by an FFmpeg encoder (linked directly:
// the server itself has only an H.264 encoder) in canonical form on track 0: libx265's Annex B
// becomes length-prefixed NAL units, libaom's AV1 temporal units lose their temporal
// delimiters, VP8/VP9 frames stay as they are. nullopt if this FFmpeg lacks the encoder. Needs
// ffmpeg::library() loaded (the fixture checks).
std::optional<std::vector<media::UnitPtr>> patternGopEncodedBy(const char* name, int count) {
  const AVCodec* encoder = avcodec_find_encoder_by_name(name);
  if (encoder == nullptr) return std::nullopt;
  sources::ffmpeg::CodecContextPtr context(avcodec_alloc_context3(encoder));
  context->width = 320;
  context->height = 240;
  context->pix_fmt = AV_PIX_FMT_YUV420P;
  context->time_base = AVRational{1, 90000};
  context->max_b_frames = 0;
  AVDictionary* options = nullptr;
  av_dict_set(&options, "preset", "ultrafast", 0);
  av_dict_set(&options, "x265-params", "log-level=error:bframes=0", 0);
  av_dict_set(&options, "cpu-used", "8", 0);    // libaom
  av_dict_set(&options, "usage", "realtime", 0);  // libaom
  av_dict_set(&options, "deadline", "realtime", 0);  // libvpx
  av_dict_set(&options, "lag-in-frames", "0", 0);
  EXPECT_EQ(avcodec_open2(context.get(), encoder, &options), 0);
  av_dict_free(&options);
  sources::ffmpeg::FramePtr frame(av_frame_alloc());
  frame->format = AV_PIX_FMT_YUV420P;
  frame->width = 320;
  frame->height = 240;
  EXPECT_EQ(av_frame_get_buffer(frame.get(), 0), 0);
  sources::ffmpeg::PacketPtr packet(av_packet_alloc());
  const auto renderer = Renderer::create(320, 240);
  std::vector<std::uint8_t> i420(renderer->frameSize());
  std::vector<media::UnitPtr> units;
  auto drain = [&] {
    while (avcodec_receive_packet(context.get(), packet.get()) == 0) {
      const std::span<const std::uint8_t> data(packet->data, static_cast<std::size_t>(packet->size));
      std::vector<std::uint8_t> canonical;
      if (encoder->id == AV_CODEC_ID_HEVC) {
        codec::annexBToCanonical(data, canonical);
      } else if (encoder->id == AV_CODEC_ID_AV1) {
        EXPECT_TRUE(codec::av1::forEachObu(data, [&](const codec::av1::Obu& obu) {
          if (obu.type != codec::av1::ObuType::TemporalDelimiter) canonical.insert(canonical.end(), obu.whole.begin(), obu.whole.end());
        }));
      } else {
        canonical.assign(data.begin(), data.end());
      }
      units.push_back(makeUnit(0, packet->pts, (packet->flags & AV_PKT_FLAG_KEY) != 0, std::move(canonical)));
      av_packet_unref(packet.get());
    }
  };
  for (int i = 0; i < count; ++i) {
    renderer->render(i420, i, kSomeMillis + i);
    EXPECT_EQ(av_frame_make_writable(frame.get()), 0);
    const std::uint8_t* source = i420.data();
    for (int plane = 0; plane < 3; ++plane) {
      const int w = plane == 0 ? 320 : 160;
      const int h = plane == 0 ? 240 : 120;
      for (int y = 0; y < h; ++y, source += w)
        std::memcpy(frame->data[plane] + y * frame->linesize[plane], source, w);
    }
    frame->pts = i * 3000;
    EXPECT_EQ(avcodec_send_frame(context.get(), frame.get()), 0);
    drain();
  }
  EXPECT_EQ(avcodec_send_frame(context.get(), nullptr), 0);
  drain();
  return units;
}

class GopDecoderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(sources::ffmpeg::library().ok()); }
};

TEST_F(GopDecoderTest, DecodesTheNewestPictureOfTheGop) {
  const auto units = patternGop(5);
  const auto picture = GopDecoder::decodeNewest(h264Track(), 0, units, "cam");
  ASSERT_TRUE(picture.ok()) << picture.error().describe();
  const AVFrame& frame = *picture->frame;
  EXPECT_EQ(frame.width, 320);
  EXPECT_EQ(frame.height, 240);
  EXPECT_EQ(frame.pts, 4 * 3000);
  EXPECT_EQ(picture->received, base::SteadyTime(std::chrono::milliseconds(4)));
  EXPECT_EQ(TimestampCodec::decode(frame.data[0], frame.width, frame.height, frame.linesize[0]),
            kSomeMillis + 4);
}

TEST_F(GopDecoderTest, DecodesH265Vp8Vp9AndAv1) {
  const std::pair<const char*, codec::CodecId> encoders[] = {{"libx265", codec::CodecId::H265},
                                                             {"libvpx", codec::CodecId::VP8},
                                                             {"libvpx-vp9", codec::CodecId::VP9},
                                                             {"libaom-av1", codec::CodecId::AV1}};
  for (const auto& [name, id] : encoders) {
    SCOPED_TRACE(name);
    const auto units = patternGopEncodedBy(name, 4);
    if (!units) {
      ADD_FAILURE() << "FFmpeg without " << name << " (scripts/deps.sh installs Debian's, which has it)";
      continue;
    }
    ASSERT_FALSE(units->empty());
    ASSERT_TRUE(units->front()->keyframe);
    EXPECT_TRUE(GopDecoder::decodes(id));
    media::TrackInfo track;
    track.codec = id;
    const auto picture = GopDecoder::decodeNewest(track, 0, *units, "cam");
    ASSERT_TRUE(picture.ok()) << picture.error().describe();
    const AVFrame& frame = *picture->frame;
    EXPECT_EQ(frame.width, 320);
    EXPECT_EQ(frame.height, 240);
    EXPECT_EQ(TimestampCodec::decode(frame.data[0], frame.width, frame.height, frame.linesize[0]),
              kSomeMillis + 3);
  }
}

TEST_F(GopDecoderTest, RefusesCodecsItCannotDecode) {
  media::TrackInfo aac;
  aac.codec = codec::CodecId::AAC;
  const auto picture = GopDecoder::decodeNewest(aac, 0, {makeUnit(0, 0, true, {1, 2, 3})}, "cam");
  ASSERT_FALSE(picture.ok());
  EXPECT_EQ(picture.error().code, base::ErrorCode::Unsupported);
}

TEST_F(GopDecoderTest, GarbageDecodesToNoPicture) {
  const std::vector<media::UnitPtr> units = {makeUnit(0, 0, true, {0, 0, 0, 4, 0x65, 0xff, 0xff, 0xff}),
                                             makeUnit(0, 3000, false, {0, 0, 0, 2, 0x41, 0x00})};
  const auto picture = GopDecoder::decodeNewest(h264Track(), 0, units, "cameras/x");
  ASSERT_FALSE(picture.ok());
  EXPECT_EQ(picture.error().code, base::ErrorCode::Malformed);
  EXPECT_NE(picture.error().message.find("cameras/x"), std::string::npos);
}

}  // namespace
}  // namespace ocellus::snapshot
