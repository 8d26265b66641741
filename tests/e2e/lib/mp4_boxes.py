"""A minimal ISO-BMFF (ISO/IEC 14496-12) reader for the e2e tests: walks boxes, describes the
tracks of an init segment (moov) and reads the samples of every fragment (moof + mdat) by the
tfhd and trun flags actually set, so that a test sees what a player would, not what the writer
meant. Independent of src/format/fmp4 on purpose. Malformed input raises ValueError.

    movie = read_movie(path.read_bytes())
    for track in movie.tracks.values(): track.handler, track.sample_entry, track.samples
"""

import struct
from dataclasses import dataclass, field

# §4.2: boxes whose payload is a sequence of boxes (those the readers below descend into).
CONTAINERS = {"moov", "trak", "mdia", "minf", "stbl", "mvex", "moof", "traf", "dinf", "edts", "udta"}

# tfhd flags (§8.8.7.1) and trun flags (§8.8.8.1).
TFHD_BASE_DATA_OFFSET = 0x000001
TFHD_SAMPLE_DESCRIPTION_INDEX = 0x000002
TFHD_DEFAULT_DURATION = 0x000008
TFHD_DEFAULT_SIZE = 0x000010
TFHD_DEFAULT_FLAGS = 0x000020
TFHD_DURATION_IS_EMPTY = 0x010000
TFHD_DEFAULT_BASE_IS_MOOF = 0x020000
TRUN_DATA_OFFSET = 0x000001
TRUN_FIRST_SAMPLE_FLAGS = 0x000004
TRUN_DURATION = 0x000100
TRUN_SIZE = 0x000200
TRUN_FLAGS = 0x000400
TRUN_CTS_OFFSET = 0x000800
# sample_flags (§8.8.3.1): sample_is_non_sync_sample.
SAMPLE_IS_NON_SYNC = 0x010000

# §12.1.3 VisualSampleEntry: the sample entries whose 70 bytes of picture fields come before
# their boxes (the decoder configuration: 'avcC', 'hvcC', 'av1C', 'vpcC').
VISUAL_SAMPLE_ENTRIES = {"avc1", "avc3", "hvc1", "hev1", "av01", "vp08", "vp09"}
VISUAL_FIELDS_SIZE = 70


@dataclass
class Box:
    type: str
    start: int    # offset of the box's first header byte in the buffer
    body: int     # offset of its payload
    end: int      # offset just past it

    def payload(self, data):
        return data[self.body:self.end]


def boxes(data, start=0, end=None):
    """The boxes laid end to end in data[start:end] (§4.2: 32-bit size, 1 = 64-bit size follows,
    0 = to the end)."""
    end = len(data) if end is None else end
    pos = start
    while pos < end:
        if end - pos < 8:
            raise ValueError(f"{end - pos} stray bytes at offset {pos}")
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if end - pos < 16:
                raise ValueError(f"64-bit box size cut short at offset {pos}")
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise ValueError(f"box {kind!r} at offset {pos} has size {size}, {end - pos} bytes left")
        yield Box(kind.decode("latin-1"), pos, pos + header, pos + size)
        pos += size


def children(data, box):
    return list(boxes(data, box.body, box.end))


def child(data, box, kind):
    """The first child of `box` of type `kind`, or None."""
    return next((b for b in boxes(data, box.body, box.end) if b.type == kind), None)


def path(data, box, *kinds):
    """Descends box/kinds[0]/kinds[1]/...; None as soon as one is missing."""
    for kind in kinds:
        if box is None:
            return None
        box = child(data, box, kind)
    return box


def full_box(data, box):
    """(version, flags, offset of the rest of the payload) of a FullBox (§4.2)."""
    if box.end - box.body < 4:
        raise ValueError(f"full box {box.type!r} at offset {box.start} has no version and flags")
    (word,) = struct.unpack_from(">I", data, box.body)
    return word >> 24, word & 0xFFFFFF, box.body + 4


def tree(data, start=0, end=None, depth=0):
    """An indented outline of the boxes (for assertion messages)."""
    lines = []
    for b in boxes(data, start, end):
        lines.append(f"{'  ' * depth}{b.type} ({b.end - b.start} bytes)")
        if b.type in CONTAINERS:
            lines += tree(data, b.body, b.end, depth + 1)
    return lines


def _u32(data, offset, end):
    if offset + 4 > end:
        raise ValueError(f"field at offset {offset} runs past its box (ends at {end})")
    return struct.unpack_from(">I", data, offset)[0], offset + 4


def _u64(data, offset, end):
    if offset + 8 > end:
        raise ValueError(f"field at offset {offset} runs past its box (ends at {end})")
    return struct.unpack_from(">Q", data, offset)[0], offset + 8


@dataclass
class SampleEntry:
    type: str                 # four-character code: 'avc1', 'urim', 'mp4a'...
    data_reference_index: int
    children: dict            # child box type -> payload bytes ('urim': 'uri ', 'uriI'; video: 'avcC', 'av1C'...)


