#include "proto/hls/PlaylistRequest.h"

#include <gtest/gtest.h>

#include "proto/hls/ResourceName.h"

namespace ocellus::proto::hls {
namespace {

TEST(PlaylistRequestTest, ParsesDirectives) {
  auto r = PlaylistRequest::parse("_HLS_msn=12&_HLS_part=3&_HLS_skip=YES&token=abc");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->msn, 12u);
  EXPECT_EQ(r->part, 3u);
  EXPECT_EQ(r->skip, PlaylistRequest::Skip::Yes);
  EXPECT_TRUE(r->blocking());
  r = PlaylistRequest::parse("");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->blocking());
  EXPECT_EQ(PlaylistRequest::parse("_HLS_skip=v2")->skip, PlaylistRequest::Skip::V2);
}

TEST(PlaylistRequestTest, InvalidValuesNameTheParameter) {
  const std::pair<const char*, const char*> cases[] = {
      {"_HLS_msn=abc", "_HLS_msn"},        {"_HLS_msn=-1", "_HLS_msn"},
      {"_HLS_msn=", "_HLS_msn"},           {"_HLS_msn=99999999999999999999", "_HLS_msn"},
      {"_HLS_msn=1&_HLS_msn=2", "_HLS_msn"}, {"_HLS_msn=1&_HLS_part=x", "_HLS_part"},
      {"_HLS_msn=1&_HLS_part=4294967296", "_HLS_part"}, {"_HLS_part=1", "_HLS_part without _HLS_msn"},
      {"_HLS_skip=yes", "_HLS_skip"},
  };
  for (const auto& [query, name] : cases) {
    auto r = PlaylistRequest::parse(query);
    ASSERT_FALSE(r) << query;
    EXPECT_EQ(r.error().code, base::ErrorCode::InvalidArgument) << query;
    EXPECT_NE(r.error().message.find(name), std::string::npos) << query << ": " << r.error().message;
  }
}

TEST(ResourceNameTest, NamesRoundTrip) {
  EXPECT_EQ(segmentName(42), "seg42.mp4");
  EXPECT_EQ(partName(42), "part42.mp4");
  EXPECT_EQ(*parseResourceName("seg42.mp4"), (Resource{ResourceKind::Segment, 42}));
  EXPECT_EQ(*parseResourceName("part42.mp4"), (Resource{ResourceKind::Part, 42}));
  EXPECT_EQ(*parseResourceName(partName(UINT64_MAX)), (Resource{ResourceKind::Part, UINT64_MAX}));
  EXPECT_EQ(parseResourceName("index.m3u8")->kind, ResourceKind::Multivariant);
  EXPECT_EQ(parseResourceName("stream.m3u8")->kind, ResourceKind::MediaPlaylist);
  EXPECT_EQ(parseResourceName("init.mp4")->kind, ResourceKind::Init);
}

TEST(ResourceNameTest, RejectsOtherNames) {
  for (const char* name : {"", "seg.mp4", "seg01.mp4", "seg-1.mp4", "seg1.ts", "part1.2.mp4", "part1..mp4", "part01.mp4",
                           "part.1.mp4", "seg18446744073709551616.mp4", "part18446744073709551616.mp4", "../init.mp4",
                           "Index.m3u8", "seg+1.mp4"}) {
    auto r = parseResourceName(name);
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().code, base::ErrorCode::NotFound) << name;
  }
}

}  // namespace
}  // namespace ocellus::proto::hls
