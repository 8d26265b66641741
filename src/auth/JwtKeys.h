#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string_view>

#include "auth/JwtKeySet.h"
#include "base/Result.h"

namespace ocellus::auth {

// The JWT signing keys of this server, kept in `<data_dir>/jwt.keys` (mode 0600): created
// with one random 32-byte key on first start, then read at every start, so access tokens
// survive a restart. rotate() makes a new current key and keeps the old one as `previous`,
// so tokens issued before the rotation stay valid until they expire (15 minutes by default);
// a second rotation retires it.
//
// File format, one key a line, current first:  <kid> <base64url secret>   ('#' starts a comment)
//
// Thread-safe: snapshot() and rotate() may race; a snapshot is a copy.
class JwtKeys {
 public:
  static constexpr std::string_view kFileName = "jwt.keys";
  static constexpr std::size_t kMaxFileSize = 4096;

  // Reads `file`, or creates it (and its folder) with a fresh key when it does not exist.
  // Malformed: the file exists but is not a key file (it is never overwritten then).
  // Io: it cannot be read or written. Tightens the mode to 0600 if others could read it.
  static base::Result<std::unique_ptr<JwtKeys>> loadOrCreate(const std::filesystem::path& file);
  // loadOrCreate(dataDir / kFileName).
  static base::Result<std::unique_ptr<JwtKeys>> openInDataDir(const std::filesystem::path& dataDir);
  // Keys that live in memory only (tests, tools); rotate() then writes nothing.
  static std::unique_ptr<JwtKeys> inMemory(JwtKeySet keys);

  JwtKeySet snapshot() const;
  // New current key, the old current becomes previous; the file is replaced atomically
  // (write, fsync, rename) before the new key is used. On Io the keys stay as they were.
  base::Status rotate();
  // Empty for in-memory keys.
  const std::filesystem::path& file() const { return file_; }

 private:
  JwtKeys(std::filesystem::path file, JwtKeySet keys) : file_(std::move(file)), keys_(std::move(keys)) {}

  const std::filesystem::path file_;
  std::mutex rotateMutex_;    // held for a whole rotate(), file write included
  mutable std::mutex mutex_;  // held only to copy or replace keys_
  JwtKeySet keys_;            // guarded by mutex_
};

}  // namespace ocellus::auth