@dataclass
class Sample:
    decode_time: int          # in the track's timescale: tfdt + durations of the samples before it
    duration: int
    flags: int
    cts_offset: int
    data: bytes = field(repr=False)

    @property
    def sync(self):
        """Whether a decoder can start here (a keyframe)."""
        return not self.flags & SAMPLE_IS_NON_SYNC


@dataclass
class Track:
    track_id: int
    handler: str              # hdlr handler_type: 'vide', 'soun', 'meta'...
    timescale: int
    media_header: str         # the minf box that says the media type: 'vmhd', 'smhd', 'nmhd', 'sthd'...
    sample_entries: list
    samples: list = field(default_factory=list, repr=False)

    @property
    def sample_entry(self):
        return self.sample_entries[0] if self.sample_entries else None

    def span(self):
        """(first decode time, end of the last sample) in seconds; None without samples."""
        if not self.samples:
            return None
        last = self.samples[-1]
        return self.samples[0].decode_time / self.timescale, (last.decode_time + last.duration) / self.timescale


@dataclass
class Movie:
    top: list                 # the top-level box types in order
    tracks: dict              # track_id -> Track
    fragments: int = 0


def uri_of(entry):
    """The URI of a URIMetaSampleEntry ('urim', §12.3.3): its 'uri ' child, a FullBox holding
    a NUL-terminated UTF-8 string. None when the entry has no such child."""
    payload = entry.children.get("uri ")
    if payload is None:
        return None
    if len(payload) < 5 or b"\0" not in payload[4:]:
        raise ValueError(f"'uri ' box is not a NUL-terminated string: {payload!r}")
    return payload[4:payload.index(b"\0", 4)].decode("utf-8")


def _sample_entries(data, stsd):
    _, _, pos = full_box(data, stsd)
    count, pos = _u32(data, pos, stsd.end)
    entries = list(boxes(data, pos, stsd.end))
    if len(entries) != count:
        raise ValueError(f"stsd says {count} entries, holds {len(entries)}")
    out = []
    for e in entries:
        # §8.5.2.2 SampleEntry: 6 reserved bytes, data_reference_index. The children of a
        # URIMetaSampleEntry follow at once (§12.3.3), those of a VisualSampleEntry after its
        # picture fields; other entries' children are not read here.
        header = 8 + (VISUAL_FIELDS_SIZE if e.type in VISUAL_SAMPLE_ENTRIES else 0)
        if e.end - e.body < header:
            raise ValueError(f"sample entry {e.type!r} is shorter than its {header}-byte header")
        (dri,) = struct.unpack_from(">H", data, e.body + 6)
        kids = {}
        if e.type == "urim" or e.type in VISUAL_SAMPLE_ENTRIES:
            for k in boxes(data, e.body + header, e.end):
                kids[k.type] = bytes(k.payload(data))
        out.append(SampleEntry(e.type, dri, kids))
    return out


def _track(data, trak):
    tkhd = child(data, trak, "tkhd")
    mdia = child(data, trak, "mdia")
    if tkhd is None or mdia is None:
        raise ValueError(f"trak at offset {trak.start} lacks tkhd or mdia")
    version, _, pos = full_box(data, tkhd)
    pos += 16 if version == 1 else 8  # creation and modification times
    track_id, _ = _u32(data, pos, tkhd.end)
    mdhd = child(data, mdia, "mdhd")
    hdlr = child(data, mdia, "hdlr")
    minf = child(data, mdia, "minf")
    if mdhd is None or hdlr is None or minf is None:
        raise ValueError(f"track {track_id}: mdia lacks mdhd, hdlr or minf")
    version, _, pos = full_box(data, mdhd)
    pos += 16 if version == 1 else 8
    timescale, _ = _u32(data, pos, mdhd.end)
    _, _, pos = full_box(data, hdlr)
    if pos + 8 > hdlr.end:
        raise ValueError(f"track {track_id}: hdlr cut short")
    handler = bytes(data[pos + 4:pos + 8]).decode("latin-1")  # after pre_defined
    headers = [b.type for b in children(data, minf) if b.type.endswith("hd")]
    stsd = path(data, minf, "stbl", "stsd")
    if stsd is None:
        raise ValueError(f"track {track_id}: no minf/stbl/stsd")
    return Track(track_id, handler, timescale, headers[0] if headers else "", _sample_entries(data, stsd))


def _trex_defaults(data, moov):
    """track_id -> (duration, size, flags) from moov/mvex/trex (§8.8.3)."""
    out = {}
    mvex = child(data, moov, "mvex")
    for trex in ([b for b in children(data, mvex) if b.type == "trex"] if mvex else []):
        _, _, pos = full_box(data, trex)
        track_id, pos = _u32(data, pos, trex.end)
        _, pos = _u32(data, pos, trex.end)  # default_sample_description_index
        duration, pos = _u32(data, pos, trex.end)
        size, pos = _u32(data, pos, trex.end)
        flags, pos = _u32(data, pos, trex.end)
        out[track_id] = (duration, size, flags)
    return out


