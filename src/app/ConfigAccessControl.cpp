#include "app/ConfigAccessControl.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "proto/rtsp/Digest.h"

namespace ocellus::app {

ConfigAccessControl::ConfigAccessControl(const config::Config& config)
    : anonymous_(config.auth.anonymousMedia), users_(config.auth.users) {
  for (const auto& p : config.paths) {
    PathRule rule{p.pattern, std::nullopt, p.publish, p.anonymousMedia};
    if (!p.pattern.empty() && p.pattern[0] == '~') rule.pattern.emplace(p.pattern.substr(1));
    paths_.push_back(std::move(rule));
  }
  for (const auto& cam : config.cameras) {
    if (cam.source != "publisher") pulledPaths_.push_back("cameras/" + cam.id);
  }
}

const ConfigAccessControl::PathRule* ConfigAccessControl::ruleFor(const std::string& path) const {
  for (const auto& rule : paths_) {
    if (rule.pattern ? std::regex_search(path, *rule.pattern) : rule.name == path) return &rule;
  }
  return nullptr;
}

bool ConfigAccessControl::pathAllows(const media::MediaRequest& request) const {
  if (request.action == media::MediaAction::Read) return true;
  if (std::find(pulledPaths_.begin(), pulledPaths_.end(), request.path) != pulledPaths_.end()) return false;
  const auto* rule = ruleFor(request.path);
  return rule ? rule->publish : true;
}

bool ConfigAccessControl::allowsAnonymous(const media::MediaRequest& request) const {
  const auto* rule = ruleFor(request.path);
  const auto& policy = rule && !rule->anonymous.empty() ? rule->anonymous : anonymous_;
  if (policy == "any") return true;
  if (policy == "loopback") return request.loopback;
  return false;
}

const config::MediaUser* ConfigAccessControl::findUser(std::string_view name) const {
  for (const auto& u : users_) {
    if (u.username == name) return &u;
  }
  return nullptr;
}

std::optional<std::string> ConfigAccessControl::checkPassword(std::string_view user, std::string_view password) const {
  const auto* u = findUser(user);
  if (!u || u->password.size() != password.size() ||
      CRYPTO_memcmp(u->password.data(), password.data(), password.size()) != 0) {
    return std::nullopt;
  }
  return u->username;
}

std::optional<std::string> ConfigAccessControl::checkToken(std::string_view) const { return std::nullopt; }

std::optional<std::string> ConfigAccessControl::digestHa1(std::string_view user, bool sha256) const {
  const auto* u = findUser(user);
  if (!u) return std::nullopt;
  return proto::rtsp::digestHa1(sha256 ? proto::rtsp::DigestAlgorithm::Sha256 : proto::rtsp::DigestAlgorithm::Md5,
                                u->username, "ocellus", u->password);
}

bool ConfigAccessControl::permits(std::string_view user, const media::MediaRequest& request) const {
  const auto* u = findUser(user);
  if (!u) return false;
  return request.action == media::MediaAction::Read ? u->read : u->publish;
}

}  // namespace ocellus::app
