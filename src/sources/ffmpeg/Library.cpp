#include "sources/ffmpeg/Library.h"

#include <dlfcn.h>

#include <string>

namespace ocellus::sources::ffmpeg {
namespace {

#define OCELLUS_STRINGIFY_(x) #x
#define OCELLUS_STRINGIFY(x) OCELLUS_STRINGIFY_(x)

base::Result<const Library*> load() {
  static const std::string sonames[] = {
      "libavutil.so." OCELLUS_STRINGIFY(LIBAVUTIL_VERSION_MAJOR),
      "libavcodec.so." OCELLUS_STRINGIFY(LIBAVCODEC_VERSION_MAJOR),
  };
  void* handles[2] = {};
  for (int i = 0; i < 2; ++i) {
    handles[i] = dlopen(sonames[i].c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handles[i] == nullptr) {
      return base::makeError(base::ErrorCode::Unsupported,
                             "cannot load " + sonames[i] + " (install Debian's FFmpeg libraries): " + dlerror());
    }
  }
  void* const avutil = handles[0];
  void* const avcodec = handles[1];
  static Library lib;
#define OCELLUS_FFMPEG_RESOLVE(from, name)                                                          \
  lib.name = reinterpret_cast<decltype(lib.name)>(dlsym(from, #name));                             \
  if (lib.name == nullptr) {                                                                        \
    return base::makeError(base::ErrorCode::Unsupported, "FFmpeg library lacks " #name);            \
  }
  OCELLUS_FFMPEG_FUNCTIONS(OCELLUS_FFMPEG_RESOLVE)
#undef OCELLUS_FFMPEG_RESOLVE
  return &lib;
}

}  // namespace

const base::Result<const Library*>& library() {
  static const base::Result<const Library*> result = load();
  return result;
}

}  // namespace ocellus::sources::ffmpeg
