#include "sources/testpattern/H264Encoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sources/testpattern/Renderer.h"
#include "sources/testpattern/TimestampCodec.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
}

namespace ocellus::sources::testpattern {
namespace {

constexpr std::uint64_t kSomeMillis = 1'700'000'000'123;
constexpr std::int64_t kTicksPerFrame = 90000 / 30;

struct AccessUnit {
  std::vector<std::uint8_t> bytes;
  std::int64_t pts;
  bool keyframe;
};

// The NAL units of an Annex B access unit, without start codes (H.264 Annex B.1).
std::vector<std::span<const std::uint8_t>> nalUnits(std::span<const std::uint8_t> au) {
  std::vector<std::size_t> starts;  // first byte after each 00 00 01
  for (std::size_t i = 0; i + 2 < au.size(); ++i) {
    if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1) starts.push_back(i + 3);
  }
  std::vector<std::span<const std::uint8_t>> nals;
  for (std::size_t n = 0; n < starts.size(); ++n) {
    std::size_t end = n + 1 < starts.size() ? starts[n + 1] - 3 : au.size();
    while (end > starts[n] && au[end - 1] == 0) --end;  // the zero_byte of a 4-byte start code
    nals.push_back(au.subspan(starts[n], end - starts[n]));
  }
  return nals;
}

std::vector<int> nalTypes(const AccessUnit& au) {
  std::vector<int> types;
  for (auto nal : nalUnits(au.bytes)) types.push_back(nal[0] & 0x1F);
  return types;
}

bool contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Renders and encodes `count` frames at 30 fps; `before(i)` runs before frame i is encoded.
std::vector<AccessUnit> encodeFrames(
    H264Encoder& encoder, int count, const std::function<void(int)>& before = [](int) {}) {
  const auto renderer = Renderer::create(encoder.config().width, encoder.config().height);
  EXPECT_TRUE(renderer.ok());
  std::vector<std::uint8_t> frame(renderer->frameSize());
  std::vector<AccessUnit> aus;
  for (int i = 0; i < count; ++i) {
    before(i);
    EXPECT_TRUE(renderer->render(frame, i, kSomeMillis + i * 33));
    const std::size_t already = aus.size();
    const auto status = encoder.encode(frame.data(), i * kTicksPerFrame,
                                       [&](std::span<const std::uint8_t> annexB, std::int64_t pts, bool key) {
                                         aus.push_back({{annexB.begin(), annexB.end()}, pts, key});
                                       });
    EXPECT_TRUE(status.ok()) << status.error().describe();
    EXPECT_EQ(aus.size(), already + 1) << "frame " << i << " did not come out at once";
  }
  return aus;
}

std::unique_ptr<H264Encoder> makeEncoder(const H264Encoder::Config& config) {
  auto encoder = H264Encoder::create(config);
  EXPECT_TRUE(encoder.ok()) << encoder.error().describe();
  return encoder.ok() ? std::move(*encoder) : nullptr;
}

// libavcodec's H.264 decoder, one thread so pictures come out in step with access units.
class Decoder {
 public:
  Decoder() {
    context_.reset(avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264)));
    context_->thread_count = 1;
    EXPECT_EQ(avcodec_open2(context_.get(), context_->codec, nullptr), 0);
  }

  // Feeds one access unit (or the end of stream when empty) and hands out decoded pictures.
  void decode(std::span<const std::uint8_t> au, std::int64_t pts,
              const std::function<void(const AVFrame&)>& out) {
    std::unique_ptr<AVPacket, void (*)(AVPacket*)> packet(av_packet_alloc(),
                                                          [](AVPacket* p) { av_packet_free(&p); });
    packet->data = const_cast<std::uint8_t*>(au.data());
    packet->size = static_cast<int>(au.size());
    packet->pts = pts;
    ASSERT_EQ(avcodec_send_packet(context_.get(), au.empty() ? nullptr : packet.get()), 0);
    std::unique_ptr<AVFrame, void (*)(AVFrame*)> frame(av_frame_alloc(),
                                                       [](AVFrame* f) { av_frame_free(&f); });
    while (avcodec_receive_frame(context_.get(), frame.get()) == 0) out(*frame);
  }

 private:
  struct Free {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
  };
  std::unique_ptr<AVCodecContext, Free> context_;
};

