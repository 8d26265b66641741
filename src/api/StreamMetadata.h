#pragma once

#include <boost/json/value.hpp>

#include "media/Stream.h"

namespace ocellus::api {

// What the API shows of a stream's metadata: {"klv": {MISB ST 0601 fields}} once a KLV track
// carried a UAS Datalink set, else null. Angles in degrees, distances in metres, the precision
// time stamp as microseconds and as an ISO 8601 time; a field the set did not carry (or carried
// as "out of range") is absent.
boost::json::value streamMetadataJson(const media::Stream* stream);

}  // namespace ocellus::api
