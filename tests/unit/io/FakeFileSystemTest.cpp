#include "fakes/FakeFileSystem.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace ocellus::test {
namespace {

using base::ErrorCode;

std::vector<std::uint8_t> bytes(std::size_t n, std::uint8_t value = 7) {
  return std::vector<std::uint8_t>(n, value);
}

// The tests that use the fake trust it to behave as the real disk; these pin what they rely on.

TEST(FakeFileSystemTest, CreateAppendReadAndList) {
  FakeFileSystem fs;
  auto file = fs.create("/data/rec/cam-1/2024/a.mp4");
  ASSERT_TRUE(file.ok()) << file.error().describe();
  ASSERT_TRUE((*file)->append(std::vector<std::uint8_t>{1, 2, 3, 4, 5}).ok());
  EXPECT_EQ((*file)->size(), 5u);
  EXPECT_EQ(*fs.fileSize("/data/rec/cam-1/2024/a.mp4"), 5u);
  EXPECT_EQ(*fs.read("/data/rec/cam-1/2024/a.mp4", 1, 3), (std::vector<std::uint8_t>{2, 3, 4}));
  EXPECT_EQ(*fs.read("/data/rec/cam-1/2024/a.mp4", 3, 100), (std::vector<std::uint8_t>{4, 5}));
  EXPECT_TRUE(fs.read("/data/rec/cam-1/2024/a.mp4", 9, 1)->empty());
  ASSERT_TRUE((*file)->close().ok());
  ASSERT_TRUE((*file)->close().ok());  // idempotent
  EXPECT_EQ((*file)->append(bytes(1)).error().code, ErrorCode::InvalidState);

  ASSERT_TRUE(fs.putFile("/data/rec/cam-2/b.mp4", 3).ok());
  ASSERT_TRUE(fs.putFile("/data/rec//cam-1/./0.mp4", 1).ok());  // the same path, written loosely
  EXPECT_TRUE(fs.exists("/data/rec/cam-1/0.mp4"));
  EXPECT_TRUE(fs.exists("/data/rec/cam-1/2024/"));
  EXPECT_EQ(*fs.listFiles("/data/rec"),
            (std::vector<std::string>{"cam-1/0.mp4", "cam-1/2024/a.mp4", "cam-2/b.mp4"}));
  EXPECT_EQ(*fs.listFiles("/data/rec/cam-2/"), std::vector<std::string>{"b.mp4"});

  EXPECT_EQ(fs.create("/data/rec/cam-2/b.mp4").error().code, ErrorCode::AlreadyExists);
  EXPECT_EQ(fs.create("/data/rec/cam-2").error().code, ErrorCode::AlreadyExists);
  EXPECT_EQ(fs.create("/data/rec/cam-2/b.mp4/c").error().code, ErrorCode::Io);  // a file is no folder
  EXPECT_EQ(fs.read("/data/rec/none.mp4", 0, 1).error().code, ErrorCode::NotFound);
  EXPECT_EQ(fs.fileSize("/data/rec/none.mp4").error().code, ErrorCode::NotFound);
  EXPECT_EQ(fs.listFiles("/data/none").error().code, ErrorCode::NotFound);
  EXPECT_EQ(fs.listFiles("/data/rec/cam-2/b.mp4").error().code, ErrorCode::Io);
  EXPECT_EQ(fs.fileSize("/data/rec").error().code, ErrorCode::Io);
}

TEST(FakeFileSystemTest, AppendPastCapacityWritesWhatFits) {
  FakeFileSystem fs(100);
  ASSERT_TRUE(fs.makeDirs("/rec").ok());
  EXPECT_EQ(fs.space("/rec")->total, 100u);
  EXPECT_EQ(fs.space("/rec")->available, 100u);

  auto file = fs.create("/rec/a.mp4");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->append(bytes(60)).ok());
  EXPECT_EQ(fs.space("/rec")->available, 40u);
  auto full = (*file)->append(bytes(60));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::Io);
  EXPECT_EQ(full.error().message, "cannot write /rec/a.mp4: No space left on device");
  EXPECT_EQ((*file)->size(), 100u);
  EXPECT_EQ(*fs.fileSize("/rec/a.mp4"), 100u);
  EXPECT_EQ(fs.space("/rec")->available, 0u);
  EXPECT_EQ(fs.putFile("/rec/b.mp4", 1).error().code, ErrorCode::Io);
  EXPECT_EQ(fs.truncate("/rec/a.mp4", 101).error().code, ErrorCode::Io);

  // Removing a file that is still open frees nothing until it closes, as on POSIX.
  ASSERT_TRUE(fs.remove("/rec/a.mp4").ok());
  EXPECT_FALSE(fs.exists("/rec/a.mp4"));
  EXPECT_EQ(fs.space("/rec")->available, 0u);
  ASSERT_TRUE((*file)->close().ok());
  EXPECT_EQ(fs.space("/rec")->available, 100u);
  EXPECT_EQ(fs.used(), 0u);

  fs.setCapacity(10);
  ASSERT_TRUE(fs.putFile("/rec/c.mp4", 10).ok());
  EXPECT_EQ(fs.space("/rec")->available, 0u);
  EXPECT_EQ(fs.space("/nowhere").error().code, ErrorCode::NotFound);
}

