#pragma once

#include <cstdint>
#include <span>

#include "base/Result.h"
#include "io/FileSystem.h"
#include "record/RecordingFile.h"

namespace ocellus::record {

struct ClipResult {
  std::int64_t startMs = 0;     // wall clock (ms since the epoch) of the clip's first frame
  std::int64_t endMs = 0;       // wall clock at the end of its last primary-track frame
  std::int64_t durationMs = 0;  // of the clip's media: the gaps between files are left out
  std::uint64_t bytes = 0;      // written to the output
  bool truncatedAtTrackChange = false;  // a file with other tracks than the first ended the clip
};

// Writes one fragmented MP4 of the recordings in [fromMs, toMs) (wall clock) to `out`: the
// first file's init segment, then its fragments rebuilt sample by sample (format::fmp4::Fragment),
// starting at the last sync sample of the primary track at or before fromMs (the first one after
// it when fromMs falls in a gap or before the first keyframe) and ending with the last sample
// that starts before toMs; the other tracks keep the samples of the same span. Decode times are
// rebased so the clip starts at 0 and runs on without gaps across files; fragments are
// renumbered 1, 2, 3... A file whose tracks differ from the first file's ends the clip there.
// Reads one fragment at a time. NotFound when no keyframe lies in the range; the filesystem's
// or the output's error when reading or writing fails (the output then holds a partial clip).
base::Result<ClipResult> exportClip(io::FileSystem& fs, std::span<const RecordingFile> files, std::int64_t fromMs,
                                    std::int64_t toMs, io::WritableFile& out);

}  // namespace ocellus::record
