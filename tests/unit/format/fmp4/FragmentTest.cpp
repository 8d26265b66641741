#include "format/fmp4/Fragment.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "base/ByteWriter.h"
#include "format/fmp4/Box.h"

namespace ocellus::format::fmp4 {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(FragmentTest, WritesSignedCompositionOffsetsAndDataOffsets) {
  const Bytes a = {1, 2, 3}, b = {4, 5}, c = {6};
  const Sample video[] = {{a, 3000, -3000, true}, {b, 3000, 6000, false}};
  const Sample audio[] = {{c, 1024, 0, true}};
  const TrackRun runs[] = {{1, std::uint64_t{1} << 40, video}, {2, 7, audio}};
  Bytes out = {0xee};  // write() appends; offsets stay relative to the moof
  ASSERT_TRUE(Fragment::write(42, runs, out));
  auto parsed = Fragment::parse(std::span(out).subspan(1));
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->sequenceNumber, 42u);
  EXPECT_EQ(parsed->size, out.size() - 1);
  ASSERT_EQ(parsed->tracks.size(), 2u);
  const auto& v = parsed->tracks[0];
  EXPECT_EQ(v.baseDecodeTime, std::uint64_t{1} << 40);
  ASSERT_EQ(v.samples.size(), 2u);
  EXPECT_EQ(v.samples[0].ctsOffset, -3000);
  EXPECT_EQ(v.samples[0].flags, kSyncSampleFlags);
  EXPECT_EQ(v.samples[1].flags, kNonSyncSampleFlags);
  EXPECT_FALSE(v.samples[1].keyframe());
  EXPECT_TRUE(std::ranges::equal(v.samples[0].data, a));
  EXPECT_TRUE(std::ranges::equal(v.samples[1].data, b));
  EXPECT_TRUE(std::ranges::equal(parsed->tracks[1].samples[0].data, c));
  EXPECT_EQ(parsed->tracks[1].samples[0].duration, 1024u);
  // The mdat is last and holds the samples in traf order.
  EXPECT_EQ(Bytes(out.end() - 6, out.end()), (Bytes{1, 2, 3, 4, 5, 6}));
}

// Another muxer's style: tfhd defaults, first_sample_flags, trun version 0, no tfdt.
TEST(FragmentTest, ReadsDefaultsAndFirstSampleFlags) {
  Bytes out;
  BoxWriter w(out);
  w.open(fourCc("moof"));
  w.openFull(fourCc("mfhd"), 0, 0);
  w.w().u32(9);
  w.close();
  w.open(fourCc("traf"));
  w.openFull(fourCc("tfhd"), 0, 0x020000 | 0x08 | 0x10 | 0x20);
  w.w().u32(5);
  w.w().u32(1000);  // default duration
  w.w().u32(2);     // default size
  w.w().u32(kNonSyncSampleFlags);
  w.close();
  w.openFull(fourCc("trun"), 0, 0x01 | 0x04);
  w.w().u32(3);
  const std::size_t offsetField = out.size();
  w.w().u32(0);
  w.w().u32(kSyncSampleFlags);
  w.close();
  w.close();
  w.close();
  w.w().patchU32(offsetField, static_cast<std::uint32_t>(out.size() + 8));
  w.open(fourCc("mdat"));
  for (std::uint8_t i = 0; i < 6; ++i) w.w().u8(i);
  w.close();
  auto parsed = Fragment::parse(out);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  const auto& t = parsed->tracks.at(0);
  EXPECT_EQ(t.trackId, 5u);
  EXPECT_EQ(t.baseDecodeTime, 0u);
  ASSERT_EQ(t.samples.size(), 3u);
  EXPECT_TRUE(t.samples[0].keyframe());
  EXPECT_FALSE(t.samples[1].keyframe());
  EXPECT_EQ(t.samples[2].duration, 1000u);
  EXPECT_EQ(t.samples[2].data[0], 4);
}

TEST(FragmentTest, RejectsSamplesOutsideTheInput) {
  const Bytes a = {1, 2, 3};
  const Sample samples[] = {{a, 1, 0, true}};
  const TrackRun runs[] = {{1, 0, samples}};
  Bytes out;
  ASSERT_TRUE(Fragment::write(1, runs, out));
  for (std::size_t cut = 0; cut < out.size(); ++cut) {
    EXPECT_FALSE(Fragment::parse(std::span(out).first(cut))) << cut;
  }
  EXPECT_EQ(Fragment::parse({}).error().code, base::ErrorCode::NotFound);
  EXPECT_FALSE(Fragment::write(1, {}, out));
}

// A recording's scan reads the moof and only the size of its mdat.
TEST(FragmentTest, ParsesAMoofWithoutItsMdat) {
  const Bytes a = {1, 2, 3}, b = {4, 5};
  const Sample video[] = {{a, 3000, 0, true}, {b, 3003, 0, false}};
  const TrackRun runs[] = {{1, 90000, video}};
  Bytes out;
  ASSERT_TRUE(Fragment::write(5, runs, out));
  const std::size_t mdatSize = 8 + a.size() + b.size();
  const auto moof = std::span(out).first(out.size() - mdatSize);
  auto parsed = Fragment::parseMoof(moof, mdatSize);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->sequenceNumber, 5u);
  EXPECT_EQ(parsed->size, out.size());
  ASSERT_EQ(parsed->tracks.size(), 1u);
  EXPECT_EQ(parsed->tracks[0].baseDecodeTime, 90000u);
  ASSERT_EQ(parsed->tracks[0].samples.size(), 2u);
  EXPECT_EQ(parsed->tracks[0].samples[1].duration, 3003u);
  EXPECT_TRUE(parsed->tracks[0].samples[0].keyframe());
  EXPECT_FALSE(parsed->tracks[0].samples[1].keyframe());
  EXPECT_TRUE(parsed->tracks[0].samples[0].data.empty());
  // An mdat too short for the samples the trun lists, or no moof at the start, fails.
  EXPECT_EQ(Fragment::parseMoof(moof, mdatSize - 1).error().code, base::ErrorCode::Truncated);
  EXPECT_EQ(Fragment::parseMoof(std::span(out).last(mdatSize), 0).error().code, base::ErrorCode::NotFound);
}

TEST(BoxReaderTest, SizesAndErrors) {
  // A largesize box, then a size-0 box running to the end.
  const Bytes bytes = {0, 0, 0, 1, 'f', 'r', 'e', 'e', 0, 0, 0, 0, 0, 0, 0, 17, 0xaa,
                       0, 0, 0, 0, 's', 'k', 'i', 'p', 1, 2};
  BoxReader r(bytes);
  auto first = r.next();
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->type, fourCc("free"));
  EXPECT_EQ((*first)->payload.size(), 1u);
  auto second = r.next();
  ASSERT_TRUE(second && *second);
  EXPECT_EQ((*second)->type, fourCc("skip"));
  EXPECT_EQ((*second)->payload.size(), 2u);
  auto end = r.next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);

  const Bytes tooSmall = {0, 0, 0, 4, 'f', 'r', 'e', 'e'};
  EXPECT_EQ(BoxReader(tooSmall).next().error().code, base::ErrorCode::Malformed);
  const Bytes tooLong = {0, 0, 0, 9, 'f', 'r', 'e', 'e'};
  auto e = BoxReader(tooLong).next();
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("'free'"), std::string::npos);
  EXPECT_EQ(fourCcText(0x01020304), "????");
}

}  // namespace
}  // namespace ocellus::format::fmp4