TEST(FakeFileSystemTest, InjectedFailuresHitTheirPrefixOnly) {
  FakeFileSystem fs;
  ASSERT_TRUE(fs.putFile("/rec/cam-1/a.mp4", 4).ok());
  ASSERT_TRUE(fs.putFile("/rec/cam-2/a.mp4", 4).ok());
  auto writing = fs.create("/rec/cam-1/b.mp4");
  ASSERT_TRUE(writing.ok());

  fs.fail(FakeFileSystem::Op::Write, "/rec/cam-1", "Input/output error");
  fs.fail(FakeFileSystem::Op::Remove, "/rec/cam-1/a", "Permission denied");
  fs.fail(FakeFileSystem::Op::Create, "/rec/cam-2", "Read-only file system");
  auto write = (*writing)->append(bytes(3));
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, ErrorCode::Io);
  EXPECT_EQ(write.error().message, "cannot write /rec/cam-1/b.mp4: Input/output error");
  EXPECT_EQ((*writing)->size(), 0u);
  EXPECT_TRUE((*writing)->sync().ok());  // only appends were told to fail

  auto remove = fs.remove("/rec/cam-1/a.mp4");
  EXPECT_EQ(remove.error().message, "cannot remove /rec/cam-1/a.mp4: Permission denied");
  EXPECT_TRUE(fs.exists("/rec/cam-1/a.mp4"));
  EXPECT_EQ(fs.create("/rec/cam-2/b.mp4").error().code, ErrorCode::Io);
  EXPECT_TRUE(fs.remove("/rec/cam-2/a.mp4").ok());

  fs.clearFailures();
  EXPECT_TRUE((*writing)->append(bytes(3)).ok());
  EXPECT_TRUE(fs.remove("/rec/cam-1/a.mp4").ok());
}

TEST(FakeFileSystemTest, RemoveRenameAndTruncateAsPosix) {
  FakeFileSystem fs;
  ASSERT_TRUE(fs.putFile("/rec/cam-1/a.mp4", 10).ok());
  ASSERT_TRUE(fs.putFile("/rec/cam-1/b.mp4", 20).ok());

  EXPECT_EQ(fs.remove("/rec/cam-1").error().message, "cannot remove /rec/cam-1: Directory not empty");
  EXPECT_EQ(fs.remove("/rec").error().code, ErrorCode::Io);  // holds a folder
  EXPECT_EQ(fs.remove("/rec/cam-1/c.mp4").error().code, ErrorCode::NotFound);

  // rename replaces the target and frees its bytes.
  ASSERT_TRUE(fs.rename("/rec/cam-1/a.mp4", "/rec/cam-1/b.mp4").ok());
  EXPECT_FALSE(fs.exists("/rec/cam-1/a.mp4"));
  EXPECT_EQ(*fs.fileSize("/rec/cam-1/b.mp4"), 10u);
  EXPECT_EQ(fs.used(), 10u);
  EXPECT_EQ(fs.rename("/rec/cam-1/a.mp4", "/rec/cam-1/x.mp4").error().code, ErrorCode::NotFound);
  EXPECT_EQ(fs.rename("/rec/cam-1/b.mp4", "/rec/cam-9/b.mp4").error().code, ErrorCode::NotFound);
  EXPECT_EQ(fs.rename("/rec/cam-1/b.mp4", "/rec").error().code, ErrorCode::Io);
  ASSERT_TRUE(fs.rename("/rec/cam-1/b.mp4", "/rec/b.mp4").ok());

  ASSERT_TRUE(fs.remove("/rec/cam-1").ok());  // empty now
  EXPECT_FALSE(fs.exists("/rec/cam-1"));
  EXPECT_EQ(*fs.listFiles("/rec"), std::vector<std::string>{"b.mp4"});

  ASSERT_TRUE(fs.truncate("/rec/b.mp4", 4).ok());
  EXPECT_EQ(fs.read("/rec/b.mp4", 0, 100)->size(), 4u);
  ASSERT_TRUE(fs.truncate("/rec/b.mp4", 6).ok());
  EXPECT_EQ(*fs.read("/rec/b.mp4", 4, 100), (std::vector<std::uint8_t>{0, 0}));
  EXPECT_EQ(fs.used(), 6u);
  EXPECT_EQ(fs.truncate("/rec/none", 0).error().code, ErrorCode::NotFound);
}

TEST(FakeFileSystemTest, PowerCutKeepsWhatWasSynced) {
  FakeFileSystem fs;
  auto file = fs.create("/rec/a.mp4");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->append(bytes(8, 1)).ok());
  ASSERT_TRUE((*file)->sync().ok());
  ASSERT_TRUE((*file)->append(bytes(5, 2)).ok());
  ASSERT_TRUE(fs.putFile("/rec/b.mp4", 3).ok());

  fs.powerCut();
  EXPECT_EQ(*fs.read("/rec/a.mp4", 0, 100), bytes(8, 1));
  EXPECT_EQ(*fs.fileSize("/rec/b.mp4"), 3u);
  EXPECT_EQ(fs.used(), 11u);
  ASSERT_TRUE((*file)->append(bytes(1, 3)).ok());
  EXPECT_EQ(*fs.read("/rec/a.mp4", 8, 100), bytes(1, 3));
}

TEST(FakeFileSystemTest, ConcurrentWritersShareTheCapacity) {
  constexpr int kThreads = 4;
  constexpr int kAppends = 200;
  FakeFileSystem fs(kThreads * kAppends * 10 / 2);  // room for half of what they write
  std::vector<std::thread> threads;
  std::vector<std::uint64_t> written(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto file = fs.create("/rec/" + std::to_string(t) + ".mp4");
      if (!file.ok()) return;
      for (int i = 0; i < kAppends; ++i) static_cast<void>((*file)->append(bytes(10)));
      written[t] = (*file)->size();
    });
  }
  for (auto& th : threads) th.join();
  std::uint64_t total = 0;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(*fs.fileSize("/rec/" + std::to_string(t) + ".mp4"), written[t]);
    total += written[t];
  }
  EXPECT_EQ(total, static_cast<std::uint64_t>(kThreads * kAppends * 10 / 2));
  EXPECT_EQ(fs.space("/rec")->available, 0u);
}

}  // namespace
}  // namespace ocellus::test
