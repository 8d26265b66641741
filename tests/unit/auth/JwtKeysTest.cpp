#include "auth/JwtKeys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

namespace ocellus::auth {
namespace {

class JwtKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ocellus-jwtkeys-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  std::filesystem::path dir;
};

TEST_F(JwtKeysTest, CreatesAPrivateFileOnFirstStartAndReadsItBack) {
  const auto dataDir = dir / "data";
  auto keys = JwtKeys::openInDataDir(dataDir);
  ASSERT_TRUE(keys) << keys.error().describe();
  const auto file = dataDir / JwtKeys::kFileName;
  EXPECT_EQ((*keys)->file(), file);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const JwtKeySet first = (*keys)->snapshot();
  EXPECT_EQ(first.current.secret.size(), JwtKey::kSecretBytes);
  EXPECT_FALSE(first.previous);

  auto again = JwtKeys::openInDataDir(dataDir);
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->snapshot().current, first.current);
}

TEST_F(JwtKeysTest, RotationPersistsAndKeepsThePreviousKey) {
  auto keys = JwtKeys::openInDataDir(dir);
  ASSERT_TRUE(keys);
  const JwtKey original = (*keys)->snapshot().current;
  ASSERT_TRUE((*keys)->rotate());
  const JwtKeySet rotated = (*keys)->snapshot();
  EXPECT_NE(rotated.current.kid, original.kid);
  ASSERT_TRUE(rotated.previous);
  EXPECT_EQ(*rotated.previous, original);
  EXPECT_NE(rotated.find(original.kid), nullptr);

  auto reloaded = JwtKeys::openInDataDir(dir);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ((*reloaded)->snapshot().current, rotated.current);
  EXPECT_EQ((*reloaded)->snapshot().previous, rotated.previous);

  ASSERT_TRUE((*keys)->rotate());
  EXPECT_EQ((*keys)->snapshot().find(original.kid), nullptr);
  struct stat st {};
  ASSERT_EQ(::stat((dir / JwtKeys::kFileName).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(JwtKeysTest, TightensAReadableFile) {
  auto keys = JwtKeys::openInDataDir(dir);
  ASSERT_TRUE(keys);
  const auto file = dir / JwtKeys::kFileName;
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  ASSERT_TRUE(JwtKeys::openInDataDir(dir));
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(JwtKeysTest, RefusesAMalformedFileWithoutOverwritingIt) {
  const auto file = dir / JwtKeys::kFileName;
  for (const char* text : {"", "# only a comment\n", "abc\n", "abc !!!!\n", "abc c2hvcnQ\n"}) {
    {
      std::ofstream out(file, std::ios::trunc);
      out << text;
    }
    ::chmod(file.c_str(), 0600);
    auto keys = JwtKeys::loadOrCreate(file);
    ASSERT_FALSE(keys) << text;
    EXPECT_EQ(keys.error().code, base::ErrorCode::Malformed) << text;
    std::ifstream in(file);
    std::string content((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(content, text);
  }
}

TEST_F(JwtKeysTest, InMemoryKeysRotateWithoutAFile) {
  auto keys = JwtKeys::inMemory({JwtKey::generate(), std::nullopt});
  const auto before = keys->snapshot().current;
  ASSERT_TRUE(keys->rotate());
  EXPECT_EQ(keys->snapshot().previous, before);
  EXPECT_TRUE(keys->file().empty());
}

}  // namespace
}  // namespace ocellus::auth
