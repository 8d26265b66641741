#include "proto/rtmp/MetaData.h"

#include <gtest/gtest.h>

#include "proto/rtmp/Amf0.h"

namespace ocellus::proto::rtmp {
namespace {

TEST(MetaDataTest, BuildsOnMetaDataWithTheGivenFields) {
  MetaData md;
  md.width = 1280;
  md.height = 720;
  md.framerate = 30;
  md.videocodecid = 7;
  md.audiocodecid = 10;
  auto v = Amf0::decodeAll(md.build());
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 2u);
  EXPECT_EQ(v->at(0).string, "onMetaData");
  EXPECT_EQ(v->at(1).type, Amf0Type::EcmaArray);
  EXPECT_EQ(v->at(1).getNumber("width"), 1280);
  EXPECT_EQ(v->at(1).getNumber("videocodecid"), 7);
  EXPECT_EQ(v->at(1).getNumber("audiocodecid"), 10);
  EXPECT_EQ(v->at(1).get("audiochannels"), nullptr);
}

}  // namespace
}  // namespace ocellus::proto::rtmp
