#include "auth/Permissions.h"

#include <gtest/gtest.h>

namespace ocellus::auth {
namespace {

PermissionSet setOf(std::initializer_list<std::string_view> list) {
  PermissionSet s;
  for (auto p : list) s.emplace(p);
  return s;
}

TEST(PermissionsTest, Matrix) {
  const PermissionSet viewer = setOf({"cameras:read", "streams:read", "media:read", "recordings:read",
                                      "snapshots:read", "alerts:read", "events:subscribe"});
  PermissionSet op = viewer;
  for (auto p : {"recordings:write", "snapshots:write", "alerts:ack", "media:publish"}) op.emplace(p);
  EXPECT_EQ(permissionsOf("viewer"), viewer);
  EXPECT_EQ(permissionsOf("operator"), op);
  EXPECT_EQ(permissionsOf("api_only"), op);
  EXPECT_EQ(permissionsOf("admin").size(), 16u);
  for (auto p : allPermissions()) EXPECT_EQ(permissionsOf(Role::Admin).count(p), 1u) << p;
  EXPECT_TRUE(permissionsOf("root").empty());
  EXPECT_EQ(permissionsOf("viewer").count("cameras:write"), 0u);
  EXPECT_EQ(permissionsOf("operator").count("users:manage"), 0u);
  EXPECT_EQ(permissionsOf("operator").count("tokens:manage"), 0u);
}

TEST(PermissionsTest, NamesAndValidation) {
  EXPECT_EQ(allPermissions().size(), 16u);
  for (auto p : allPermissions()) EXPECT_TRUE(isValidPermission(p)) << p;
  EXPECT_FALSE(isValidPermission("cameras:delete"));
  EXPECT_FALSE(isValidPermission(""));
  for (auto r : allRoles()) {
    ASSERT_TRUE(parseRole(r));
    EXPECT_EQ(roleName(*parseRole(r)), r);
  }
  EXPECT_FALSE(isValidRole("Admin"));
  EXPECT_TRUE(mayLogInWithPassword("viewer"));
  EXPECT_TRUE(mayLogInWithPassword("admin"));
  EXPECT_FALSE(mayLogInWithPassword("api_only"));
  EXPECT_FALSE(mayLogInWithPassword("nobody"));
}

}  // namespace
}  // namespace ocellus::auth
