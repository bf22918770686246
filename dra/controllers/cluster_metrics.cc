#include "dra/controllers/cluster_metrics.h"

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "dra/api/codec/codec.h"
#include "dra/base/metrics.h"
#include "dra/client/resource_ref.h"

namespace dra::controllers {
namespace {

std::vector<api::ResourceClaim> ListClaims(client::RestClient* client) {
  std::vector<api::ResourceClaim> claims;
  absl::StatusOr<client::ListResult> list = client->ListAll(client::ResourceClaims(), "");
  if (!list.ok()) return claims;
  for (const api::Value& item : list->items) {
    absl::StatusOr<api::ResourceClaim> claim =
        api::DecodeAs<api::ResourceClaim>(item, {.strict = false});
    if (claim.ok()) claims.push_back(*std::move(claim));
  }
  return claims;
}

}  // namespace

ClusterMetrics::ClusterMetrics(client::RestClient* client) : client_(client) {
  claims_collector_ = metrics::AddGaugeCollector(
      "dra_resourceclaims", "ResourceClaims by state (pending, allocated, reserved, deleting).",
      [this] {
        std::map<std::string, double> counts = {
            {"pending", 0}, {"allocated", 0}, {"reserved", 0}, {"deleting", 0}};
        for (const api::ResourceClaim& claim : ListClaims(client_)) {
          if (claim.metadata.deletion_timestamp.has_value()) {
            counts["deleting"]++;
          } else if (!claim.status.allocation.has_value()) {
            counts["pending"]++;
          } else if (claim.status.reserved_for.empty()) {
            counts["allocated"]++;
          } else {
            counts["reserved"]++;
          }
        }
        std::vector<metrics::GaugeSample> samples;
        for (const auto& [state, n] : counts) samples.push_back({{{"state", state}}, n});
        return samples;
      });
  devices_collector_ = metrics::AddGaugeCollector(
      "dra_devices", "Published devices by driver and state (free, allocated, shared, tainted).",
      [this] {
        // Users of each device: claims, and pods of those claims.
        using DeviceId = std::tuple<std::string, std::string, std::string>;
        std::map<DeviceId, std::pair<int, size_t>> users;
        for (const api::ResourceClaim& claim : ListClaims(client_)) {
          if (!claim.status.allocation.has_value()) continue;
          for (const auto& r : claim.status.allocation->devices.results) {
            auto& [claims, pods] = users[{r.driver, r.pool, r.device}];
            ++claims;
            pods += claim.status.reserved_for.size();
          }
        }
        std::map<std::string, std::map<std::string, double>> counts;
        absl::StatusOr<client::ListResult> list = client_->ListAll(client::ResourceSlices(), "");
        if (list.ok()) {
          std::vector<api::ResourceSlice> slices;
          std::map<std::pair<std::string, std::string>, int64_t> generation;
          for (const api::Value& item : list->items) {
            absl::StatusOr<api::ResourceSlice> slice =
                api::DecodeAs<api::ResourceSlice>(item, {.strict = false});
            if (!slice.ok()) continue;
            int64_t& g = generation[{slice->spec.driver, slice->spec.pool.name}];
            g = std::max(g, slice->spec.pool.generation);
            slices.push_back(*std::move(slice));
          }
          for (const api::ResourceSlice& slice : slices) {
            if (slice.spec.pool.generation !=
                generation[{slice.spec.driver, slice.spec.pool.name}]) {
              continue;
            }
            std::map<std::string, double>& by_state = counts[slice.spec.driver];
            for (const char* state : {"free", "allocated", "shared", "tainted"}) by_state[state];
            for (const api::Device& device : slice.spec.devices) {
              bool tainted = false;
              for (const api::DeviceTaint& taint : device.taints) {
                tainted |= taint.effect == "NoSchedule" || taint.effect == "NoExecute";
              }
              auto it = users.find({slice.spec.driver, slice.spec.pool.name, device.name});
              if (tainted) {
                by_state["tainted"]++;
              } else if (it == users.end()) {
                by_state["free"]++;
              } else if (it->second.first > 1 || it->second.second > 1) {
                by_state["shared"]++;
              } else {
                by_state["allocated"]++;
              }
            }
          }
        }
        std::vector<metrics::GaugeSample> samples;
        for (const auto& [driver, by_state] : counts) {
          for (const auto& [state, n] : by_state) {
            samples.push_back({{{"driver", driver}, {"state", state}}, n});
          }
        }
        return samples;
      });
}

ClusterMetrics::~ClusterMetrics() {
  metrics::RemoveCollector(claims_collector_);
  metrics::RemoveCollector(devices_collector_);
}

}  // namespace dra::controllers
