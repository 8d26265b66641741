#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace ocellus::snapshot::test {

// A JPEG decoded by libavcodec's mjpeg decoder (linked directly, as a viewer would decode it):
// its size, pixel format and luma plane, tightly packed.
struct DecodedJpeg {
  int width = 0;
  int height = 0;
  AVPixelFormat format = AV_PIX_FMT_NONE;
  std::vector<std::uint8_t> luma;

  std::uint8_t at(int x, int y) const { return luma[static_cast<std::size_t>(y) * width + x]; }
};

inline std::optional<DecodedJpeg> decodeJpeg(const std::vector<std::uint8_t>& bytes) {
  struct Free {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
    void operator()(AVFrame* f) const { av_frame_free(&f); }
    void operator()(AVPacket* p) const { av_packet_free(&p); }
  };
  std::unique_ptr<AVCodecContext, Free> context(
      avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_MJPEG)));
  std::unique_ptr<AVFrame, Free> frame(av_frame_alloc());
  std::unique_ptr<AVPacket, Free> packet(av_packet_alloc());
  if (!context || avcodec_open2(context.get(), context->codec, nullptr) != 0) return std::nullopt;
  packet->data = const_cast<std::uint8_t*>(bytes.data());
  packet->size = static_cast<int>(bytes.size());
  if (avcodec_send_packet(context.get(), packet.get()) != 0 ||
      avcodec_receive_frame(context.get(), frame.get()) != 0) {
    return std::nullopt;
  }
  DecodedJpeg out{frame->width, frame->height, static_cast<AVPixelFormat>(frame->format), {}};
  for (int y = 0; y < frame->height; ++y) {
    const std::uint8_t* row = frame->data[0] + static_cast<std::ptrdiff_t>(y) * frame->linesize[0];
    out.luma.insert(out.luma.end(), row, row + frame->width);
  }
  return out;
}

}  // namespace ocellus::snapshot::test
