#pragma once

#include <memory>
#include <string>

#include "base/Log.h"
#include "base/Result.h"
#include "config/Config.h"

namespace ocellus::app {

// Builds the modules in dependency order, runs until SIGINT/SIGTERM, stops them in reverse
// within 2 s. SIGHUP re-reads the config file and applies its camera list without touching
// streams whose camera did not change.
class Application {
 public:
  // Reads `path` (or ./ocellus.yml when empty and present, else the built-in defaults), with
  // OCELLUS_* environment overrides.
  static base::Result<config::Config> loadConfig(const std::string& path);

  Application(config::Config config, std::string configPath);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  base::Status start();
  // Blocks until a stop signal, then stops everything.
  void run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ocellus::app
