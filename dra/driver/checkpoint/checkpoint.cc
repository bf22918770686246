#include "dra/driver/checkpoint/checkpoint.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/cord.h"
#include "dra/api/codec/json.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/driver/cdi/cdi.h"
#include "nlohmann/json.hpp"
#include "openssl/evp.h"

namespace dra::driver {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kBootIdMismatchPayload[] = "dra.driver/checkpoint-boot-id-mismatch";
constexpr char kStarted[] = "PrepareStarted";
constexpr char kCompleted[] = "PrepareCompleted";

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

Json PayloadOf(const Checkpoint& cp) {
  Json claims = Json::object();
  for (const auto& [uid, c] : cp.claims) {
    Json cj;
    cj["namespace"] = c.namespace_;
    cj["name"] = c.name;
    cj["state"] = c.state == ClaimPrepareState::kPrepareCompleted ? kCompleted : kStarted;
    Json devices = Json::array();
    for (const CheckpointDevice& d : c.devices) {
      Json dj;
      dj["requestNames"] = d.request_names;
      dj["poolName"] = d.pool_name;
      dj["deviceName"] = d.device_name;
      dj["cdiDeviceIDs"] = d.cdi_device_ids;
      if (d.share_id) dj["shareID"] = *d.share_id;
      if (d.admin_access) dj["adminAccess"] = true;
      devices.push_back(std::move(dj));
    }
    cj["devices"] = std::move(devices);
    if (!c.driver_data.is_null()) cj["driverData"] = Json::parse(api::WriteJson(c.driver_data));
    claims[uid] = std::move(cj);
  }
  Json payload;
  payload["nodeBootID"] = cp.node_boot_id;
  payload["claims"] = std::move(claims);
  return payload;
}

class PayloadDecoder {
 public:
  explicit PayloadDecoder(std::string_view source) : source_(source) {}

  absl::Status Error(std::string_view field, std::string_view what) const {
    return absl::DataLossError(
        dra::StrCat("corrupt checkpoint ", source_, ": ", field, ": ", what));
  }

  absl::Status String(const Json& obj, std::string_view key, const std::string& path,
                      std::string& out) const {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) {
      return Error(dra::StrCat(path, ".", key), "missing or not a string");
    }
    out = it->get<std::string>();
    return absl::OkStatus();
  }
  absl::Status Strings(const Json& obj, std::string_view key, const std::string& path,
                       std::vector<std::string>& out) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return absl::OkStatus();
    if (!it->is_array()) return Error(dra::StrCat(path, ".", key), "not an array");
    for (const Json& s : *it) {
      if (!s.is_string()) return Error(dra::StrCat(path, ".", key), "not an array of strings");
      out.push_back(s.get<std::string>());
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Checkpoint> Decode(const Json& payload) const {
    if (!payload.is_object()) return Error("payload", "not an object");
    Checkpoint cp;
    DRA_RETURN_IF_ERROR(String(payload, "nodeBootID", "payload", cp.node_boot_id));
    auto claims = payload.find("claims");
    if (claims == payload.end() || !claims->is_object()) {
      return Error("payload.claims", "missing or not an object");
    }
    for (const auto& [uid, cj] : claims->items()) {
      const std::string path = dra::StrCat("payload.claims[", uid, "]");
      if (!cj.is_object()) return Error(path, "not an object");
      CheckpointClaim c;
      DRA_RETURN_IF_ERROR(String(cj, "namespace", path, c.namespace_));
      DRA_RETURN_IF_ERROR(String(cj, "name", path, c.name));
      std::string state;
      DRA_RETURN_IF_ERROR(String(cj, "state", path, state));
      if (state == kStarted) {
        c.state = ClaimPrepareState::kPrepareStarted;
      } else if (state == kCompleted) {
        c.state = ClaimPrepareState::kPrepareCompleted;
      } else {
        return Error(path + ".state", dra::StrCat("unknown state \"", state, "\""));
      }
      if (auto devs = cj.find("devices"); devs != cj.end() && !devs->is_null()) {
        if (!devs->is_array()) return Error(path + ".devices", "not an array");
        for (size_t i = 0; i < devs->size(); ++i) {
          const Json& dj = (*devs)[i];
          const std::string dpath = dra::StrCat(path, ".devices[", i, "]");
          if (!dj.is_object()) return Error(dpath, "not an object");
          CheckpointDevice d;
          DRA_RETURN_IF_ERROR(Strings(dj, "requestNames", dpath, d.request_names));
          DRA_RETURN_IF_ERROR(String(dj, "poolName", dpath, d.pool_name));
          DRA_RETURN_IF_ERROR(String(dj, "deviceName", dpath, d.device_name));
          DRA_RETURN_IF_ERROR(Strings(dj, "cdiDeviceIDs", dpath, d.cdi_device_ids));
          if (auto s = dj.find("shareID"); s != dj.end() && !s->is_null()) {
            if (!s->is_string()) return Error(dpath + ".shareID", "not a string");
            d.share_id = s->get<std::string>();
          }
          if (auto a = dj.find("adminAccess"); a != dj.end() && !a->is_null()) {
            if (!a->is_boolean()) return Error(dpath + ".adminAccess", "not a boolean");
            d.admin_access = a->get<bool>();
          }
          c.devices.push_back(std::move(d));
        }
      }
      if (auto dd = cj.find("driverData"); dd != cj.end() && !dd->is_null()) {
        absl::StatusOr<api::Value> v = api::ParseJson(dd->dump());
        if (!v.ok()) return Error(path + ".driverData", std::string(v.status().message()));
        c.driver_data = *std::move(v);
      }
      cp.claims.emplace(uid, std::move(c));
    }
    return cp;
  }

 private:
  std::string source_;
};

}  // namespace

