#include "auth/JwtKeys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "auth/Secrets.h"
#include "base/Log.h"
#include "base/Base64.h"

namespace ocellus::auth {
namespace {

const base::Logger& logger() {
  static const base::Logger log("auth");
  return log;
}

base::Error ioError(const std::string& what, const std::filesystem::path& path) {
  return base::makeError(base::ErrorCode::Io, what + " " + path.string() + ": " + std::strerror(errno));
}

bool isKid(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
          c == '_')) {
      return false;
    }
  }
  return true;
}

std::string format(const JwtKeySet& keys) {
  std::string out = "# Ocellus JWT signing keys (HS256): current first, then previous. Keep secret.\n";
  out += keys.current.kid + " " + base::base64UrlEncode(keys.current.secret) + "\n";
  if (keys.previous) out += keys.previous->kid + " " + base::base64UrlEncode(keys.previous->secret) + "\n";
  return out;
}

base::Result<JwtKeySet> parse(std::string_view text, const std::filesystem::path& path) {
  std::vector<JwtKey> keys;
  std::size_t lineNo = 0;
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++lineNo;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto bad = [&](const std::string& why) {
      return base::makeError(base::ErrorCode::Malformed,
                             path.string() + " line " + std::to_string(lineNo) + ": " + why);
    };
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) return bad("expected \"<kid> <base64url secret>\"");
    const std::string_view kid = line.substr(0, space);
    auto secret = base::base64UrlDecode(line.substr(space + 1));
    if (!isKid(kid)) return bad("bad key id");
    if (!secret) return bad("secret is not base64url");
    if (secret->size() < JwtKey::kMinSecretBytes) {
      return bad("secret shorter than " + std::to_string(JwtKey::kMinSecretBytes) + " bytes");
    }
    if (keys.size() == 2) return bad("more than two keys");
    keys.push_back(JwtKey{std::string(kid), std::move(*secret)});
  }
  if (keys.empty()) return base::makeError(base::ErrorCode::Malformed, path.string() + ": no key");
  if (keys.size() == 2 && keys[0].kid == keys[1].kid) {
    return base::makeError(base::ErrorCode::Malformed, path.string() + ": both keys have the same id");
  }
  JwtKeySet set{std::move(keys[0]), std::nullopt};
  if (keys.size() == 2) set.previous = std::move(keys[1]);
  return set;
}

// Writes `text` to `path` through a 0600 temporary file in the same folder, then renames it
// over the target, so a crash leaves either the old file or the new one.
base::Status writeAtomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return ioError("cannot create", tmp);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      auto err = ioError("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return err;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    auto err = ioError("cannot sync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return err;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto err = ioError("cannot rename onto", path);
    ::unlink(tmp.c_str());
    return err;
  }
  // Make the rename itself durable.
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

}  // namespace

base::Result<std::unique_ptr<JwtKeys>> JwtKeys::loadOrCreate(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    if (errno != ENOENT) return ioError("cannot stat", file);
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
      return base::makeError(base::ErrorCode::Io,
                             "cannot create " + file.parent_path().string() + ": " + ec.message());
    }
    JwtKeySet keys{JwtKey::generate(), std::nullopt};
    OCELLUS_TRY(writeAtomically(file, format(keys)));
    logger().info("created JWT signing key {} in {}", keys.current.kid, file.string());
    return std::unique_ptr<JwtKeys>(new JwtKeys(file, std::move(keys)));
  }
  if (!S_ISREG(st.st_mode))
    return base::makeError(base::ErrorCode::Malformed, file.string() + " is not a file");
  if (static_cast<std::size_t>(st.st_size) > kMaxFileSize) {
    return base::makeError(base::ErrorCode::TooLarge, file.string() + " is larger than a key file");
  }
  if ((st.st_mode & 077) != 0) {
    logger().warn("{} was readable by others; setting mode 0600", file.string());
    if (::chmod(file.c_str(), 0600) != 0) return ioError("cannot chmod", file);
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return ioError("cannot open", file);
  std::string text(kMaxFileSize + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxFileSize) {
    return base::makeError(base::ErrorCode::TooLarge, file.string() + " is larger than a key file");
  }
  auto keys = parse(text, file);
  if (!keys) return keys.error();
  return std::unique_ptr<JwtKeys>(new JwtKeys(file, std::move(*keys)));
}

base::Result<std::unique_ptr<JwtKeys>> JwtKeys::openInDataDir(const std::filesystem::path& dataDir) {
  return loadOrCreate(dataDir / kFileName);
}

std::unique_ptr<JwtKeys> JwtKeys::inMemory(JwtKeySet keys) {
  return std::unique_ptr<JwtKeys>(new JwtKeys({}, std::move(keys)));
}

JwtKeySet JwtKeys::snapshot() const {
  std::lock_guard lock(mutex_);
  return keys_;
}

base::Status JwtKeys::rotate() {
  // rotateMutex_ keeps two rotations from interleaving; mutex_ is never held during the I/O.
  std::lock_guard rotating(rotateMutex_);
  JwtKeySet next{JwtKey::generate(), snapshot().current};
  if (!file_.empty()) OCELLUS_TRY(writeAtomically(file_, format(next)));
  logger().info("rotated JWT signing key: now {}, previous {}", next.current.kid, next.previous->kid);
  std::lock_guard lock(mutex_);
  keys_ = std::move(next);
  return {};
}

}  // namespace ocellus::auth
