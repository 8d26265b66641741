#pragma once

#include <string>

#include "base/Result.h"
#include "io/FileSystem.h"
#include "record/SegmentLayout.h"

namespace ocellus::record {

// Scans a recorded fMP4 file through the filesystem seam (SegmentScanner does the parsing,
// reading headers and moofs only). Errors name the file: Malformed when it has no complete
// init segment, the filesystem's error when it cannot be read.
base::Result<SegmentLayout> scanSegment(io::FileSystem& fs, const std::string& path);

// Scans, then cuts a torn tail off (truncate to validSize) so the file ends with its last
// complete fragment; the layout of the repaired file (truncated false). For files a crash left
// unfinished: the caller must know that nobody is writing the file.
base::Result<SegmentLayout> repairSegment(io::FileSystem& fs, const std::string& path);

}  // namespace ocellus::record
