#include "record/RetentionCleaner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "fakes/FakeFileSystem.h"
#include "store/sqlite/SqliteStore.h"
#include "unit/store/TempDir.h"

namespace ocellus::record {
namespace {

using namespace std::chrono_literals;
using base::ErrorCode;
using test::FakeFileSystem;

constexpr const char* kRoot = "/data/recordings";

class RetentionCleanerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::open(dir_.file("ocellus.db"));
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    store_ = std::move(*opened);
    ASSERT_TRUE(fs_.makeDirs(kRoot).ok());
    cleaner_ = std::make_unique<RetentionCleaner>(*store_, fs_, clock_, kRoot);
  }

  store::TimeMs hoursAgo(double hours) const {
    return base::wallMillis(clock_.wallNow()) - static_cast<store::TimeMs>(hours * 3'600'000);
  }

  // A recording of `camera` over [start, end) with its file of `size` bytes on the fake disk.
  store::Recording add(const std::string& camera, store::TimeMs start, store::TimeMs end,
                       std::int64_t size = 100, bool keep = false) {
    store::Recording r;
    r.cameraId = camera;
    r.path = camera + "/" + std::to_string(start) + ".mp4";
    r.startMs = start;
    r.endMs = end;
    r.sizeBytes = size;
    r.complete = true;
    r.keep = keep;
    EXPECT_TRUE(fs_.putFile(std::string(kRoot) + "/" + r.path, static_cast<std::uint64_t>(size)).ok());
    auto created = store_->createRecording(r);
    EXPECT_TRUE(created.ok()) << created.error().describe();
    return created.ok() ? *created : r;
  }

  // An hour-long recording that ended `hours` ago.
  store::Recording endedHoursAgo(const std::string& camera, double hours, std::int64_t size = 100,
                                 bool keep = false) {
    return add(camera, hoursAgo(hours + 1), hoursAgo(hours), size, keep);
  }

  RetentionReport run(const RetentionPolicy& policy, const std::set<std::string>& open = {}) {
    auto report = cleaner_->run(policy, open);
    EXPECT_TRUE(report.ok()) << report.error().describe();
    return report.ok() ? *report : RetentionReport{};
  }

  // Whether the recording's row and its file are both still there.
  bool present(const store::Recording& r) {
    const bool row = store_->recordingById(r.id).ok();
    const bool file = fs_.exists(std::string(kRoot) + "/" + r.path);
    EXPECT_EQ(row, file) << r.path << ": the row and the file must go together";
    return row && file;
  }

