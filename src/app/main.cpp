// ocellus — the command line: serve (default), config check, --version.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "app/Application.h"
#include "app/Version.h"
#include "config/Loader.h"

int main(int argc, char** argv) {
  using namespace ocellus;
  CLI::App cli{"Ocellus — a self-hosted camera platform in one binary"};
  cli.set_version_flag("--version", std::string("ocellus ") + app::kVersion);
  std::string configPath;
  cli.add_option("-c,--config", configPath, "configuration file (YAML); default: ./ocellus.yml if present");

  auto* serve = cli.add_subcommand("serve", "run the server (the default)");
  serve->add_option("-c,--config", configPath, "configuration file (YAML)");
  auto* configCmd = cli.add_subcommand("config", "configuration tools");
  std::string checkPath;
  auto* check = configCmd->add_subcommand("check", "validate a configuration file and exit");
  check->add_option("file", checkPath, "the file to check")->required();
  configCmd->require_subcommand(1);
  cli.require_subcommand(0, 1);

  CLI11_PARSE(cli, argc, argv);

  if (check->parsed()) {
    auto c = config::loadFromFile(checkPath, config::processEnvironment());
    if (!c) {
      std::cerr << c.error().message << "\n";
      return 2;
    }
    std::cout << checkPath << ": ok\n";
    return 0;
  }

  auto loaded = app::Application::loadConfig(configPath);
  if (!loaded) {
    std::cerr << "ocellus: configuration error:\n" << loaded.error().message << "\n";
    return 2;
  }
  app::Application application(std::move(loaded).value(), configPath);
  auto started = application.start();
  if (!started) {
    std::cerr << "ocellus: cannot start: " << started.error().message << "\n";
    return 1;
  }
  application.run();
  return 0;
}
