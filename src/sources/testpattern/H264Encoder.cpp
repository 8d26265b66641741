#include "sources/testpattern/H264Encoder.h"

#include <array>
#include <cstring>
#include <string>

#include "sources/ffmpeg/Library.h"

namespace ocellus::sources::testpattern {

namespace {

// H.264 Table A-1 limits, Baseline bit rate in kbit/s (cpbBrVclFactor 1000). Level 1b is left out.
struct Level {
  int idc;
  int maxMbps;  // macroblocks per second
  int maxFs;    // macroblocks per frame
  int maxBrKbps;
};
constexpr std::array<Level, 16> kLevels{{
    {10, 1485, 99, 64},
    {11, 3000, 396, 192},
    {12, 6000, 396, 384},
    {13, 11880, 396, 768},
    {20, 11880, 396, 2000},
    {21, 19800, 792, 4000},
    {22, 20250, 1620, 4000},
    {30, 40500, 1620, 10000},
    {31, 108000, 3600, 14000},
    {32, 216000, 5120, 20000},
    {40, 245760, 8192, 20000},
    {41, 245760, 8192, 50000},
    {42, 522240, 8704, 50000},
    {50, 589824, 22080, 135000},
    {51, 983040, 36864, 240000},
    {52, 2073600, 36864, 240000},
}};

base::Error libavError(const char* what, int error) {
  return base::makeError(base::ErrorCode::Internal,
                         std::string("libx264 encoder: ") + what + ": " + ffmpeg::errorText(error));
}

}  // namespace

std::optional<int> H264Encoder::levelFor(const Config& config) {
  const long widthMbs = (config.width + 15) / 16;
  const long heightMbs = (config.height + 15) / 16;
  const long frameMbs = widthMbs * heightMbs;
  for (const Level& level : kLevels) {
    // A.3.1: neither dimension may exceed sqrt(8 * MaxFS) macroblocks.
    if (frameMbs <= level.maxFs && widthMbs * widthMbs <= 8L * level.maxFs &&
        heightMbs * heightMbs <= 8L * level.maxFs && frameMbs * config.fps <= level.maxMbps &&
        config.bitrateKbps <= level.maxBrKbps) {
      return level.idc;
    }
  }
  return std::nullopt;
}

base::Result<std::unique_ptr<H264Encoder>> H264Encoder::create(const Config& requested) {
  Config config = requested;
  if (config.gop == 0) config.gop = config.fps;
  if (config.width % 2 != 0 || config.height % 2 != 0 || config.width < kMinSize || config.width > kMaxSize ||
      config.height < kMinSize || config.height > kMaxSize || config.fps < 1 || config.fps > kMaxFps ||
      config.bitrateKbps < kMinBitrateKbps || config.bitrateKbps > kMaxBitrateKbps || config.gop < 1) {
    return base::makeError(base::ErrorCode::InvalidArgument,
                           "H.264 encoder config " + std::to_string(config.width) + "x" +
                               std::to_string(config.height) + " @" + std::to_string(config.fps) + " fps " +
                               std::to_string(config.bitrateKbps) + " kbit/s gop " +
                               std::to_string(config.gop) + " is out of range");
  }
  const std::optional<int> level = levelFor(config);
  if (!level) {
    return base::makeError(base::ErrorCode::Unsupported,
                           "no H.264 level admits " + std::to_string(config.width) + "x" +
                               std::to_string(config.height) + " @" + std::to_string(config.fps) + " fps");
  }
  if (const auto& lib = ffmpeg::library(); !lib) return lib.error();
  const AVCodec* codec = ffmpeg::loaded().avcodec_find_encoder_by_name("libx264");
  if (codec == nullptr) {
    return base::makeError(base::ErrorCode::Unsupported, "libavcodec was built without the libx264 encoder");
  }

  ffmpeg::CodecContextPtr context(ffmpeg::loaded().avcodec_alloc_context3(codec));
  ffmpeg::FramePtr frame(ffmpeg::loaded().av_frame_alloc());
  ffmpeg::PacketPtr packet(ffmpeg::loaded().av_packet_alloc());
  if (!context || !frame || !packet) return libavError("allocation", AVERROR(ENOMEM));

  context->width = config.width;
  context->height = config.height;
  context->pix_fmt = AV_PIX_FMT_YUV420P;
  context->time_base = AVRational{1, 90000};
  context->framerate = AVRational{config.fps, 1};
  context->bit_rate = config.bitrateKbps * 1000LL;
  context->rc_max_rate = context->bit_rate;
  context->rc_buffer_size = static_cast<int>(context->bit_rate);  // one second
  context->gop_size = config.gop;
  context->max_b_frames = 0;
  context->level = *level;
  // One thread: x264's sliced threads would split the picture into slices, frame threads add delay.
  context->thread_count = 1;
  // The Renderer draws BT.601 limited range; say so in the VUI, or HD players assume BT.709.
  context->color_range = AVCOL_RANGE_MPEG;
  context->colorspace = AVCOL_SPC_SMPTE170M;
  context->color_primaries = AVCOL_PRI_SMPTE170M;
  context->color_trc = AVCOL_TRC_SMPTE170M;

  AVDictionary* options = nullptr;
  ffmpeg::loaded().av_dict_set(&options, "preset", "ultrafast", 0);
  ffmpeg::loaded().av_dict_set(&options, "tune", "zerolatency", 0);
  ffmpeg::loaded().av_dict_set(&options, "profile", "baseline", 0);
  ffmpeg::loaded().av_dict_set(&options, "forced-idr", "1", 0);  // a requested keyframe is an IDR, not an open-GOP I
  ffmpeg::loaded().av_dict_set(&options, "x264-params", "repeat-headers=1:scenecut=0", 0);
  const int opened = ffmpeg::loaded().avcodec_open2(context.get(), codec, &options);
  const AVDictionaryEntry* ignored = ffmpeg::loaded().av_dict_get(options, "", nullptr, AV_DICT_IGNORE_SUFFIX);
  const std::string ignoredName = ignored ? ignored->key : "";
  ffmpeg::loaded().av_dict_free(&options);
  if (opened < 0) return libavError("avcodec_open2", opened);
  if (!ignoredName.empty()) {
    return base::makeError(base::ErrorCode::Unsupported,
                           "libx264 encoder does not know option " + ignoredName);
  }

  frame->format = AV_PIX_FMT_YUV420P;
  frame->width = config.width;
  frame->height = config.height;
  if (const int error = ffmpeg::loaded().av_frame_get_buffer(frame.get(), 0); error < 0) {
    return libavError("av_frame_get_buffer", error);
  }
  return std::unique_ptr<H264Encoder>(
      new H264Encoder(config, std::move(context), std::move(frame), std::move(packet)));
}

H264Encoder::H264Encoder(const Config& config, ffmpeg::CodecContextPtr context, ffmpeg::FramePtr frame,
                         ffmpeg::PacketPtr packet)
    : config_(config), context_(std::move(context)), frame_(std::move(frame)), packet_(std::move(packet)) {}

H264Encoder::~H264Encoder() = default;

base::Status H264Encoder::encode(const std::uint8_t* i420, std::int64_t pts90k, const OnFrame& onFrame) {
  if (i420 == nullptr)
    return base::makeError(base::ErrorCode::InvalidArgument, "libx264 encoder: no picture");
  // The encoder may still reference the previous picture's buffer: get a writable one.
  if (const int error = ffmpeg::loaded().av_frame_make_writable(frame_.get()); error < 0) {
    return libavError("av_frame_make_writable", error);
  }
  const std::uint8_t* source = i420;
  for (int plane = 0; plane < 3; ++plane) {
    const int width = plane == 0 ? config_.width : config_.width / 2;
    const int height = plane == 0 ? config_.height : config_.height / 2;
    for (int y = 0; y < height; ++y) {
      std::memcpy(frame_->data[plane] + static_cast<std::ptrdiff_t>(y) * frame_->linesize[plane], source,
                  width);
      source += width;
    }
  }
  frame_->pts = pts90k;
  frame_->pict_type = keyframeRequested_ ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
  if (const int error = ffmpeg::loaded().avcodec_send_frame(context_.get(), frame_.get()); error < 0) {
    return libavError("avcodec_send_frame", error);
  }
  keyframeRequested_ = false;

  for (;;) {
    const int error = ffmpeg::loaded().avcodec_receive_packet(context_.get(), packet_.get());
    if (error == AVERROR(EAGAIN)) return {};
    if (error < 0) return libavError("avcodec_receive_packet", error);
    onFrame(std::span<const std::uint8_t>(packet_->data, static_cast<std::size_t>(packet_->size)),
            packet_->pts, (packet_->flags & AV_PKT_FLAG_KEY) != 0);
    ffmpeg::loaded().av_packet_unref(packet_.get());
  }
}

}  // namespace ocellus::sources::testpattern
