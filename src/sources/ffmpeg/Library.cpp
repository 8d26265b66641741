#include "sources/ffmpeg/Library.h"

#include <dlfcn.h>

#include <array>
#include <iterator>

namespace ocellus::sources::ffmpeg {
namespace {

#define OCELLUS_STRINGIFY_(x) #x
#define OCELLUS_STRINGIFY(x) OCELLUS_STRINGIFY_(x)

base::Result<const Library*> load() {
  static const std::string sonames[] = {
      "libavutil.so." OCELLUS_STRINGIFY(LIBAVUTIL_VERSION_MAJOR),
      "libavcodec.so." OCELLUS_STRINGIFY(LIBAVCODEC_VERSION_MAJOR),
      "libswscale.so." OCELLUS_STRINGIFY(LIBSWSCALE_VERSION_MAJOR),
  };
  void* handles[std::size(sonames)] = {};
  for (std::size_t i = 0; i < std::size(sonames); ++i) {
    handles[i] = dlopen(sonames[i].c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handles[i] == nullptr) {
      return base::makeError(base::ErrorCode::Unsupported,
                             "cannot load " + sonames[i] + " (install Debian's FFmpeg libraries): " + dlerror());
    }
  }
  void* const avutil = handles[0];
  void* const avcodec = handles[1];
  void* const swscale = handles[2];
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

std::string errorText(int error) {
  std::array<char, AV_ERROR_MAX_STRING_SIZE> text{};
  loaded().av_strerror(error, text.data(), text.size());
  return text.data();
}

void Free::operator()(AVCodecContext* context) const { loaded().avcodec_free_context(&context); }
void Free::operator()(AVFrame* frame) const { loaded().av_frame_free(&frame); }
void Free::operator()(AVPacket* packet) const { loaded().av_packet_free(&packet); }
void Free::operator()(SwsContext* scaler) const { loaded().sws_freeContext(scaler); }

}  // namespace ocellus::sources::ffmpeg
