#include "proto/webrtc/SrtpReplayWindow.h"

#include <gtest/gtest.h>

namespace ocellus::proto::webrtc {
namespace {

using Verdict = SrtpReplayWindow::Verdict;

TEST(SrtpReplayWindowTest, IndexEstimationFollowsRfc3711Section3_3_1) {
  SrtpReplayWindow w;
  EXPECT_EQ(w.estimateRtpIndex(40000), 40000u);  // nothing seen: ROC 0, never -1
  w.add(100);
  EXPECT_EQ(w.estimateRtpIndex(65000), 65000u);  // still ROC 0 while the highest is <= 2^15
  w.add(65530);
  EXPECT_EQ(w.estimateRtpIndex(65535), 65535u);
  EXPECT_EQ(w.estimateRtpIndex(3), 65536u + 3);  // wrapped: ROC + 1
  w.add(65536 + 3);
  EXPECT_EQ(w.estimateRtpIndex(65533), 65533u);  // late from before the wrap: ROC - 1
  EXPECT_EQ(w.estimateRtpIndex(10), 65536u + 10);
  w.add(3 * 65536 + 40000);
  EXPECT_EQ(w.estimateRtpIndex(7000), 4 * 65536u + 7000);
  EXPECT_EQ(w.estimateRtpIndex(8000), 3 * 65536u + 8000);
}

TEST(SrtpReplayWindowTest, WindowRemembersKSizeIndices) {
  SrtpReplayWindow w;
  EXPECT_EQ(w.check(5), Verdict::Fresh);
  w.add(5000);
  EXPECT_EQ(w.check(5000), Verdict::Replayed);
  EXPECT_EQ(w.check(4999), Verdict::Fresh);
  EXPECT_EQ(w.check(5000 - SrtpReplayWindow::kSize + 1), Verdict::Fresh);
  EXPECT_EQ(w.check(5000 - SrtpReplayWindow::kSize), Verdict::TooOld);
  w.add(4990);
  EXPECT_EQ(w.check(4990), Verdict::Replayed);
  // Sliding by less than the window keeps what is still inside and forgets the slots reused.
  w.add(5000 + 500);
  EXPECT_EQ(w.check(4990), Verdict::Replayed);
  EXPECT_EQ(w.check(5000), Verdict::Replayed);
  EXPECT_EQ(w.check(5000 + 499), Verdict::Fresh);
  w.add(5500 + SrtpReplayWindow::kSize - 1);
  EXPECT_EQ(w.check(5500), Verdict::Replayed);
  EXPECT_EQ(w.check(4990), Verdict::TooOld);
  // A jump past the whole window forgets everything.
  w.add(100000);
  for (std::uint64_t i = 100000 - SrtpReplayWindow::kSize + 1; i < 100000; ++i)
    ASSERT_EQ(w.check(i), Verdict::Fresh) << i;
  EXPECT_EQ(w.highest(), 100000u);
}

}  // namespace
}  // namespace ocellus::proto::webrtc
