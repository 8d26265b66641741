#include "snapshot/JpegEncoder.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

namespace ocellus::snapshot {
namespace {

namespace ffmpeg = sources::ffmpeg;

base::Error encodeError(const char* what, int error) {
  return base::makeError(base::ErrorCode::Internal,
                         std::string("JPEG encoder: ") + what + ": " + ffmpeg::errorText(error));
}

// The decoder's format with the deprecated "J" (full range) formats replaced by their plain
// twins, and whether the picture uses the full 0..255 range: flagged in the stream (VUI
// video_full_range_flag) or implied by a J format. libswscale logs a warning for every context
// made with a J format and takes the range as an option instead.
struct Source {
  AVPixelFormat format;
  bool fullRange;
};
Source describe(const AVFrame& picture) {
  const auto format = static_cast<AVPixelFormat>(picture.format);
  const bool flagged = picture.color_range == AVCOL_RANGE_JPEG;
  switch (format) {
    case AV_PIX_FMT_YUVJ420P:
      return {AV_PIX_FMT_YUV420P, true};
    case AV_PIX_FMT_YUVJ422P:
      return {AV_PIX_FMT_YUV422P, true};
    case AV_PIX_FMT_YUVJ444P:
      return {AV_PIX_FMT_YUV444P, true};
    default:
      return {format, flagged};
  }
}

}  // namespace

JpegEncoder::Size JpegEncoder::scaledSize(Size picture, int width) {
  if (width == 0 || picture.width <= 0) return picture;
  // The nearest even height: 2 * round(height * width / picture.width / 2).
  const long long halfHeight = (1LL * picture.height * width + picture.width) / (2LL * picture.width);
  return Size{width, std::max(2, static_cast<int>(2 * halfHeight))};
}

base::Result<Jpeg> JpegEncoder::encode(const AVFrame& picture, int width, int quality) {
  const auto& lib = ffmpeg::loaded();
  const Size size = scaledSize({picture.width, picture.height}, width);

  // Scaled into plain 4:2:0 at full range, which the mjpeg encoder of FFmpeg 5.1 takes only
  // under the deprecated name for the same layout, YUVJ420P. The ranges are set before
  // sws_init_context: set afterwards, a same-size conversion stays a plain copy.
  const Source source = describe(picture);
  ffmpeg::ScalerPtr scaler(lib.sws_alloc_context());
  if (!scaler) return encodeError("allocation", AVERROR(ENOMEM));
  const std::pair<const char*, std::int64_t> scalerOptions[] = {
      {"srcw", picture.width},
      {"srch", picture.height},
      {"src_format", source.format},
      {"dstw", size.width},
      {"dsth", size.height},
      {"dst_format", AV_PIX_FMT_YUV420P},
      {"src_range", source.fullRange ? 1 : 0},
      {"dst_range", 1},
      {"sws_flags", SWS_BICUBIC},
  };
  for (const auto& [name, value] : scalerOptions) {
    if (const int error = lib.av_opt_set_int(scaler.get(), name, value, 0); error < 0) {
      return encodeError(name, error);
    }
  }
  if (const int error = lib.sws_init_context(scaler.get(), nullptr, nullptr); error < 0) {
    return base::makeError(base::ErrorCode::Unsupported,
                           "JPEG encoder: libswscale cannot convert the decoded pixel format " +
                               std::to_string(picture.format) + ": " + ffmpeg::errorText(error));
  }
  constexpr AVPixelFormat kJpegFormat = AV_PIX_FMT_YUVJ420P;

  ffmpeg::FramePtr scaled(lib.av_frame_alloc());
  ffmpeg::PacketPtr packet(lib.av_packet_alloc());
  const AVCodec* mjpeg = lib.avcodec_find_encoder_by_name("mjpeg");
  if (mjpeg == nullptr) {
    return base::makeError(base::ErrorCode::Unsupported, "libavcodec lacks the mjpeg encoder");
  }
  ffmpeg::CodecContextPtr context(lib.avcodec_alloc_context3(mjpeg));
  if (!scaled || !packet || !context) return encodeError("allocation", AVERROR(ENOMEM));

  scaled->format = kJpegFormat;
  scaled->width = size.width;
  scaled->height = size.height;
  if (const int error = lib.av_frame_get_buffer(scaled.get(), 0); error < 0) {
    return encodeError("av_frame_get_buffer", error);
  }
  lib.sws_scale(scaler.get(), picture.data, picture.linesize, 0, picture.height, scaled->data,
                scaled->linesize);

  context->width = size.width;
  context->height = size.height;
  context->pix_fmt = kJpegFormat;
  context->color_range = AVCOL_RANGE_JPEG;
  context->time_base = AVRational{1, 25};  // required, meaningless for one picture
  context->thread_count = 1;
  // A fixed quantizer scale rather than a bit rate: one picture has no rate to control.
  context->flags |= AV_CODEC_FLAG_QSCALE;
  context->global_quality = quality * FF_QP2LAMBDA;
  // mjpeg's default two-pass optimal Huffman tables: they cost no measurable time here and
  // make the test pattern 40% smaller than the standard tables of ITU-T T.81 Annex K.3 do.
  if (const int error = lib.avcodec_open2(context.get(), mjpeg, nullptr); error < 0) {
    return encodeError("avcodec_open2", error);
  }
  scaled->quality = context->global_quality;
  scaled->pts = 0;
  if (const int error = lib.avcodec_send_frame(context.get(), scaled.get()); error < 0) {
    return encodeError("avcodec_send_frame", error);
  }
  if (const int error = lib.avcodec_receive_packet(context.get(), packet.get()); error < 0) {
    return encodeError("avcodec_receive_packet", error);
  }
  return Jpeg{.bytes = {packet->data, packet->data + packet->size},
              .width = size.width,
              .height = size.height,
              .frameTime = {}};
}

}  // namespace ocellus::snapshot