def _read_fragment(data, moof, mdat, tracks, trex, next_time):
    """Appends the samples of one moof to tracks[...].samples, checking that each lies inside
    the mdat that follows it."""
    previous_end = moof.start
    for traf in (b for b in children(data, moof) if b.type == "traf"):
        tfhd = child(data, traf, "tfhd")
        if tfhd is None:
            raise ValueError(f"traf at offset {traf.start} has no tfhd")
        _, tf_flags, pos = full_box(data, tfhd)
        track_id, pos = _u32(data, pos, tfhd.end)
        if track_id not in tracks:
            raise ValueError(f"fragment at offset {moof.start} has a traf for unknown track {track_id}")
        track = tracks[track_id]
        duration, size, flags = trex.get(track_id, (0, 0, 0))
        if tf_flags & TFHD_BASE_DATA_OFFSET:
            base, pos = _u64(data, pos, tfhd.end)
        elif tf_flags & TFHD_DEFAULT_BASE_IS_MOOF:
            base = moof.start
        else:  # §8.8.7.1: the first traf starts at the moof, the next where the previous one's data ended
            base = previous_end
        if tf_flags & TFHD_SAMPLE_DESCRIPTION_INDEX:
            _, pos = _u32(data, pos, tfhd.end)
        if tf_flags & TFHD_DEFAULT_DURATION:
            duration, pos = _u32(data, pos, tfhd.end)
        if tf_flags & TFHD_DEFAULT_SIZE:
            size, pos = _u32(data, pos, tfhd.end)
        if tf_flags & TFHD_DEFAULT_FLAGS:
            flags, pos = _u32(data, pos, tfhd.end)
        tfdt = child(data, traf, "tfdt")
        if tfdt is not None:
            version, _, pos = full_box(data, tfdt)
            time, _ = (_u64 if version == 1 else _u32)(data, pos, tfdt.end)
        else:
            time = next_time.get(track_id, 0)
        cursor = base
        for trun in (b for b in children(data, traf) if b.type == "trun"):
            version, tr_flags, pos = full_box(data, trun)
            count, pos = _u32(data, pos, trun.end)
            if tr_flags & TRUN_DATA_OFFSET:
                offset, pos = _u32(data, pos, trun.end)
                cursor = base + struct.unpack(">i", struct.pack(">I", offset))[0]
            first_flags = None
            if tr_flags & TRUN_FIRST_SAMPLE_FLAGS:
                first_flags, pos = _u32(data, pos, trun.end)
            for i in range(count):
                s_duration, s_size, s_flags, cts = duration, size, flags, 0
                if tr_flags & TRUN_DURATION:
                    s_duration, pos = _u32(data, pos, trun.end)
                if tr_flags & TRUN_SIZE:
                    s_size, pos = _u32(data, pos, trun.end)
                if tr_flags & TRUN_FLAGS:
                    s_flags, pos = _u32(data, pos, trun.end)
                elif i == 0 and first_flags is not None:
                    s_flags = first_flags
                if tr_flags & TRUN_CTS_OFFSET:
                    cts, pos = _u32(data, pos, trun.end)
                    if version == 1:
                        cts = struct.unpack(">i", struct.pack(">I", cts))[0]
                if tf_flags & TFHD_DURATION_IS_EMPTY:
                    s_duration = 0
                if mdat is None or cursor < mdat.body or cursor + s_size > mdat.end:
                    raise ValueError(f"track {track_id}: sample at {cursor} (+{s_size}) of the fragment at "
                                     f"offset {moof.start} lies outside its mdat")
                track.samples.append(Sample(time, s_duration, s_flags, cts, bytes(data[cursor:cursor + s_size])))
                time += s_duration
                cursor += s_size
        next_time[track_id] = time
        previous_end = cursor


def read_movie(data):
    """The tracks of a fragmented MP4 (init segment + fragments) with every fragment's samples."""
    top = list(boxes(data))
    moov = next((b for b in top if b.type == "moov"), None)
    if moov is None:
        raise ValueError(f"no moov; top-level boxes: {[b.type for b in top]}")
    tracks = {}
    for trak in (b for b in children(data, moov) if b.type == "trak"):
        t = _track(data, trak)
        tracks[t.track_id] = t
    movie = Movie([b.type for b in top], tracks)
    trex = _trex_defaults(data, moov)
    next_time = {}
    for i, b in enumerate(top):
        if b.type != "moof":
            continue
        mdat = top[i + 1] if i + 1 < len(top) and top[i + 1].type == "mdat" else None
        _read_fragment(data, b, mdat, tracks, trex, next_time)
        movie.fragments += 1
    return movie