  store::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  FakeFileSystem fs_{10'000};
  test::FakeClock clock_;
  std::unique_ptr<RetentionCleaner> cleaner_;
};

TEST_F(RetentionCleanerTest, MaxAgeDeletesWhatEndedBeforeIt) {
  const auto old = endedHoursAgo("cam-1", 48, 100);
  const auto justOld = endedHoursAgo("cam-2", 24.1, 150);
  const auto straddling = add("cam-1", hoursAgo(24.5), hoursAgo(23.5));
  const auto recent = endedHoursAgo("cam-1", 1);

  RetentionPolicy policy;
  policy.maxAge = 24h;
  const auto report = run(policy);
  EXPECT_EQ(report.filesDeleted, 2);
  EXPECT_EQ(report.bytesFreed, 250u);
  EXPECT_TRUE(report.errors.empty());
  EXPECT_FALSE(present(old));
  EXPECT_FALSE(present(justOld));
  EXPECT_TRUE(present(straddling));
  EXPECT_TRUE(present(recent));

  // A day later the rest is past the age too.
  clock_.advance(25h);
  EXPECT_EQ(run(policy).filesDeleted, 2);
  EXPECT_EQ(store_->recordingStats({})->count, 0);
}

TEST_F(RetentionCleanerTest, PerCameraAgeOverridesTheGlobalOne) {
  const auto cam1 = endedHoursAgo("cam-1", 48);
  const auto cam2Young = endedHoursAgo("cam-2", 48);  // cam-2 keeps 72 h
  const auto cam2Old = endedHoursAgo("cam-2", 96);
  const auto cam3Old = endedHoursAgo("cam-3", 2);  // cam-3 keeps 1 h
  const auto cam3Young = add("cam-3", hoursAgo(0.75), hoursAgo(0.5));
  const auto cam4 = endedHoursAgo("cam-4", 200);  // no global age: only the overrides apply below

  RetentionPolicy policy;
  policy.maxAgeByCamera = {{"cam-2", 72h}, {"cam-3", 1h}};
  EXPECT_EQ(run(policy).filesDeleted, 2);
  EXPECT_FALSE(present(cam2Old));
  EXPECT_FALSE(present(cam3Old));
  EXPECT_TRUE(present(cam4));

  policy.maxAge = 24h;
  EXPECT_EQ(run(policy).filesDeleted, 2);
  EXPECT_FALSE(present(cam1));
  EXPECT_FALSE(present(cam4));
  EXPECT_TRUE(present(cam2Young));
  EXPECT_TRUE(present(cam3Young));
}

TEST_F(RetentionCleanerTest, QuotaDeletesOldestFirstCountingKeptRows) {
  const auto kept = endedHoursAgo("cam-1", 10, 100, true);
  std::vector<store::Recording> rows;
  for (int i = 9; i >= 6; --i) rows.push_back(endedHoursAgo(i % 2 == 0 ? "cam-1" : "cam-2", i, 100));
  // 500 bytes indexed; the kept 100 count towards the quota but cannot go.
  RetentionPolicy policy;
  policy.quotaBytes = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(run(policy).filesDeleted, 0);
  policy.quotaBytes = 250;
  const auto report = run(policy);
  EXPECT_EQ(report.filesDeleted, 3);
  EXPECT_EQ(report.bytesFreed, 300u);
  EXPECT_TRUE(present(kept));
  EXPECT_FALSE(present(rows[0]));
  EXPECT_FALSE(present(rows[1]));
  EXPECT_FALSE(present(rows[2]));
  EXPECT_TRUE(present(rows[3]));
  EXPECT_EQ(store_->recordingStats({})->bytes, 200);

  EXPECT_EQ(run(policy).filesDeleted, 0);  // under the quota now
  policy.quotaBytes = 0;
  EXPECT_EQ(run(policy).filesDeleted, 1);  // everything but the kept row
  EXPECT_TRUE(present(kept));
}

TEST_F(RetentionCleanerTest, FreeFloorDeletesUntilTheDiskHasRoom) {
  fs_.setCapacity(1000);
  std::vector<store::Recording> rows;
  for (int i = 4; i >= 1; --i) rows.push_back(endedHoursAgo("cam-1", i, 200));
  const auto kept = endedHoursAgo("cam-2", 5, 100, true);
  ASSERT_EQ(fs_.space(kRoot)->available, 100u);

  RetentionPolicy policy;
  policy.freeFloorBytes = 500;
  policy.lowSpaceWarningBytes = 600;
  auto report = run(policy);
  EXPECT_EQ(report.filesDeleted, 2);
  EXPECT_EQ(report.disk.total, 1000u);
  EXPECT_EQ(report.disk.available, 500u);
  EXPECT_FALSE(report.floorUnreachable);
  EXPECT_TRUE(report.lowSpace);
  EXPECT_FALSE(present(rows[0]));
  EXPECT_FALSE(present(rows[1]));
  EXPECT_TRUE(present(rows[2]));

  // A floor the disk cannot reach: every deletable recording goes, the kept one stays.
  policy.freeFloorBytes = 950;
  policy.lowSpaceWarningBytes = 960;
  report = run(policy);
  EXPECT_EQ(report.filesDeleted, 2);
  EXPECT_TRUE(report.floorUnreachable);
  EXPECT_TRUE(report.lowSpace);
  EXPECT_EQ(report.disk.available, 900u);
  EXPECT_TRUE(present(kept));
  EXPECT_EQ(store_->recordingStats({})->count, 1);
}

TEST_F(RetentionCleanerTest, KeptAndOpenRecordingsAreNeverDeleted) {
  const auto kept = endedHoursAgo("cam-1", 100, 100, true);
  const auto open = add("cam-1", hoursAgo(100.5), hoursAgo(100.5));  // a file the recorder still writes
  const auto other = endedHoursAgo("cam-1", 99);

  RetentionPolicy policy;
  policy.maxAge = 1h;
  policy.quotaBytes = 0;
  policy.freeFloorBytes = 1'000'000;
  const auto report = run(policy, {open.path});
  EXPECT_EQ(report.filesDeleted, 1);
  EXPECT_TRUE(report.floorUnreachable);
  EXPECT_TRUE(present(kept));
  EXPECT_TRUE(present(open));
  EXPECT_FALSE(present(other));
}

TEST_F(RetentionCleanerTest, AFileThatCannotBeRemovedIsReportedAndTheRunGoesOn) {
  const auto stuck = endedHoursAgo("cam-1", 50);
  const auto stuck2 = endedHoursAgo("cam-1", 49);
  const auto free = endedHoursAgo("cam-2", 48, 70);
  const auto gone = endedHoursAgo("cam-3", 47, 30);
  ASSERT_TRUE(fs_.remove(std::string(kRoot) + "/" + gone.path).ok());  // already gone counts as deleted
  fs_.fail(FakeFileSystem::Op::Remove, std::string(kRoot) + "/cam-1/", "Permission denied");

  RetentionPolicy policy;
  policy.maxAge = 24h;
  const auto report = run(policy);
  EXPECT_EQ(report.filesDeleted, 2);
  EXPECT_EQ(report.bytesFreed, 70u);  // the missing file freed nothing
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_NE(report.errors[0].find("Permission denied"), std::string::npos) << report.errors[0];
  EXPECT_NE(report.errors[0].find(stuck.path), std::string::npos) << report.errors[0];
  EXPECT_TRUE(present(stuck));
  EXPECT_TRUE(present(stuck2));
  EXPECT_FALSE(present(free));
  EXPECT_FALSE(store_->recordingById(gone.id).ok());

  fs_.clearFailures();
  EXPECT_EQ(run(policy).filesDeleted, 2);
}

TEST_F(RetentionCleanerTest, ManualPolicyOnlyReportsTheDisk) {
  fs_.setCapacity(1000);
  const auto old = endedHoursAgo("cam-1", 500, 900);
  RetentionPolicy policy;
  policy.enabled = false;
  policy.maxAge = 1h;
  policy.quotaBytes = 0;
  policy.freeFloorBytes = 500;
  policy.lowSpaceWarningBytes = 200;
  const auto report = run(policy);
  EXPECT_EQ(report.filesDeleted, 0);
  EXPECT_TRUE(present(old));
  EXPECT_EQ(report.disk.available, 100u);
  EXPECT_TRUE(report.lowSpace);
  EXPECT_FALSE(report.floorUnreachable);  // nothing was tried

  policy.lowSpaceWarningBytes = 100;
  EXPECT_FALSE(run(policy).lowSpace);
}

TEST_F(RetentionCleanerTest, WalksTheIndexInBatches) {
  // More rows than two batches. Every third one is open, so rows that stay in the walk and rows
  // it deletes interleave across batch boundaries; every fifth other one is kept, which the walk
  // never sees.
  constexpr int kRows = 2 * RetentionCleaner::kBatchSize + 50;
  fs_.setCapacity(kRows * 10);
  std::set<std::string> open;
  int stay = 0;
  for (int i = 0; i < kRows; ++i) {
    const store::TimeMs start = hoursAgo(1000) + i * 1000;
    const auto r = add("cam-" + std::to_string(i % 4), start, start + 900, 10, i % 3 != 0 && i % 5 == 0);
    if (i % 3 == 0) open.insert(r.path);
    stay += i % 3 == 0 || i % 5 == 0 ? 1 : 0;
  }
  RetentionPolicy policy;
  policy.maxAge = 24h;
  const auto report = run(policy, open);
  EXPECT_EQ(report.filesDeleted, kRows - stay);
  EXPECT_EQ(report.bytesFreed, static_cast<std::uint64_t>((kRows - stay) * 10));
  store::RecordingFilter all;
  all.limit = 0;
  auto left = store_->listRecordings(all);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->size(), static_cast<std::size_t>(stay));
  EXPECT_TRUE(std::all_of(left->begin(), left->end(),
                          [&](const store::Recording& r) { return r.keep || open.contains(r.path); }));
  EXPECT_EQ(fs_.used(), static_cast<std::uint64_t>(stay * 10));
}

TEST_F(RetentionCleanerTest, AMissingRecordingsFolderFailsTheRun) {
  RetentionCleaner elsewhere(*store_, fs_, clock_, "/nowhere");
  auto report = elsewhere.run({}, {});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace ocellus::record
