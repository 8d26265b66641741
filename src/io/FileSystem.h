#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/Result.h"

namespace ocellus::io {

// Bytes of the filesystem that holds a path (statvfs): what the recorder and retention need.
struct DiskSpace {
  std::uint64_t total = 0;
  std::uint64_t available = 0;  // to an unprivileged writer (f_bavail)
};

// A file being written: appends only, then sync and close. Errors are ErrorCode::Io with a
// message naming the file and the system's reason ("No space left on device", …); a failed
// append may have written part of the bytes (size() says how many landed).
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual base::Status append(std::span<const std::uint8_t> bytes) = 0;
  virtual base::Status sync() = 0;  // fdatasync: what was appended survives a power cut
  virtual base::Status close() = 0;  // idempotent; the destructor closes too, ignoring errors
  virtual std::uint64_t size() const = 0;
};

// The filesystem seam (DESIGN §8 io/): recording, playback and retention reach the disk only
// through this, so tests run them against a fake disk (tests/fakes/FakeFileSystem.h) with
// a chosen capacity and injected failures. Paths are absolute or relative to the process's
// working directory, as with POSIX. Every method is thread-safe. NotFound for a missing path.
class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // A new file (fails with AlreadyExists when it exists); missing parent folders are created.
  // Its name is synced to the disk (the folder is fsynced), so a power cut keeps the entry.
  virtual base::Result<std::unique_ptr<WritableFile>> create(const std::string& path) = 0;
  // Up to `length` bytes from `offset` (fewer at the end of the file).
  virtual base::Result<std::vector<std::uint8_t>> read(const std::string& path, std::uint64_t offset,
                                                       std::uint64_t length) = 0;
  virtual base::Result<std::uint64_t> fileSize(const std::string& path) = 0;
  virtual base::Status truncate(const std::string& path, std::uint64_t size) = 0;
  virtual base::Status remove(const std::string& path) = 0;  // a file, or an empty folder
  virtual base::Status rename(const std::string& from, const std::string& to) = 0;
  // Regular files under `dir`, recursively, as paths relative to it ('/'-separated), sorted.
  virtual base::Result<std::vector<std::string>> listFiles(const std::string& dir) = 0;
  virtual base::Result<DiskSpace> space(const std::string& path) = 0;

  // The real disk (POSIX). Lives for the whole program.
  static FileSystem& real();
};

}  // namespace ocellus::io
