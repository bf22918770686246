#include "dra/driver/agent/slice_publisher.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>

#include "dra/api/codec/codec.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/client/resource_ref.h"

namespace dra::driver {
namespace {

bool UsesAdvancedFeatures(const api::Device& device) {
  return !device.taints.empty() || !device.consumes_counters.empty() ||
         !device.binding_conditions.empty() || !device.binding_failure_conditions.empty() ||
         device.binds_to_node.value_or(false) ||
         device.allow_multiple_allocations.value_or(false) || device.node_name.has_value() ||
         device.node_selector.has_value() || device.all_nodes.has_value();
}

// The index a slice name starts with ("0000a-..." -> 10), or nullopt.
std::optional<int> SliceIndex(std::string_view name) {
  size_t dash = name.find('-');
  if (dash == std::string_view::npos || dash < 5 || dash > 8) return std::nullopt;
  int value = 0;
  for (char c : name.substr(0, dash)) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else {
      return std::nullopt;
    }
    value = value * 16 + digit;
  }
  return value;
}

// Stored taints carry the timeAdded the API server filled in; the desired ones carry it only
// when the driver set it. Copies it over so that an unchanged taint compares equal.
void CarryOverTaintTimes(const api::ResourceSliceSpec& stored, api::ResourceSliceSpec& desired) {
  std::map<std::string, const api::Device*> stored_devices;
  for (const api::Device& device : stored.devices) stored_devices[device.name] = &device;
  for (api::Device& device : desired.devices) {
    auto it = stored_devices.find(device.name);
    if (it == stored_devices.end()) continue;
    for (api::DeviceTaint& taint : device.taints) {
      if (taint.time_added.has_value()) continue;
      for (const api::DeviceTaint& old : it->second->taints) {
        if (old.key == taint.key && old.value == taint.value && old.effect == taint.effect) {
          taint.time_added = old.time_added;
          break;
        }
      }
    }
  }
}

}  // namespace

std::string SliceNamePrefix(int index, std::string_view driver, std::string_view node_name) {
  char hex[16];
  std::snprintf(hex, sizeof(hex), "%05x", index);
  return StrCat(hex, "-", driver, "-", node_name, "-");
}

std::vector<api::ResourceSliceSpec> SplitIntoSlices(const DriverResources& resources,
                                                    std::string_view node_name) {
  std::vector<api::ResourceSliceSpec> slices;
  auto new_slice = [&]() -> api::ResourceSliceSpec& {
    api::ResourceSliceSpec& spec = slices.emplace_back();
    spec.driver = resources.driver;
    spec.pool.name = std::string(node_name);
    spec.node_name = std::string(node_name);
    return spec;
  };
  for (size_t i = 0; i < resources.shared_counters.size(); i += kMaxCounterSetsPerSlice) {
    api::ResourceSliceSpec& spec = new_slice();
    size_t end = std::min(resources.shared_counters.size(), i + kMaxCounterSetsPerSlice);
    spec.shared_counters.assign(resources.shared_counters.begin() + i,
                                resources.shared_counters.begin() + end);
  }
  bool advanced =
      std::any_of(resources.devices.begin(), resources.devices.end(), UsesAdvancedFeatures);
  size_t per_slice = advanced ? kMaxAdvancedDevicesPerSlice : kMaxDevicesPerSlice;
  for (size_t i = 0; i < resources.devices.size(); i += per_slice) {
    api::ResourceSliceSpec& spec = new_slice();
    size_t end = std::min(resources.devices.size(), i + per_slice);
    spec.devices.assign(resources.devices.begin() + i, resources.devices.begin() + end);
  }
  if (slices.empty()) new_slice();
  for (api::ResourceSliceSpec& spec : slices) {
    spec.pool.resource_slice_count = static_cast<int64_t>(slices.size());
  }
  return slices;
}

SlicePublisher::SlicePublisher(client::RestClient* client, SlicePublisherOptions options)
    : client_(client), options_(std::move(options)) {}

