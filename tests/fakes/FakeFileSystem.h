#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/Result.h"
#include "io/FileSystem.h"

namespace ocellus::test {

// An in-memory disk for tests of recording, playback and retention (io::FileSystem): a chosen
// capacity, failures injected by path prefix, and power cuts that lose what was not synced.
//
// It behaves as POSIX does where callers can tell: create makes missing parent folders and
// refuses an existing path; remove takes a file or an empty folder; rename replaces an existing
// target file and needs the target's folder; a removed file still open for writing keeps its
// bytes (and its space) until it is closed. Differences: rename moves files only; every byte
// counts against the capacity (no sparse files, no block rounding); paths are compared after
// lexical normalisation, without a working directory. An append past the capacity writes what
// fits and fails with Io "No space left on device".
//
// Thread-safe: one mutex guards everything, files' appends included. Files it creates must not
// outlive it.
class FakeFileSystem final : public io::FileSystem {
 public:
  // Operations a failure can be injected into.
  enum class Op { Create, Write, Sync, Read, Truncate, Remove, Rename, List };

  explicit FakeFileSystem(std::uint64_t capacity = std::uint64_t{1} << 30) : capacity_(capacity) {}

  // ---- test controls

  void setCapacity(std::uint64_t capacity) {
    std::lock_guard lock(mutex_);
    capacity_ = capacity;
  }

  // From now on `op` on any path starting with `pathPrefix` fails with Io "<what> <path>:
  // <message>" (a rename fails by its source path).
  void fail(Op op, std::string pathPrefix, std::string message) {
    std::lock_guard lock(mutex_);
    failures_.push_back({op, std::move(pathPrefix), std::move(message)});
  }
  void clearFailures() {
    std::lock_guard lock(mutex_);
    failures_.clear();
  }

  // Creates `dir` and its missing parents, as mkdir -p.
  base::Status makeDirs(const std::string& dir) {
    const std::string d = normal(dir);
    std::lock_guard lock(mutex_);
    if (files_.contains(d))
      return error(base::ErrorCode::AlreadyExists, "cannot create folder", d, "File exists");
    OCELLUS_TRY(addFolders(d));
    if (!isFolder(d)) folders_.insert(d);
    return {};
  }

  // Creates or replaces the file at `path` with `size` zero bytes, synced; missing folders are
  // created. Fails with Io when the disk cannot hold it.
  base::Status putFile(const std::string& path, std::uint64_t size) {
    const std::string p = normal(path);
    std::lock_guard lock(mutex_);
    if (folders_.contains(p)) return error(base::ErrorCode::Io, "cannot create", p, "Is a directory");
    auto old = files_.find(p);
    const std::uint64_t freed =
        old != files_.end() && old->second->writers == 0 ? old->second->data.size() : 0;
    if (size > available() + freed) return error(base::ErrorCode::Io, "cannot write", p, kNoSpace);
    OCELLUS_TRY(addFolders(p));
    if (old != files_.end()) unlink(old);
    auto node = std::make_shared<Node>();
    node->data.resize(size);
    node->synced = size;
    used_ += size;
    files_.emplace(p, std::move(node));
    return {};
  }

  bool exists(const std::string& path) const {
    const std::string p = normal(path);
    std::lock_guard lock(mutex_);
    return files_.contains(p) || isFolder(p);
  }

  // Bytes held by files, including removed files still open.
  std::uint64_t used() const {
    std::lock_guard lock(mutex_);
    return used_;
  }

  // Every file loses what was appended after its last sync (WritableFile::sync), as after a
  // power cut; handles stay open and append after what survived.
  void powerCut() {
    std::lock_guard lock(mutex_);
    for (auto& [path, node] : files_) {
      used_ -= node->data.size() - node->synced;
      node->data.resize(node->synced);
    }
  }

  // ---- io::FileSystem

  base::Result<std::unique_ptr<io::WritableFile>> create(const std::string& path) override {
    const std::string p = normal(path);
    std::lock_guard lock(mutex_);
    OCELLUS_TRY(injected(Op::Create, "cannot create", p));
    if (files_.contains(p) || isFolder(p)) {
      return error(base::ErrorCode::AlreadyExists, "cannot create", p, "File exists");
    }
    OCELLUS_TRY(addFolders(p));
    auto node = std::make_shared<Node>();
    node->writers = 1;
    files_.emplace(p, node);
    return std::unique_ptr<io::WritableFile>(std::make_unique<File>(*this, p, std::move(node)));
  }

