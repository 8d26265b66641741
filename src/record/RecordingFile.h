#pragma once

#include <cstdint>
#include <string>

#include "record/SegmentLayout.h"

namespace ocellus::record {

// One recorded file as playback reads it: what the store indexed and a scan (SegmentFile.h)
// found. Lists of these are in recording order and do not overlap in time.
struct RecordingFile {
  std::string path;  // where the file is, for clip export (record/Clip.h)
  std::string url;   // what a VOD playlist lists for it (record/VodPlaylist.h), e.g. a signed URL
  std::int64_t wallStartMs = 0;  // the wall clock (ms since the epoch) at its first fragment
  SegmentLayout layout;
};

}  // namespace ocellus::record
