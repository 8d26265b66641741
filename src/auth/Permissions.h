#pragma once

#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

namespace ocellus::auth {

// The one role × permission matrix; REST, JSON-RPC and the media servers all ask it.
//
//   viewer    cameras:read streams:read media:read recordings:read snapshots:read alerts:read
//             events:subscribe
//   operator  viewer's + recordings:write snapshots:write alerts:ack media:publish
//   api_only  the same as operator, but never with a password: such accounts act through
//             API tokens (interactive login answers AUTH_ROLE_RESTRICTED)
//   admin     everything, including tokens:manage users:manage system:read system:write

enum class Role { Viewer, Operator, Admin, ApiOnly };

using PermissionSet = std::set<std::string, std::less<>>;

inline constexpr std::string_view kRoleViewer = "viewer";
inline constexpr std::string_view kRoleOperator = "operator";
inline constexpr std::string_view kRoleAdmin = "admin";
inline constexpr std::string_view kRoleApiOnly = "api_only";

inline constexpr std::string_view kCamerasRead = "cameras:read";
inline constexpr std::string_view kCamerasWrite = "cameras:write";
inline constexpr std::string_view kStreamsRead = "streams:read";
inline constexpr std::string_view kMediaRead = "media:read";
inline constexpr std::string_view kMediaPublish = "media:publish";
inline constexpr std::string_view kRecordingsRead = "recordings:read";
inline constexpr std::string_view kRecordingsWrite = "recordings:write";
inline constexpr std::string_view kSnapshotsRead = "snapshots:read";
inline constexpr std::string_view kSnapshotsWrite = "snapshots:write";
inline constexpr std::string_view kAlertsRead = "alerts:read";
inline constexpr std::string_view kAlertsAck = "alerts:ack";
inline constexpr std::string_view kEventsSubscribe = "events:subscribe";
inline constexpr std::string_view kTokensManage = "tokens:manage";
inline constexpr std::string_view kUsersManage = "users:manage";
inline constexpr std::string_view kSystemRead = "system:read";
inline constexpr std::string_view kSystemWrite = "system:write";

std::optional<Role> parseRole(std::string_view name);
std::string_view roleName(Role role);
bool isValidRole(std::string_view name);
bool isValidPermission(std::string_view permission);
// Every permission, in the order of the table above.
std::span<const std::string_view> allPermissions();
// Every role name.
std::span<const std::string_view> allRoles();

// The permissions of a role; the reference lives for the whole program.
const PermissionSet& permissionsOf(Role role);
// The permissions of a role given by name; empty for an unknown name.
const PermissionSet& permissionsOf(std::string_view role);
// False for api_only (and unknown roles): password login is refused for them.
bool mayLogInWithPassword(std::string_view role);

}  // namespace ocellus::auth
