// The node agent's record of prepared claims, persisted across restarts, and a cross-process
// file lock to serialize prepare/unprepare.
//
// File format (JSON, format version 1):
//   {"version": 1,
//    "checksum": "sha256:<64 hex>",           // SHA-256 of payload.dump() (see below)
//    "payload": {"nodeBootID": "...",
//                "claims": {"<claim UID>": {"namespace", "name",
//                                           "state": "PrepareStarted"|"PrepareCompleted",
//                                           "devices": [{"requestNames", "poolName",
//                                                        "deviceName", "cdiDeviceIDs",
//                                                        "shareID"?, "adminAccess"?}],
//                                           "driverData"?: <any JSON>}}}}
// The checksum covers the payload re-serialized compactly with members in file order
// (nlohmann::ordered_json's dump()), so it does not depend on the file's indentation. Unknown
// fields inside the payload are ignored on read (they are covered by the checksum).
//
// Value types and free functions are thread-safe (no shared state). Concurrent writers of one
// file must hold a FileLock; WriteCheckpoint itself is atomic (temp file + fsync + rename +
// directory fsync), so a reader never sees a partial file.
#ifndef DRA_DRIVER_CHECKPOINT_CHECKPOINT_H_
#define DRA_DRIVER_CHECKPOINT_CHECKPOINT_H_

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dra/api/value.h"

namespace dra::driver {

inline constexpr int kCheckpointFormatVersion = 1;

enum class ClaimPrepareState { kPrepareStarted, kPrepareCompleted };

// One device prepared for a claim, as returned to the kubelet (NodePrepareResources Device).
struct CheckpointDevice {
  std::vector<std::string> request_names;
  std::string pool_name;
  std::string device_name;
  std::vector<std::string> cdi_device_ids;
  std::optional<std::string> share_id;
  // Prepared for a claim with adminAccess: the device stays available to one ordinary claim.
  bool admin_access = false;
  friend bool operator==(const CheckpointDevice&, const CheckpointDevice&) = default;
};

struct CheckpointClaim {
  std::string namespace_;
  std::string name;
  ClaimPrepareState state = ClaimPrepareState::kPrepareStarted;
  std::vector<CheckpointDevice> devices;
  // Driver-specific state needed to undo the prepare (e.g. MIG device ids); null when unused.
  api::Value driver_data;
  friend bool operator==(const CheckpointClaim&, const CheckpointClaim&) = default;
};

struct Checkpoint {
  std::string node_boot_id;                       // ReadBootId() when written
  std::map<std::string, CheckpointClaim> claims;  // by claim UID
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// The file text for `checkpoint` (see the format above).
std::string EncodeCheckpoint(const Checkpoint& checkpoint);
// Parses and verifies file text. DataLoss, naming `source` and the problem (invalid JSON,
// missing or malformed field, unknown format version, checksum mismatch), for anything that is
// not a checkpoint written by EncodeCheckpoint.
absl::StatusOr<Checkpoint> DecodeCheckpoint(std::string_view text, std::string_view source);

// Writes `checkpoint` to `path` atomically (temp file `checkpoint.*.tmp` in the same directory).
absl::Status WriteCheckpoint(const std::string& path, const Checkpoint& checkpoint);

// Reads `path`. NotFound when the file does not exist; DataLoss when it is corrupt (see
// DecodeCheckpoint; a corrupt file is never partially trusted). When `current_boot_id` is given
// and differs from the stored one, FailedPrecondition carrying the boot-ID-mismatch payload
// (IsBootIdMismatch): the node rebooted, so prepared state is gone and the caller should
// discard the checkpoint.
absl::StatusOr<Checkpoint> LoadCheckpoint(const std::string& path,
                                          std::optional<std::string_view> current_boot_id = {});

// True for the status LoadCheckpoint returns on a boot-ID mismatch.
bool IsBootIdMismatch(const absl::Status& status);

// The kernel's boot ID from `<proc_root>/sys/kernel/random/boot_id`, trimmed.
absl::StatusOr<std::string> ReadBootId(std::string_view proc_root = "/proc");

// An exclusive flock(2) on a lock file, held until destruction. flock locks belong to the open
// file, so two FileLocks on one path exclude each other within one process as well as across
// processes. Move-only; thread-compatible.
class FileLock {
 public:
  // Creates `path` if needed and locks it, polling until `timeout`; DeadlineExceeded (naming
  // the path) when another holder keeps it that long.
  static absl::StatusOr<FileLock> Acquire(const std::string& path,
                                          std::chrono::milliseconds timeout);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  // Unlocks now (idempotent).
  void Release();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_CHECKPOINT_CHECKPOINT_H_
