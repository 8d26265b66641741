// Opens arbitrary records with DtlsAlertCipher and checks seal/open round trips. Nothing may
// crash or read past its input; a record opens only if it is an epoch-1 alert record of the one
// size an alert has; what one side seals, the other opens to the same alert, and only that.
//
// Input: master secret (48), client random (32), server random (32), byte 112 the suite (bit 0),
// bytes 113..120 an alert and a sequence number to seal (level, description, 6 bytes), then a
// datagram whose records both sides try to open.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "proto/webrtc/DtlsAlertCipher.h"

using namespace ocellus::proto::webrtc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kSecrets = DtlsAlertCipher::kMasterSecretSize + 2 * DtlsAlertCipher::kRandomSize;
  if (size < kSecrets + 9) return 0;
  const std::span<const std::uint8_t> in(data, size);
  const auto master = in.first(DtlsAlertCipher::kMasterSecretSize);
  const auto clientRandom = in.subspan(DtlsAlertCipher::kMasterSecretSize, DtlsAlertCipher::kRandomSize);
  const auto serverRandom = in.subspan(DtlsAlertCipher::kMasterSecretSize + DtlsAlertCipher::kRandomSize,
                                       DtlsAlertCipher::kRandomSize);
  const auto suite =
      in[kSecrets] & 1 ? DtlsAlertCipher::Suite::Aes256GcmSha384 : DtlsAlertCipher::Suite::Aes128GcmSha256;
  auto client = DtlsAlertCipher::derive(suite, master, clientRandom, serverRandom, true);
  auto server = DtlsAlertCipher::derive(suite, master, clientRandom, serverRandom, false);
  if (!client || !server) std::abort();

  const DtlsAlert alert{in[kSecrets + 1], in[kSecrets + 2]};
  std::uint64_t sequence = 0;
  for (std::size_t i = kSecrets + 3; i < kSecrets + 9; ++i) sequence = sequence << 8 | in[i];
  for (const auto& [from, to] : {std::pair{&*client, &*server}, std::pair{&*server, &*client}}) {
    const auto sealed = from->seal(alert, sequence);
    if (!sealed) std::abort();
    const auto record = DtlsRecord::parse(*sealed);
    if (!record || record->sequenceNumber() != sequence) std::abort();
    const auto opened = to->open(*record);
    if (!opened || opened->level != alert.level || opened->description != alert.description) std::abort();
    if (from->open(*record)) std::abort();  // our own records are not read back as the peer's
  }

  const auto records = DtlsRecord::parseDatagram(in.subspan(kSecrets + 9));
  if (!records) return 0;
  for (const DtlsRecord& record : *records) {
    for (const DtlsAlertCipher* cipher : {&*client, &*server}) {
      if (cipher->open(record) &&
          (record.contentType() != dtls::kAlert || record.epoch() != DtlsAlertCipher::kEpoch ||
           record.size() != DtlsAlertCipher::kRecordSize)) {
        std::abort();
      }
    }
  }
  return 0;
}
