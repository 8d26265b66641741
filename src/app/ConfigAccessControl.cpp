#include "app/ConfigAccessControl.h"

#include <algorithm>

namespace ocellus::app {

ConfigAccessControl::ConfigAccessControl(const config::Config& config)
    : anonymous_(config.auth.anonymousMedia), users_(config.auth.users) {
  for (const auto& p : config.paths) {
    PathRule rule{p.pattern, std::nullopt, p.publish};
    if (!p.pattern.empty() && p.pattern[0] == '~') rule.pattern.emplace(p.pattern.substr(1));
    paths_.push_back(std::move(rule));
  }
  for (const auto& cam : config.cameras) {
    if (cam.source != "publisher") pulledPaths_.push_back("cameras/" + cam.id);
  }
}

bool ConfigAccessControl::pathAllows(const media::MediaRequest& request) const {
  if (request.action == media::MediaAction::Read) return true;
  if (std::find(pulledPaths_.begin(), pulledPaths_.end(), request.path) != pulledPaths_.end()) return false;
  for (const auto& rule : paths_) {
    const bool match = rule.pattern ? std::regex_search(request.path, *rule.pattern) : rule.name == request.path;
    if (match) return rule.publish;
  }
  return true;
}

bool ConfigAccessControl::allowsAnonymous(const media::MediaRequest& request) const {
  if (anonymous_ == "any") return true;
  if (anonymous_ == "loopback") return request.loopback;
  return false;
}

const config::MediaUser* ConfigAccessControl::findUser(std::string_view name) const {
  for (const auto& u : users_) {
    if (u.username == name) return &u;
  }
  return nullptr;
}

std::optional<std::string> ConfigAccessControl::secretFor(std::string_view user) const {
  const auto* u = findUser(user);
  if (!u) return std::nullopt;
  return u->password;
}

bool ConfigAccessControl::permits(std::string_view user, const media::MediaRequest& request) const {
  const auto* u = findUser(user);
  if (!u) return false;
  return request.action == media::MediaAction::Read ? u->read : u->publish;
}

}  // namespace ocellus::app