  base::Result<std::vector<std::uint8_t>> read(const std::string& path, std::uint64_t offset,
                                               std::uint64_t length) override {
    const std::string p = normal(path);
    std::lock_guard lock(mutex_);
    OCELLUS_TRY(injected(Op::Read, "cannot read", p));
    auto node = file(p, "cannot open");
    if (!node.ok()) return node.error();
    const auto& data = (*node)->data;
    if (offset >= data.size()) return std::vector<std::uint8_t>();
    const auto begin = data.begin() + static_cast<std::ptrdiff_t>(offset);
    const auto count = std::min<std::uint64_t>(length, data.size() - offset);
    return std::vector<std::uint8_t>(begin, begin + static_cast<std::ptrdiff_t>(count));
  }

  base::Result<std::uint64_t> fileSize(const std::string& path) override {
    const std::string p = normal(path);
    std::lock_guard lock(mutex_);
    auto node = file(p, "cannot stat");
    if (!node.ok()) return node.error();
    return static_cast<std::uint64_t>((*node)->data.size());
  }

  base::Status truncate(const std::string& path, std::uint64_t size) override {
    const std::string p = normal(path);
    std::lock_guard lock(mutex_);
    OCELLUS_TRY(injected(Op::Truncate, "cannot truncate", p));
    auto node = file(p, "cannot truncate");
    if (!node.ok()) return node.error();
    auto& data = (*node)->data;
    if (size > data.size() && size - data.size() > available()) {
      return error(base::ErrorCode::Io, "cannot truncate", p, kNoSpace);
    }
    used_ = used_ - data.size() + size;
    data.resize(size);
    (*node)->synced = std::min((*node)->synced, data.size());
    return {};
  }

  base::Status remove(const std::string& path) override {
    const std::string p = normal(path);
    std::lock_guard lock(mutex_);
    OCELLUS_TRY(injected(Op::Remove, "cannot remove", p));
    if (auto it = files_.find(p); it != files_.end()) {
      unlink(it);
      return {};
    }
    if (!folders_.contains(p)) return error(base::ErrorCode::NotFound, "cannot remove", p, kNoEntry);
    if (!childrenOf(p).empty() || hasSubfolder(p)) {
      return error(base::ErrorCode::Io, "cannot remove", p, "Directory not empty");
    }
    folders_.erase(p);
    return {};
  }

  base::Status rename(const std::string& from, const std::string& to) override {
    const std::string f = normal(from);
    const std::string t = normal(to);
    std::lock_guard lock(mutex_);
    OCELLUS_TRY(injected(Op::Rename, "cannot rename", f));
    const std::string what = "cannot rename " + f + " to";
    auto source = files_.find(f);
    if (source == files_.end()) return error(base::ErrorCode::NotFound, what, t, kNoEntry);
    if (isFolder(t)) return error(base::ErrorCode::Io, what, t, "Is a directory");
    if (!isFolder(parentOf(t))) return error(base::ErrorCode::NotFound, what, t, kNoEntry);
    if (f == t) return {};
    auto node = source->second;
    files_.erase(source);
    if (auto target = files_.find(t); target != files_.end()) unlink(target);
    files_.emplace(t, std::move(node));
    return {};
  }

  base::Result<std::vector<std::string>> listFiles(const std::string& dir) override {
    const std::string d = normal(dir);
    std::lock_guard lock(mutex_);
    OCELLUS_TRY(injected(Op::List, "cannot list", d));
    if (!isFolder(d)) {
      return files_.contains(d) ? error(base::ErrorCode::Io, "cannot list", d, "Not a directory")
                                : error(base::ErrorCode::NotFound, "cannot list", d, kNoEntry);
    }
    // files_ is sorted by full path, so the relative paths under one folder come out sorted.
    return childrenOf(d);
  }

  base::Result<io::DiskSpace> space(const std::string& path) override {
    const std::string p = normal(path);
    std::lock_guard lock(mutex_);
    if (!files_.contains(p) && !isFolder(p)) {
      return error(base::ErrorCode::NotFound, "cannot stat filesystem of", p, kNoEntry);
    }
    return io::DiskSpace{capacity_, available()};
  }

 private:
  static constexpr const char* kNoSpace = "No space left on device";
  static constexpr const char* kNoEntry = "No such file or directory";

  // A file's bytes, shared by its name and its open handles (an inode).
  struct Node {
    std::vector<std::uint8_t> data;
    std::uint64_t synced = 0;  // bytes that survive powerCut()
    bool linked = true;        // false once removed or replaced
    int writers = 0;           // open handles
  };

  struct Failure {
    Op op;
    std::string prefix;
    std::string message;
  };

