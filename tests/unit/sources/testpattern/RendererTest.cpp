#include "sources/testpattern/Renderer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "sources/testpattern/TimestampCodec.h"

namespace ocellus::sources::testpattern {
namespace {

constexpr std::uint64_t kSomeMillis = 1'700'000'000'123;  // 2023-11-14T22:13:20.123Z

std::string_view view(const std::array<char, 12>& text) {
  return {text.data(), text.size()};
}

std::vector<std::uint8_t> render(const Renderer& renderer, std::uint64_t frame, std::uint64_t ms,
                                 std::uint8_t fill = 0) {
  std::vector<std::uint8_t> i420(renderer.frameSize(), fill);
  EXPECT_TRUE(renderer.render(i420, frame, ms));
  return i420;
}

// Whether rows [0, rows) of the luma plane differ.
bool lumaRowsDiffer(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b, int width,
                    int rows) {
  return !std::equal(a.begin(), a.begin() + width * rows, b.begin());
}

TEST(RendererTest, ValidatesSize) {
  EXPECT_TRUE(Renderer::create(1280, 720).ok());
  EXPECT_TRUE(Renderer::create(Renderer::kMinWidth, Renderer::kMinHeight).ok());
  EXPECT_EQ(Renderer::create(641, 360).error().code, base::ErrorCode::InvalidArgument);
  EXPECT_EQ(Renderer::create(640, 361).error().code, base::ErrorCode::InvalidArgument);
  EXPECT_FALSE(Renderer::create(Renderer::kMinWidth - 2, 360).ok());
  EXPECT_FALSE(Renderer::create(640, Renderer::kMinHeight - 2).ok());
  EXPECT_FALSE(Renderer::create(Renderer::kMaxWidth + 2, 360).ok());
  EXPECT_FALSE(Renderer::create(0, 0).ok());
  EXPECT_NE(Renderer::create(641, 360).error().message.find("641x360"), std::string::npos);
}

TEST(RendererTest, FrameSizeIsI420) {
  const auto renderer = Renderer::create(1280, 720);
  ASSERT_TRUE(renderer.ok());
  EXPECT_EQ(renderer->frameSize(), 1280u * 720 * 3 / 2);
}

TEST(RendererTest, ClockTextIsUtcTimeOfDay) {
  EXPECT_EQ(view(Renderer::clockText(0)), "00:00:00.000");
  EXPECT_EQ(view(Renderer::clockText(kSomeMillis)), "22:13:20.123");
  EXPECT_EQ(view(Renderer::clockText(86'399'999)), "23:59:59.999");
  EXPECT_EQ(view(Renderer::clockText(86'400'000 + 3'723'004)), "01:02:03.004");
}

TEST(RendererTest, RefusesAShortBuffer) {
  const auto renderer = Renderer::create(320, 180);
  ASSERT_TRUE(renderer.ok());
  std::vector<std::uint8_t> shortBuffer(renderer->frameSize() - 1, 7);
  EXPECT_FALSE(renderer->render(shortBuffer, 0, kSomeMillis));
  EXPECT_EQ(std::count(shortBuffer.begin(), shortBuffer.end(), 7), static_cast<long>(shortBuffer.size()));
}

TEST(RendererTest, WritesEveryByteDeterministically) {
  const auto renderer = Renderer::create(640, 360);
  ASSERT_TRUE(renderer.ok());
  EXPECT_EQ(render(*renderer, 7, kSomeMillis, 0x00), render(*renderer, 7, kSomeMillis, 0xFF));
}

TEST(RendererTest, PictureMovesBetweenFramesAndClockChangesWithTime) {
  const auto renderer = Renderer::create(640, 360);
  ASSERT_TRUE(renderer.ok());
  const int pictureRows = 360 - TimestampCodec::bandHeight(360);
  const auto first = render(*renderer, 0, kSomeMillis);
  EXPECT_TRUE(lumaRowsDiffer(first, render(*renderer, 1, kSomeMillis), 640, pictureRows));
  EXPECT_TRUE(lumaRowsDiffer(first, render(*renderer, 0, kSomeMillis + 1), 640, pictureRows));
  // The box's colour cycles, so chroma changes too.
  const auto later = render(*renderer, 45, kSomeMillis);
  const std::size_t luma = 640u * 360;
  EXPECT_FALSE(std::equal(first.begin() + luma, first.end(), later.begin() + luma));
}

TEST(RendererTest, BandCarriesTheTimeOverNeutralChroma) {
  const auto renderer = Renderer::create(1280, 720);
  ASSERT_TRUE(renderer.ok());
  const auto frame = render(*renderer, 3, kSomeMillis);
  EXPECT_EQ(TimestampCodec::decode(frame.data(), 1280, 720, 1280), kSomeMillis);
  const std::size_t luma = 1280u * 720;
  const std::size_t chromaPlane = luma / 4;
  const int bandChromaRows = TimestampCodec::bandHeight(720) / 2;
  for (std::size_t plane : {luma, luma + chromaPlane}) {
    for (std::size_t i = chromaPlane - bandChromaRows * 640u; i < chromaPlane; ++i) {
      ASSERT_EQ(frame[plane + i], 128) << i;
    }
  }
}

}  // namespace
}  // namespace ocellus::sources::testpattern
