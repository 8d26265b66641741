#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>

#include "base/Result.h"

namespace ocellus::sources::ffmpeg {

// The FFmpeg functions Ocellus calls, each with the library that exports it.
#define OCELLUS_FFMPEG_FUNCTIONS(X)                                            \
  X(avutil, av_dict_free)                                                      \
  X(avutil, av_dict_get)                                                       \
  X(avutil, av_dict_set)                                                       \
  X(avutil, av_frame_alloc)                                                    \
  X(avutil, av_frame_free)                                                     \
  X(avutil, av_frame_get_buffer)                                               \
  X(avutil, av_frame_make_writable)                                            \
  X(avutil, av_opt_set_int)                                                    \
  X(avutil, av_strerror)                                                       \
  X(avcodec, av_packet_alloc)                                                  \
  X(avcodec, av_packet_free)                                                   \
  X(avcodec, av_packet_unref)                                                  \
  X(avcodec, avcodec_alloc_context3)                                           \
  X(avcodec, avcodec_find_decoder)                                             \
  X(avcodec, avcodec_find_encoder_by_name)                                     \
  X(avcodec, avcodec_free_context)                                             \
  X(avcodec, avcodec_open2)                                                    \
  X(avcodec, avcodec_receive_frame)                                            \
  X(avcodec, avcodec_receive_packet)                                           \
  X(avcodec, avcodec_send_frame)                                               \
  X(avcodec, avcodec_send_packet)                                              \
  X(swscale, sws_alloc_context)                                                \
  X(swscale, sws_freeContext)                                                  \
  X(swscale, sws_init_context)                                                 \
  X(swscale, sws_scale)

// FFmpeg, loaded when first needed (dlopen) rather than at start: libavcodec pulls in about
// ninety shared libraries (codecs, librsvg, glib, ICU…) whose mapped pages are most of an idle
// server's memory, and a server that encodes and decodes nothing should not carry them. The
// sonames are those of the headers Ocellus was compiled against.
struct Library {
#define OCELLUS_FFMPEG_POINTER(lib, name) decltype(&::name) name = nullptr;
  OCELLUS_FFMPEG_FUNCTIONS(OCELLUS_FFMPEG_POINTER)
#undef OCELLUS_FFMPEG_POINTER
};

// Loads FFmpeg on the first call (thread-safe); later calls return the same result. An error
// names the library or symbol that is missing. The libraries stay loaded until exit.
const base::Result<const Library*>& library();

// The loaded library; only after library() succeeded.
inline const Library& loaded() { return *library().value(); }

// av_strerror's text for a libav error code ("Invalid data found when processing input").
std::string errorText(int error);

// Owners of libav objects, which they free through loaded(): create them only after library()
// succeeded.
struct Free {
  void operator()(AVCodecContext* context) const;
  void operator()(AVFrame* frame) const;
  void operator()(AVPacket* packet) const;
  void operator()(SwsContext* scaler) const;
};
using CodecContextPtr = std::unique_ptr<AVCodecContext, Free>;
using FramePtr = std::unique_ptr<AVFrame, Free>;
using PacketPtr = std::unique_ptr<AVPacket, Free>;
using ScalerPtr = std::unique_ptr<SwsContext, Free>;

}  // namespace ocellus::sources::ffmpeg