// Scales a decoded picture to 320 px wide (height in proportion) as a small player would, and
// reads the timestamp from the scaled luma.
std::optional<std::uint64_t> decodeScaled(const AVFrame& picture, int swsFlags) {
  const int width = 320;
  const int height = (picture.height * width / picture.width) & ~1;
  std::unique_ptr<SwsContext, void (*)(SwsContext*)> sws(
      sws_getContext(picture.width, picture.height, static_cast<AVPixelFormat>(picture.format), width, height,
                     AV_PIX_FMT_YUV420P, swsFlags, nullptr, nullptr, nullptr),
      sws_freeContext);
  std::vector<std::uint8_t> y(width * height), u(width * height / 4), v(width * height / 4);
  std::uint8_t* planes[] = {y.data(), u.data(), v.data()};
  const int strides[] = {width, width / 2, width / 2};
  sws_scale(sws.get(), picture.data, picture.linesize, 0, picture.height, planes, strides);
  return TimestampCodec::decode(y.data(), width, height, width);
}

TEST(H264EncoderTest, ChoosesTheSmallestFittingLevel) {
  EXPECT_EQ(H264Encoder::levelFor({1280, 720, 30, 2000, 30}), 31);
  EXPECT_EQ(H264Encoder::levelFor({640, 360, 30, 500, 30}), 30);
  EXPECT_EQ(H264Encoder::levelFor({320, 180, 30, 300, 30}), 13);
  EXPECT_EQ(H264Encoder::levelFor({1920, 1080, 30, 4000, 30}), 40);
  EXPECT_EQ(H264Encoder::levelFor({1920, 1080, 60, 4000, 60}), 42);
  EXPECT_EQ(H264Encoder::levelFor({1280, 720, 30, 16000, 30}), 32);  // bit rate decides
  EXPECT_EQ(H264Encoder::levelFor({4096, 4096, 120, 4000, 120}), std::nullopt);
}

TEST(H264EncoderTest, RejectsBadConfigs) {
  EXPECT_EQ(H264Encoder::create({641, 360, 30, 500, 30}).error().code, base::ErrorCode::InvalidArgument);
  EXPECT_EQ(H264Encoder::create({640, 360, 0, 500, 30}).error().code, base::ErrorCode::InvalidArgument);
  EXPECT_EQ(H264Encoder::create({640, 360, 30, 10, 30}).error().code, base::ErrorCode::InvalidArgument);
  EXPECT_EQ(H264Encoder::create({640, 360, 30, 500, -1}).error().code, base::ErrorCode::InvalidArgument);
  EXPECT_EQ(H264Encoder::create({4096, 4096, 120, 4000, 0}).error().code, base::ErrorCode::Unsupported);
}

TEST(H264EncoderTest, GopZeroMeansOneSecond) {
  const auto encoder = makeEncoder({320, 180, 15, 300, 0});
  ASSERT_TRUE(encoder);
  EXPECT_EQ(encoder->config().gop, 15);
}

TEST(H264EncoderTest, RejectsAMissingPicture) {
  const auto encoder = makeEncoder({320, 180, 30, 300, 30});
  ASSERT_TRUE(encoder);
  EXPECT_EQ(encoder->encode(nullptr, 0, [](auto, auto, auto) {}).error().code,
            base::ErrorCode::InvalidArgument);
}

TEST(H264EncoderTest, FirstAccessUnitIsAConstrainedBaselineIdr) {
  const auto encoder = makeEncoder({1280, 720, 30, 2000, 30});
  ASSERT_TRUE(encoder);
  const auto aus = encodeFrames(*encoder, 1);
  ASSERT_EQ(aus.size(), 1u);
  EXPECT_TRUE(aus[0].keyframe);
  EXPECT_EQ(aus[0].pts, 0);
  ASSERT_GE(aus[0].bytes.size(), 4u);
  EXPECT_TRUE(aus[0].bytes[0] == 0 && aus[0].bytes[1] == 0 && (aus[0].bytes[2] == 1 || aus[0].bytes[3] == 1));

  const auto nals = nalUnits(aus[0].bytes);
  const auto types = nalTypes(aus[0]);
  ASSERT_TRUE(contains(types, 7) && contains(types, 8) && contains(types, 5));
  const auto sps = nals[std::find(types.begin(), types.end(), 7) - types.begin()];
  ASSERT_GE(sps.size(), 4u);
  // SPS (7.3.2.1.1): profile_idc, constraint_set0..5 flags, level_idc; RFC 6184 profile-level-id.
  EXPECT_EQ(sps[1], 66);        // Baseline
  EXPECT_NE(sps[2] & 0x40, 0);  // constraint_set1: Constrained Baseline
  EXPECT_EQ(sps[3], 31);        // level 3.1
  char profileLevelId[7];
  std::snprintf(profileLevelId, sizeof profileLevelId, "%02x%02x%02x", sps[1], sps[2], sps[3]);
  EXPECT_TRUE(std::string(profileLevelId) == "42c01f" || std::string(profileLevelId) == "42e01f")
      << profileLevelId;
}