std::string EncodeCheckpoint(const Checkpoint& checkpoint) {
  Json payload = PayloadOf(checkpoint);
  Json file;
  file["version"] = kCheckpointFormatVersion;
  file["checksum"] = "sha256:" + Sha256Hex(payload.dump());
  file["payload"] = std::move(payload);
  return file.dump(1) + "\n";
}

absl::StatusOr<Checkpoint> DecodeCheckpoint(std::string_view text, std::string_view source) {
  PayloadDecoder dec(source);
  Json file = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (file.is_discarded()) return dec.Error("file", "invalid JSON (truncated or damaged)");
  if (!file.is_object()) return dec.Error("file", "not a JSON object");
  auto version = file.find("version");
  if (version == file.end() || !version->is_number_integer()) {
    return dec.Error("version", "missing or not an integer");
  }
  if (version->get<int64_t>() != kCheckpointFormatVersion) {
    return dec.Error("version", dra::StrCat("unknown format version ", version->get<int64_t>(),
                                            " (this build reads ", kCheckpointFormatVersion, ")"));
  }
  auto checksum = file.find("checksum");
  if (checksum == file.end() || !checksum->is_string()) {
    return dec.Error("checksum", "missing or not a string");
  }
  auto payload = file.find("payload");
  if (payload == file.end()) return dec.Error("payload", "missing");
  const std::string want = checksum->get<std::string>();
  const std::string got = "sha256:" + Sha256Hex(payload->dump());
  if (want != got) {
    return dec.Error("checksum", dra::StrCat("mismatch: file says ", want, ", content is ", got));
  }
  return dec.Decode(*payload);
}

absl::Status WriteCheckpoint(const std::string& path, const Checkpoint& checkpoint) {
  return WriteFileAtomically(path, EncodeCheckpoint(checkpoint), "checkpoint.");
}

absl::StatusOr<Checkpoint> LoadCheckpoint(const std::string& path,
                                          std::optional<std::string_view> current_boot_id) {
  DRA_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  DRA_ASSIGN_OR_RETURN(Checkpoint cp, DecodeCheckpoint(text, path));
  if (current_boot_id && cp.node_boot_id != *current_boot_id) {
    absl::Status st = absl::FailedPreconditionError(dra::StrCat(
        "checkpoint ", path, " was written during boot ", cp.node_boot_id,
        " but the node is now in boot ", *current_boot_id, "; its prepared state is stale"));
    st.SetPayload(kBootIdMismatchPayload, absl::Cord("1"));
    return st;
  }
  return cp;
}

bool IsBootIdMismatch(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition &&
         status.GetPayload(kBootIdMismatchPayload).has_value();
}

absl::StatusOr<std::string> ReadBootId(std::string_view proc_root) {
  const std::string path = dra::StrCat(proc_root, "/sys/kernel/random/boot_id");
  DRA_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return absl::DataLossError(dra::StrCat(path, ": empty boot ID"));
  return text;
}

absl::StatusOr<FileLock> FileLock::Acquire(const std::string& path,
                                           std::chrono::milliseconds timeout) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::UnavailableError(dra::StrCat("open lock file ", path, ": ", std::strerror(errno)));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto backoff = std::chrono::milliseconds(1);
  while (true) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return FileLock(fd);
    int err = errno;
    if (err != EWOULDBLOCK && err != EINTR) {
      ::close(fd);
      return absl::UnavailableError(dra::StrCat("flock ", path, ": ", std::strerror(err)));
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      ::close(fd);
      return absl::DeadlineExceededError(
          dra::StrCat("timed out after ", timeout.count(), "ms waiting for the lock on ", path));
    }
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(backoff, deadline - now));
    backoff = std::min(backoff * 2, std::chrono::milliseconds(50));
  }
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    Release();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FileLock::~FileLock() { Release(); }

void FileLock::Release() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
    fd_ = -1;
  }
}

}  // namespace dra::driver