absl::Status SlicePublisher::EnsureNodeUid() {
  if (!options_.node_uid.empty()) return absl::OkStatus();
  absl::StatusOr<api::Value> node = client_->Get(client::Nodes(), "", options_.node_name);
  if (absl::IsNotFound(node.status())) return absl::OkStatus();
  DRA_RETURN_IF_ERROR(node.status());
  DRA_ASSIGN_OR_RETURN(api::Node decoded,
                       api::DecodeAs<api::Node>(*node, api::DecodeOptions{.strict = false}));
  options_.node_uid = decoded.metadata.uid;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<api::ResourceSlice>> SlicePublisher::ListOwnSlices(
    std::string_view driver) {
  client::ListOptions list;
  list.field_selector = StrCat("spec.driver=", driver, ",spec.nodeName=", options_.node_name);
  DRA_ASSIGN_OR_RETURN(client::ListResult result,
                       client_->ListAll(client::ResourceSlices(), "", list));
  std::vector<api::ResourceSlice> slices;
  for (const api::Value& item : result.items) {
    absl::StatusOr<api::ResourceSlice> slice =
        api::DecodeAs<api::ResourceSlice>(item, api::DecodeOptions{.strict = false});
    if (!slice.ok()) continue;  // not decodable: left alone
    // The field selector is enforced by any API server; checked again for safety.
    if (slice->spec.driver != driver || slice->spec.node_name != options_.node_name) continue;
    slices.push_back(*std::move(slice));
  }
  return slices;
}

absl::StatusOr<PublishResult> SlicePublisher::Publish(const DriverResources& resources) {
  DRA_RETURN_IF_ERROR(EnsureNodeUid());
  DRA_ASSIGN_OR_RETURN(std::vector<api::ResourceSlice> stored, ListOwnSlices(resources.driver));
  std::vector<api::ResourceSliceSpec> desired = SplitIntoSlices(resources, options_.node_name);

  // Match stored slices to desired indexes; everything else is obsolete.
  std::vector<const api::ResourceSlice*> matched(desired.size(), nullptr);
  std::vector<const api::ResourceSlice*> obsolete;
  int64_t max_generation = 0;
  for (const api::ResourceSlice& slice : stored) {
    max_generation = std::max(max_generation, slice.spec.pool.generation);
    std::optional<int> index = SliceIndex(slice.metadata.name);
    if (index.has_value() && *index < static_cast<int>(desired.size()) &&
        matched[*index] == nullptr &&
        slice.metadata.name.rfind(SliceNamePrefix(*index, resources.driver, options_.node_name),
                                  0) == 0) {
      matched[*index] = &slice;
    } else {
      obsolete.push_back(&slice);
    }
  }
  bool up_to_date = obsolete.empty();
  for (size_t i = 0; i < desired.size(); ++i) {
    if (matched[i] == nullptr) {
      up_to_date = false;
      continue;
    }
    CarryOverTaintTimes(matched[i]->spec, desired[i]);
    desired[i].pool.generation = matched[i]->spec.pool.generation;
    if (matched[i]->spec.pool.generation != max_generation || !(matched[i]->spec == desired[i])) {
      up_to_date = false;
    }
  }
  PublishResult result;
  if (up_to_date) {
    result.generation = max_generation;
    return result;
  }
  int64_t generation = max_generation + 1;
  result.generation = generation;

  for (const api::ResourceSlice* slice : obsolete) {
    client::DeleteOptions del;
    del.precondition_uid = slice->metadata.uid;
    absl::StatusOr<api::Value> deleted =
        client_->Delete(client::ResourceSlices(), "", slice->metadata.name, del);
    if (!deleted.ok() && !absl::IsNotFound(deleted.status())) return deleted.status();
    ++result.deleted;
  }
  std::vector<api::OwnerReference> owners;
  if (!options_.node_uid.empty()) {
    owners.push_back(api::OwnerReference{.api_version = "v1",
                                         .kind = "Node",
                                         .name = options_.node_name,
                                         .uid = options_.node_uid,
                                         .controller = true});
  }
  auto write = [&](size_t i, bool create) -> absl::Status {
    api::ResourceSlice slice;
    if (create) {
      slice.metadata.generate_name =
          SliceNamePrefix(static_cast<int>(i), resources.driver, options_.node_name);
    } else {
      slice.metadata = matched[i]->metadata;
      slice.metadata.managed_fields.clear();
    }
    slice.metadata.owner_references = owners;
    slice.spec = desired[i];
    slice.spec.pool.generation = generation;
    client::WriteOptions write_options;
    write_options.field_manager = options_.field_manager;
    absl::StatusOr<api::Value> written =
        create
            ? client_->Create(client::ResourceSlices(), "", api::EncodeObject(slice), write_options)
            : client_->Update(client::ResourceSlices(), "", api::EncodeObject(slice),
                              write_options);
    return written.status();
  };
  for (size_t i = 0; i < desired.size(); ++i) {
    if (matched[i] == nullptr) continue;
    DRA_RETURN_IF_ERROR(write(i, /*create=*/false));
    ++result.updated;
  }
  for (size_t i = 0; i < desired.size(); ++i) {
    if (matched[i] != nullptr) continue;
    DRA_RETURN_IF_ERROR(write(i, /*create=*/true));
    ++result.created;
  }
  return result;
}

absl::Status SlicePublisher::Unpublish(std::string_view driver) {
  DRA_ASSIGN_OR_RETURN(std::vector<api::ResourceSlice> stored, ListOwnSlices(driver));
  for (const api::ResourceSlice& slice : stored) {
    client::DeleteOptions del;
    del.precondition_uid = slice.metadata.uid;
    absl::StatusOr<api::Value> deleted =
        client_->Delete(client::ResourceSlices(), "", slice.metadata.name, del);
    if (!deleted.ok() && !absl::IsNotFound(deleted.status())) return deleted.status();
  }
  return absl::OkStatus();
}

}  // namespace dra::driver
