#pragma once

#include <regex>
#include <vector>

#include "config/Config.h"
#include "media/AccessControl.h"

namespace ocellus::app {

// Media authorization from ocellus.yml: auth.anonymous_media, auth.users, paths.*.publish and
// paths.*.anonymous_media.
// Immutable after construction (a reload builds a new one), so it is safe from any thread.
class ConfigAccessControl final : public media::AccessControl {
 public:
  explicit ConfigAccessControl(const config::Config& config);

  bool pathAllows(const media::MediaRequest& request) const override;
  bool allowsAnonymous(const media::MediaRequest& request) const override;
  std::optional<std::string> checkPassword(std::string_view user, std::string_view password) const override;
  // ocellus.yml knows no tokens: always nullopt.
  std::optional<std::string> checkToken(std::string_view token) const override;
  std::optional<std::string> digestHa1(std::string_view user, bool sha256) const override;
  bool permits(std::string_view user, const media::MediaRequest& request) const override;

 private:
  struct PathRule {
    std::string name;
    std::optional<std::regex> pattern;
    bool publish = true;
    std::string anonymous;  // empty: auth.anonymous_media
  };
  const config::MediaUser* findUser(std::string_view name) const;
  const PathRule* ruleFor(const std::string& path) const;

  std::string anonymous_;
  std::vector<config::MediaUser> users_;
  std::vector<PathRule> paths_;
  std::vector<std::string> pulledPaths_;  // camera paths fed by a pull source: no publishing
};

}  // namespace ocellus::app
