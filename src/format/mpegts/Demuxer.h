#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "format/mpegts/Ts.h"

namespace ocellus::format::mpegts {

// A sans-I/O MPEG-TS demuxer (H.222.0 §2.4) for one program: bytes in, tracks and access
// units out.
//
// feed() takes any chunking (UDP datagrams of 7×188, SRT payloads, file reads) and keeps at
// most one partial packet between calls. After bytes that are not a packet it resynchronises
// on a 0x47 that is followed by another one 188 bytes later. It follows the PAT to the first
// program's PMT (sections reassembled across packets, CRC_32 checked: a bad CRC drops the
// section), and reassembles PES packets on the PIDs of H.264 (0x1B), H.265 (0x24), AAC ADTS
// (0x0F) and KLV (0x06 with a 'KLVA' registration descriptor; 0x15 metadata) streams.
// A continuity-counter gap drops the PES in progress on that PID (a duplicate packet is
// ignored); a PES over kMaxPesSize is dropped; both are counted, never fatal.
//
// Out: onTrack when a track is discovered and again whenever its parameter sets (SPS/PPS/VPS,
// AAC config) change; onUnit per access unit in canonical form (codec/Codec.h): Annex B turned
// into length-prefixed NAL units without AUDs, keyframe = IDR/IRAP; each ADTS frame of a PES
// as its own unit with its own PTS (sample-rate clock); each KLV PES payload as one unit.
// PTS/DTS are unwrapped from 33 bits to one 64-bit timeline shared by all tracks.
//
// Callbacks run synchronously inside feed()/flush(). They may read the demuxer but must not
// call feed() or flush(); the Track and Unit they get (and Unit::data) live only for the call.
// Not thread-safe: one demuxer per source, on its loop.
class Demuxer {
 public:
  static constexpr std::size_t kMaxPesSize = 4 * 1024 * 1024;  // a 4K intra frame fits
  static constexpr std::size_t kMaxTracks = 16;

  struct Counters {
    std::uint64_t packets = 0;           // 188-byte packets handled
    std::uint64_t skippedBytes = 0;      // bytes dropped while looking for sync
    std::uint64_t continuityErrors = 0;  // continuity_counter gaps
    std::uint64_t duplicates = 0;        // duplicate packets ignored
    std::uint64_t droppedPes = 0;        // PES lost to a gap, a size limit or a bad header
    std::uint64_t badCrc = 0;            // PSI sections whose CRC_32 did not match
    std::uint64_t badSections = 0;       // PSI sections otherwise malformed
    std::uint64_t transportErrors = 0;   // packets with transport_error_indicator set
    std::uint64_t droppedTracks = 0;     // streams beyond kMaxTracks
    std::uint64_t badFrames = 0;         // ADTS frames or metadata cells that did not parse
  };

  struct Callbacks {
    std::function<void(const Track&)> onTrack;
    std::function<void(const Unit&)> onUnit;
  };

  explicit Demuxer(Callbacks callbacks);
  ~Demuxer();
  Demuxer(const Demuxer&) = delete;
  Demuxer& operator=(const Demuxer&) = delete;

  void feed(std::span<const std::uint8_t> bytes);
  // End of input: hands out the PES in progress on every PID (a video PES of unbounded length
  // ends only at the next one). The partial packet kept between feeds is discarded.
  void flush();

  const Counters& counters() const { return counters_; }
  // The tracks of the current PMT, in its order.
  std::vector<Track> tracks() const;
  // The last PCR seen on the program's PCR_PID, in 27 MHz units (mod 2^33 × 300).
  std::optional<std::uint64_t> lastPcr() const { return lastPcr_; }

 private:
  struct PidState;

  // Handles as much of `data` as it can; returns how many bytes it used (0: needs more).
  std::size_t step(std::span<const std::uint8_t> data);
  void handlePacket(std::span<const std::uint8_t> packet);
  void psiPayload(PidState& s, std::span<const std::uint8_t> payload, bool unitStart);
  std::size_t sectionBytes(PidState& s, std::span<const std::uint8_t> bytes);
  void handleSection(PidState& s);
  void applyPat(std::span<const std::uint8_t> section);
  void applyPmt(std::span<const std::uint8_t> section);
  void esPayload(PidState& s, std::span<const std::uint8_t> payload, bool unitStart);
  void finishPes(PidState& s);
  void deliverVideo(PidState& s, const Unit& base, std::span<const std::uint8_t> payload);
  void deliverAac(PidState& s, const Unit& base, std::span<const std::uint8_t> payload);
  void deliverKlv(PidState& s, const Unit& base, std::span<const std::uint8_t> payload);
  void dropPes(PidState& s);
  std::int64_t unwrap(std::uint64_t ts);
  PidState* find(std::uint16_t pid);
  void removeEsPids();

  Callbacks callbacks_;
  Counters counters_;
  std::vector<std::unique_ptr<PidState>> pids_;  // PAT, PMT and track PIDs; addresses stable
  std::vector<std::uint8_t> pending_;            // partial packet between feeds
  std::vector<std::uint8_t> scratch_;            // canonical units, reused
  bool synced_ = true;
  std::optional<std::uint16_t> pmtPid_;
  std::optional<std::uint8_t> pmtVersion_;
  std::uint16_t pcrPid_ = kNullPid;
  std::optional<std::uint64_t> lastPcr_;
  std::optional<std::int64_t> lastTimestamp_;  // for unwrapping
};

}  // namespace ocellus::format::mpegts
