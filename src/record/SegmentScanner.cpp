#include "record/SegmentScanner.h"

#include <fmt/format.h>

#include <algorithm>

#include "format/fmp4/Box.h"
#include "format/fmp4/Fragment.h"
#include "format/fmp4/InitSegment.h"

namespace ocellus::record {
namespace {

using format::fmp4::fourCc;
using format::fmp4::fourCcText;

// size(32) type(32) largesize(64): enough to size any box (a uuid's usertype is not needed).
constexpr std::uint64_t kMaxHeaderSize = 16;
constexpr std::uint64_t kMinHeaderSize = 8;

}  // namespace

SegmentScanner::SegmentScanner(std::uint64_t fileSize) : fileSize_(fileSize) { advance(); }

void SegmentScanner::feed(std::span<const std::uint8_t> bytes) {
  if (!wanted_) return;
  const std::uint64_t length = std::min<std::uint64_t>(bytes.size(), wanted_->length);
  if (length < wanted_->length) fileSize_ = wanted_->offset + length;
  bufferOffset_ = wanted_->offset;
  buffer_.assign(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
  wanted_.reset();
  advance();
}

base::Result<SegmentLayout> SegmentScanner::result() const {
  if (error_) return *error_;
  if (phase_ != Phase::Done) return base::makeError(base::ErrorCode::InvalidState, "recording scan: not finished");
  return layout_;
}

std::span<const std::uint8_t> SegmentScanner::buffered(std::uint64_t offset) const {
  if (offset < bufferOffset_ || offset - bufferOffset_ > buffer_.size()) return {};
  return std::span(buffer_).subspan(static_cast<std::size_t>(offset - bufferOffset_));
}

void SegmentScanner::request(std::uint64_t offset, std::uint64_t length) {
  wanted_ = Read{offset, std::min(std::max(length, kReadAhead), fileSize_ - offset)};
}

bool SegmentScanner::fail(const std::string& why) {
  error_ = base::makeError(base::ErrorCode::Malformed, "recording: " + why);
  phase_ = Phase::Done;
  return false;
}

bool SegmentScanner::endTail(std::string why) {
  if (phase_ == Phase::Init) return fail(why);
  layout_.truncated = layout_.validSize < fileSize_;
  if (layout_.truncated) tailReason_ = std::move(why);
  phase_ = Phase::Done;
  return false;
}

void SegmentScanner::advance() {
  while (phase_ != Phase::Done && !wanted_) {
    if (pos_ >= fileSize_) {
      if (phase_ == Phase::Init) {
        fail("the init segment (ftyp, moov) is missing");
      } else {
        endTail("a styp or sidx box at the end without its fragment");
      }
      return;
    }
    const std::uint64_t left = fileSize_ - pos_;
    const auto view = buffered(pos_);
    const std::uint64_t headerBytes = std::min(kMaxHeaderSize, left);
    if (view.size() < headerBytes) {
      request(pos_, headerBytes);
      return;
    }
    auto header = format::fmp4::readBoxHeader(view.first(static_cast<std::size_t>(headerBytes)));
    if (!header) {
      endTail(fmt::format("box at {}: {}", pos_, header.error().message));
      return;
    }
    const std::uint64_t size = header->size == 0 ? left : header->size;
    if (size > left || size < header->headerSize) {
      endTail(fmt::format("'{}' box at {} of {} bytes runs past the end of the file ({} left)",
                          fourCcText(header->type), pos_, size, left));
      return;
    }
    if (phase_ == Phase::Init ? !initBox(header->type, size) : !fragmentBox(header->type, size)) return;
  }
}

bool SegmentScanner::initBox(std::uint32_t type, std::uint64_t size) {
  const bool ftyp = type == fourCc("ftyp");
  if (type == fourCc("free") || type == fourCc("skip")) {
    pos_ += size;
    return true;
  }
  if (!ftyp && type != fourCc("moov")) return fail(fmt::format("'{}' box at {} before the init segment", fourCcText(type), pos_));
  if (ftyp && !initBoxes_.empty()) return fail("a second ftyp box");
  if (!ftyp && initBoxes_.empty()) return fail(fmt::format("moov box at {} without an ftyp before it", pos_));
  if (size > kMaxInitBoxSize) return fail(fmt::format("'{}' box of {} bytes", fourCcText(type), size));
  const auto view = buffered(pos_);
  if (view.size() < size) {
    request(pos_, size);
    return false;
  }
  const auto box = view.first(static_cast<std::size_t>(size));
  initBoxes_.insert(initBoxes_.end(), box.begin(), box.end());
  pos_ += size;
  if (ftyp) return true;

  auto init = format::fmp4::InitSegment::parse(initBoxes_);
  if (!init) return fail(init.error().message);
  const auto& primary = init->tracks[format::fmp4::primaryTrack(init->tracks)];
  layout_.primaryTrackId = primary.id;
  layout_.primaryTimescale = primary.timescale;
  layout_.tracks = std::move(init->tracks);
  layout_.initSize = pos_;
  layout_.validSize = pos_;
  initBoxes_ = {};
  phase_ = Phase::Fragments;
  return true;
}

bool SegmentScanner::fragmentBox(std::uint32_t type, std::uint64_t size) {
  if (type == fourCc("free") || type == fourCc("skip")) {
    pos_ += size;
    layout_.validSize = pos_;
    return true;
  }
  if (phase_ == Phase::AfterMfra) return endTail(fmt::format("'{}' box at {} after the mfra box", fourCcText(type), pos_));
  if (type == fourCc("moof")) return fragment(size);
  // A segment type or index belongs to the fragment after it: it is kept only if that one is whole.
  if (type == fourCc("styp") || type == fourCc("sidx")) {
    pos_ += size;
    return true;
  }
  if (type == fourCc("mfra")) {
    pos_ += size;
    layout_.validSize = pos_;
    phase_ = Phase::AfterMfra;
    return true;
  }
  return endTail(fmt::format("unexpected '{}' box at {}", fourCcText(type), pos_));
}

bool SegmentScanner::fragment(std::uint64_t moofSize) {
  if (moofSize > kMaxMoofSize) return endTail(fmt::format("moof at {} of {} bytes", pos_, moofSize));
  const std::uint64_t moofEnd = pos_ + moofSize;
  const std::uint64_t left = fileSize_ - moofEnd;
  if (left < kMinHeaderSize) return endTail(fmt::format("moof at {} without its mdat", pos_));
  const std::uint64_t headerBytes = std::min(kMaxHeaderSize, left);
  const auto view = buffered(pos_);
  if (view.size() < moofSize + headerBytes) {
    request(pos_, moofSize + headerBytes);
    return false;
  }
  const auto mdat = format::fmp4::readBoxHeader(view.subspan(static_cast<std::size_t>(moofSize), static_cast<std::size_t>(headerBytes)));
  if (!mdat || mdat->type != fourCc("mdat")) return endTail(fmt::format("moof at {} not followed by an mdat", pos_));
  const std::uint64_t mdatSize = mdat->size == 0 ? left : mdat->size;
  if (mdatSize > left) {
    return endTail(fmt::format("mdat at {} of {} bytes, {} in the file", moofEnd, mdatSize, left));
  }
  auto parsed = format::fmp4::Fragment::parseMoof(view.first(static_cast<std::size_t>(moofSize)), mdatSize);
  if (!parsed) return endTail(fmt::format("moof at {}: {}", pos_, parsed.error().message));

  FragmentInfo info{pos_, moofSize + mdatSize, 0, 0, false};
  if (!layout_.fragments.empty()) info.decodeTime = layout_.fragments.back().decodeTime + layout_.fragments.back().duration;
  for (const auto& track : parsed->tracks) {
    if (track.trackId != layout_.primaryTrackId) continue;
    info.decodeTime = track.baseDecodeTime;
    for (const auto& s : track.samples) info.duration += s.duration;
    info.independent = !track.samples.empty() && track.samples.front().keyframe();
    break;
  }
  layout_.fragments.push_back(info);
  pos_ = moofEnd + mdatSize;
  layout_.validSize = pos_;
  return true;
}

}  // namespace ocellus::record