  class File final : public io::WritableFile {
   public:
    File(FakeFileSystem& fs, std::string path, std::shared_ptr<Node> node)
        : fs_(fs), path_(std::move(path)), node_(std::move(node)) {}
    ~File() override { static_cast<void>(File::close()); }
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    base::Status append(std::span<const std::uint8_t> bytes) override {
      std::lock_guard lock(fs_.mutex_);
      if (closed_) return base::makeError(base::ErrorCode::InvalidState, "write to closed file " + path_);
      OCELLUS_TRY(fs_.injected(Op::Write, "cannot write", path_));
      const auto fits = static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), fs_.available()));
      node_->data.insert(node_->data.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(fits));
      fs_.used_ += fits;
      size_ += fits;
      if (fits < bytes.size()) return error(base::ErrorCode::Io, "cannot write", path_, kNoSpace);
      return {};
    }

    base::Status sync() override {
      std::lock_guard lock(fs_.mutex_);
      if (closed_) return base::makeError(base::ErrorCode::InvalidState, "sync of closed file " + path_);
      OCELLUS_TRY(fs_.injected(Op::Sync, "cannot sync", path_));
      node_->synced = node_->data.size();
      return {};
    }

    base::Status close() override {
      std::lock_guard lock(fs_.mutex_);
      if (closed_) return {};
      closed_ = true;
      if (--node_->writers == 0 && !node_->linked) fs_.used_ -= node_->data.size();
      return {};
    }

    std::uint64_t size() const override {
      std::lock_guard lock(fs_.mutex_);
      return size_;
    }

   private:
    FakeFileSystem& fs_;
    const std::string path_;
    const std::shared_ptr<Node> node_;
    bool closed_ = false;     // guarded by fs_.mutex_
    std::uint64_t size_ = 0;  // bytes this handle appended; guarded by fs_.mutex_
  };

  // "a//b/./c/" → "a/b/c"; the root stays "/".
  static std::string normal(const std::string& path) {
    std::string p = std::filesystem::path(path).lexically_normal().generic_string();
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
  }

  static std::string parentOf(const std::string& path) {
    return std::filesystem::path(path).parent_path().generic_string();
  }

  static base::Error error(base::ErrorCode code, const std::string& what, const std::string& path,
                           const std::string& reason) {
    return base::makeError(code, what + " " + path + ": " + reason);
  }

  // The root, the working directory ("" or ".") and every folder made so far exist.
  bool isFolder(const std::string& path) const {
    return path.empty() || path == "/" || path == "." || folders_.contains(path);
  }

  bool hasSubfolder(const std::string& dir) const {
    auto it = folders_.upper_bound(dir + "/");
    return it != folders_.end() && it->starts_with(dir + "/");
  }

  // Files under `dir`, recursively, relative to it.
  std::vector<std::string> childrenOf(const std::string& dir) const {
    const std::string prefix = dir == "." ? "" : dir == "/" ? "/" : dir + "/";
    std::vector<std::string> out;
    for (auto it = files_.lower_bound(prefix); it != files_.end() && it->first.starts_with(prefix); ++it) {
      // A relative working directory holds relative paths only.
      if (prefix.empty() && it->first.starts_with('/')) continue;
      out.push_back(it->first.substr(prefix.size()));
    }
    return out;
  }

  // The missing folders above `path`, as create makes them; Io when one of them is a file.
  base::Status addFolders(const std::string& path) {
    std::vector<std::string> missing;
    for (std::string dir = parentOf(path); !isFolder(dir); dir = parentOf(dir)) {
      if (files_.contains(dir)) return error(base::ErrorCode::Io, "cannot create", path, "Not a directory");
      missing.push_back(dir);
    }
    folders_.insert(missing.begin(), missing.end());
    return {};
  }

  base::Status injected(Op op, const std::string& what, const std::string& path) const {
    for (const auto& f : failures_) {
      if (f.op == op && path.starts_with(f.prefix)) return error(base::ErrorCode::Io, what, path, f.message);
    }
    return {};
  }

  base::Result<Node*> file(const std::string& path, const std::string& what) const {
    if (auto it = files_.find(path); it != files_.end()) return it->second.get();
    if (isFolder(path)) return error(base::ErrorCode::Io, what, path, "Is a directory");
    return error(base::ErrorCode::NotFound, what, path, kNoEntry);
  }

  // Drops the name; the bytes go when the last open handle closes.
  void unlink(std::map<std::string, std::shared_ptr<Node>>::iterator it) {
    it->second->linked = false;
    if (it->second->writers == 0) used_ -= it->second->data.size();
    files_.erase(it);
  }

  std::uint64_t available() const { return used_ >= capacity_ ? 0 : capacity_ - used_; }

  mutable std::mutex mutex_;
  std::uint64_t capacity_;
  std::uint64_t used_ = 0;  // bytes of every file, removed ones still open included
  std::map<std::string, std::shared_ptr<Node>> files_;
  std::set<std::string> folders_;
  std::vector<Failure> failures_;
};

}  // namespace ocellus::test
