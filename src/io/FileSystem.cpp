#include "io/FileSystem.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace ocellus::io {
namespace {

namespace fs = std::filesystem;

base::Error systemError(const std::string& what, const std::string& path, int err) {
  return base::makeError(err == ENOENT ? base::ErrorCode::NotFound
                         : err == EEXIST ? base::ErrorCode::AlreadyExists
                                         : base::ErrorCode::Io,
                         what + " " + path + ": " + std::strerror(err));
}

class PosixFile final : public WritableFile {
 public:
  PosixFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixFile() override { static_cast<void>(PosixFile::close()); }

  base::Status append(std::span<const std::uint8_t> bytes) override {
    if (fd_ < 0) return base::makeError(base::ErrorCode::InvalidState, "write to closed file " + path_);
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return systemError("cannot write", path_, errno);
      }
      size_ += static_cast<std::uint64_t>(n);
      bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return {};
  }

  base::Status sync() override {
    if (fd_ < 0) return base::makeError(base::ErrorCode::InvalidState, "sync of closed file " + path_);
    if (::fdatasync(fd_) != 0) return systemError("cannot sync", path_, errno);
    return {};
  }

  base::Status close() override {
    if (fd_ < 0) return {};
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return systemError("cannot close", path_, errno);
    return {};
  }

  std::uint64_t size() const override { return size_; }

 private:
  std::string path_;
  int fd_;
  std::uint64_t size_ = 0;
};

class PosixFileSystem final : public FileSystem {
 public:
  base::Result<std::unique_ptr<WritableFile>> create(const std::string& path) override {
    std::error_code ec;
    const auto parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) return systemError("cannot create folder for", path, ec.value());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return systemError("cannot create", path, errno);
    // The new name must survive a power cut as well as the bytes the caller syncs later.
    const int dir = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
    return std::unique_ptr<WritableFile>(std::make_unique<PosixFile>(path, fd));
  }

  base::Result<std::vector<std::uint8_t>> read(const std::string& path, std::uint64_t offset,
                                               std::uint64_t length) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return systemError("cannot open", path, errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      const int err = errno;
      ::close(fd);
      return systemError("cannot stat", path, err);
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    std::vector<std::uint8_t> out(offset >= size ? 0 : std::min(length, size - offset));
    std::size_t got = 0;
    while (got < out.size()) {
      const ssize_t n = ::pread(fd, out.data() + got, out.size() - got, static_cast<off_t>(offset + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int err = errno;
        ::close(fd);
        return systemError("cannot read", path, err);
      }
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    out.resize(got);
    return out;
  }

  base::Result<std::uint64_t> fileSize(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return systemError("cannot stat", path, errno);
    return static_cast<std::uint64_t>(st.st_size);
  }

  base::Status truncate(const std::string& path, std::uint64_t size) override {
    if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) return systemError("cannot truncate", path, errno);
    return {};
  }

  base::Status remove(const std::string& path) override {
    if (::remove(path.c_str()) != 0) return systemError("cannot remove", path, errno);
    return {};
  }

  base::Status rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return systemError("cannot rename " + from + " to", to, errno);
    return {};
  }

  base::Result<std::vector<std::string>> listFiles(const std::string& dir) override {
    std::error_code ec;
    std::vector<std::string> out;
    fs::recursive_directory_iterator it(dir, ec), end;
    if (ec) return systemError("cannot list", dir, ec.value());
    for (; it != end; it.increment(ec)) {
      if (ec) return systemError("cannot list", dir, ec.value());
      if (it->is_regular_file(ec)) out.push_back(it->path().lexically_relative(dir).generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  base::Result<DiskSpace> space(const std::string& path) override {
    struct statvfs s {};
    if (::statvfs(path.c_str(), &s) != 0) return systemError("cannot stat filesystem of", path, errno);
    return DiskSpace{static_cast<std::uint64_t>(s.f_blocks) * s.f_frsize,
                     static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize};
  }
};

}  // namespace

FileSystem& FileSystem::real() {
  static PosixFileSystem fs;
  return fs;
}

}  // namespace ocellus::io
