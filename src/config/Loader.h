#pragma once

#include <map>
#include <string>

#include "base/Result.h"
#include "config/Config.h"

namespace ocellus::config {

using Environment = std::map<std::string, std::string>;

// The process environment's OCELLUS_* variables.
Environment processEnvironment();

// Parses YAML text (`origin` names it in messages: a file path) with OCELLUS_<PATH> overrides
// from `env` applied on top, then validates. An unknown key, a wrong type or a bad value is an
// error naming the key, the line and what was expected; all problems are reported at once.
base::Result<Config> loadFromString(const std::string& yaml, const std::string& origin, const Environment& env);
// As above, reading the file (a missing file is an error).
base::Result<Config> loadFromFile(const std::string& path, const Environment& env);

}  // namespace ocellus::config
