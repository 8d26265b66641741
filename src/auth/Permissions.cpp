#include "auth/Permissions.h"

#include <array>

namespace ocellus::auth {
namespace {

constexpr std::array<std::string_view, 16> kAll = {
    kCamerasRead,     kCamerasWrite,  kStreamsRead,    kMediaRead,   kMediaPublish, kRecordingsRead,
    kRecordingsWrite, kSnapshotsRead, kSnapshotsWrite, kAlertsRead,  kAlertsAck,    kEventsSubscribe,
    kTokensManage,    kUsersManage,   kSystemRead,     kSystemWrite,
};

constexpr std::array<std::string_view, 4> kRoles = {kRoleViewer, kRoleOperator, kRoleAdmin, kRoleApiOnly};

constexpr std::array<std::string_view, 7> kViewer = {
    kCamerasRead, kStreamsRead, kMediaRead, kRecordingsRead, kSnapshotsRead, kAlertsRead, kEventsSubscribe,
};
constexpr std::array<std::string_view, 4> kOperatorExtra = {kRecordingsWrite, kSnapshotsWrite, kAlertsAck,
                                                            kMediaPublish};

struct Matrix {
  PermissionSet viewer;
  PermissionSet operatorSet;
  PermissionSet admin;
  PermissionSet none;

  Matrix() {
    for (auto p : kViewer) viewer.emplace(p);
    operatorSet = viewer;
    for (auto p : kOperatorExtra) operatorSet.emplace(p);
    for (auto p : kAll) admin.emplace(p);
  }
};

const Matrix& matrix() {
  static const Matrix m;
  return m;
}

}  // namespace

std::optional<Role> parseRole(std::string_view name) {
  if (name == kRoleViewer) return Role::Viewer;
  if (name == kRoleOperator) return Role::Operator;
  if (name == kRoleAdmin) return Role::Admin;
  if (name == kRoleApiOnly) return Role::ApiOnly;
  return std::nullopt;
}

std::string_view roleName(Role role) {
  switch (role) {
    case Role::Viewer:
      return kRoleViewer;
    case Role::Operator:
      return kRoleOperator;
    case Role::Admin:
      return kRoleAdmin;
    case Role::ApiOnly:
      return kRoleApiOnly;
  }
  return kRoleViewer;
}

bool isValidRole(std::string_view name) {
  return parseRole(name).has_value();
}

bool isValidPermission(std::string_view permission) {
  for (auto p : kAll) {
    if (p == permission) return true;
  }
  return false;
}

std::span<const std::string_view> allPermissions() {
  return kAll;
}
std::span<const std::string_view> allRoles() {
  return kRoles;
}

const PermissionSet& permissionsOf(Role role) {
  const Matrix& m = matrix();
  switch (role) {
    case Role::Viewer:
      return m.viewer;
    case Role::Operator:
      return m.operatorSet;
    case Role::ApiOnly:
      return m.operatorSet;
    case Role::Admin:
      return m.admin;
  }
  return m.none;
}

const PermissionSet& permissionsOf(std::string_view role) {
  const auto r = parseRole(role);
  return r ? permissionsOf(*r) : matrix().none;
}

bool mayLogInWithPassword(std::string_view role) {
  const auto r = parseRole(role);
  return r.has_value() && *r != Role::ApiOnly;
}

}  // namespace ocellus::auth