TEST(H264EncoderTest, OneAccessUnitWithOneSlicePerFrame) {
  const auto encoder = makeEncoder({640, 360, 30, 500, 30});
  ASSERT_TRUE(encoder);
  const auto aus = encodeFrames(*encoder, 40);
  ASSERT_EQ(aus.size(), 40u);
  for (std::size_t i = 0; i < aus.size(); ++i) {
    EXPECT_EQ(aus[i].pts, static_cast<std::int64_t>(i) * kTicksPerFrame);
    const auto types = nalTypes(aus[i]);
    EXPECT_EQ(std::count(types.begin(), types.end(), 1) + std::count(types.begin(), types.end(), 5), 1) << i;
  }
}

TEST(H264EncoderTest, KeyframesComeEveryGopWithParameterSets) {
  const auto encoder = makeEncoder({640, 360, 30, 500, 10});
  ASSERT_TRUE(encoder);
  const auto aus = encodeFrames(*encoder, 35);
  ASSERT_EQ(aus.size(), 35u);
  for (std::size_t i = 0; i < aus.size(); ++i) {
    const bool expectKey = i % 10 == 0;
    const auto types = nalTypes(aus[i]);
    EXPECT_EQ(aus[i].keyframe, expectKey) << i;
    EXPECT_EQ(contains(types, 5), expectKey) << i;
    EXPECT_EQ(contains(types, 7) && contains(types, 8), expectKey) << i;
  }
}

TEST(H264EncoderTest, RequestKeyframeMakesTheNextFrameAnIdrAndRestartsTheGop) {
  const auto encoder = makeEncoder({640, 360, 30, 500, 10});
  ASSERT_TRUE(encoder);
  const auto aus = encodeFrames(*encoder, 25, [&](int i) {
    if (i == 7) encoder->requestKeyframe();
  });
  ASSERT_EQ(aus.size(), 25u);
  for (std::size_t i = 0; i < aus.size(); ++i) {
    const bool expectKey = i == 0 || i == 7 || i == 17;
    EXPECT_EQ(aus[i].keyframe, expectKey) << i;
    EXPECT_EQ(contains(nalTypes(aus[i]), 5), expectKey) << i;
    EXPECT_EQ(contains(nalTypes(aus[i]), 7), expectKey) << i;
  }
}

struct RateCase {
  int width;
  int height;
  int bitrateKbps;
};

class TimestampThroughH264 : public ::testing::TestWithParam<RateCase> {};

// The band must give back exactly the rendered milliseconds after compression at a live bit
// rate, and again after the decoded picture is scaled down to 320 px wide.
TEST_P(TimestampThroughH264, DecodedAndScaledFramesGiveBackTheRenderedTime) {
  const RateCase c = GetParam();
  const auto encoder = makeEncoder({c.width, c.height, 30, c.bitrateKbps, 30});
  ASSERT_TRUE(encoder);
  constexpr int kFrames = 75;
  const auto aus = encodeFrames(*encoder, kFrames);
  ASSERT_EQ(aus.size(), static_cast<std::size_t>(kFrames));

  Decoder decoder;
  int pictures = 0;
  const auto check = [&](const AVFrame& picture) {
    const std::int64_t index = picture.pts / kTicksPerFrame;
    const std::uint64_t expected = kSomeMillis + index * 33;
    ASSERT_EQ(picture.width, c.width);
    EXPECT_EQ(TimestampCodec::decode(picture.data[0], picture.width, picture.height, picture.linesize[0]),
              expected)
        << "frame " << index;
    EXPECT_EQ(decodeScaled(picture, SWS_BICUBIC), expected) << "frame " << index << " bicubic";
    EXPECT_EQ(decodeScaled(picture, SWS_FAST_BILINEAR), expected) << "frame " << index << " bilinear";
    ++pictures;
  };
  for (const auto& au : aus) decoder.decode(au.bytes, au.pts, check);
  decoder.decode({}, 0, check);
  EXPECT_EQ(pictures, kFrames);
}

INSTANTIATE_TEST_SUITE_P(Rates, TimestampThroughH264,
                         ::testing::Values(RateCase{1280, 720, 2000}, RateCase{640, 360, 500},
                                           RateCase{1920, 1080, 2000}, RateCase{1280, 720, 1000}),
                         [](const auto& info) {
                           return std::to_string(info.param.height) + "p_" +
                                  std::to_string(info.param.bitrateKbps) + "k";
                         });

}  // namespace
}  // namespace ocellus::sources::testpattern
