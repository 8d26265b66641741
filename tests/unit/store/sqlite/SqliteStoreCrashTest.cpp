// Durability against kill -9: what a call reported as committed is there after the process dies
// at an arbitrary point, and the file reopens sound.

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "store/sqlite/SqliteStore.h"
#include "unit/store/TempDir.h"

namespace ocellus::store::sqlite {
namespace {

constexpr int kRounds = 8;
constexpr std::size_t kReportsBeforeKill = 40;
constexpr std::int64_t kMaxPerRound = 1'000'000;  // a child left alone stops by itself
// Rows per transaction: the more, the likelier a kill lands inside one.
constexpr std::size_t kPermissions = 20;

// Runs in the forked child: commits tokens (a row and its permission rows, one transaction each)
// and reports each id over `fd` once createToken has returned. Never returns.
[[noreturn]] void commitUntilKilled(const std::string& path, std::int64_t first, int fd) {
  auto store = SqliteStore::open(path);
  if (!store.ok()) _exit(2);
  for (std::int64_t id = first; id < first + kMaxPerRound; ++id) {
    ApiToken t;
    t.id = "tok_" + std::to_string(id);
    t.name = "crash " + std::to_string(id);
    t.secretHash = std::string(64, 'f');
    for (std::size_t p = 0; p < kPermissions; ++p) t.permissions.push_back("perm" + std::to_string(p));
    if (!(*store)->createToken(t).ok()) _exit(3);
    // 8 bytes < PIPE_BUF: the write is atomic (POSIX write(2)).
    if (write(fd, &id, sizeof id) != static_cast<ssize_t>(sizeof id)) _exit(4);
  }
  _exit(0);
}

// Reads whole ids from `fd` into `ids` until `enough` arrived, EOF, or the deadline; returns
// false on EOF.
bool readIds(int fd, std::set<std::int64_t>& ids, std::string& partial, std::size_t enough,
             std::chrono::steady_clock::time_point deadline) {
  while (ids.size() < enough && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    partial.append(buf, static_cast<std::size_t>(n));
    while (partial.size() >= sizeof(std::int64_t)) {
      std::int64_t id = 0;
      std::memcpy(&id, partial.data(), sizeof id);
      ids.insert(id);
      partial.erase(0, sizeof id);
    }
  }
  return true;
}

TEST(SqliteStoreCrashTest, CommittedWritesSurviveKill9) {
  TempDir dir;
  const std::string path = dir.file("ocellus.db");
  std::set<std::int64_t> reported;
  std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<int> delayUs(0, 3000);

  // Each round's child recovers the WAL the previous one left behind.
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      commitUntilKilled(path, (round + 1) * kMaxPerRound, fds[1]);
    }
    close(fds[1]);

    std::string partial;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const std::size_t before = reported.size();
    const bool open = readIds(fds[0], reported, partial, before + kReportsBeforeKill, deadline);
    // Killed wherever it is: a random delay unhooks the kill from the report just read, so it
    // lands between transactions or in the middle of one.
    std::this_thread::sleep_for(std::chrono::microseconds(delayUs(rng)));
    kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(open);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child ended by itself, status " << status;
    // What it reported before dying counts too.
    readIds(fds[0], reported, partial, SIZE_MAX, std::chrono::steady_clock::now() + std::chrono::seconds(5));
    close(fds[0]);
    ASSERT_GE(reported.size(), before + kReportsBeforeKill) << "round " << round;
  }

  auto store = SqliteStore::open(path);
  ASSERT_TRUE(store.ok()) << store.error().describe();
  auto integrity = (*store)->checkIntegrity();
  EXPECT_TRUE(integrity.ok()) << integrity.error().describe();

  auto tokens = (*store)->listTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.error().describe();
  std::map<std::string, std::size_t> permissionsById;
  for (const auto& t : *tokens) {
    permissionsById[t.id] = t.permissions.size();
    // All or nothing: a token is never there without its permissions.
    EXPECT_EQ(t.permissions.size(), kPermissions) << t.id;
  }
  for (std::int64_t id : reported) {
    EXPECT_TRUE(permissionsById.contains("tok_" + std::to_string(id))) << "committed token " << id << " lost";
  }
  // At most one commit per round went unreported (killed between commit and report).
  EXPECT_LE(tokens->size(), reported.size() + kRounds);
}

}  // namespace
}  // namespace ocellus::store::sqlite
