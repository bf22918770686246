// The `device` variable of DRA device selectors, as Kubernetes v1.34 builds it (see
// ../shared/reference/cel-environment.md §2): a map with `driver`, `attributes` (domain -> id ->
// value), `capacity` (domain -> id -> kubernetes.Quantity) and `allowMultipleAllocations`.
//
// A DeviceBinding is built once per device (that is where the allocations are) and then
// evaluated against by any number of selectors without allocating: value() is a non-owning view.
//
// Quirks kept on purpose, as upstream has them: indexing `attributes` or `capacity` with a
// domain the device does not have yields an empty map (so `has(device.attributes.dom)` is always
// true) while `"dom" in device.attributes` is a real membership test; unqualified attribute
// names belong to the driver's domain; versions are parsed strictly (blang semver).
//
// Thread-safety: immutable after Create; value() may be used from many threads at once.
#ifndef DRA_CEL_DEVICE_H_
#define DRA_CEL_DEVICE_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "dra/api/resource_types.h"
#include "dra/cel/runtime/value.h"

namespace dra::cel {

class DeviceBinding {
 public:
  // Fails as upstream's DeviceMatches does before any CEL runs, e.g.
  // `attribute gpu.nvidia.com/driverVersion: parse semantic version: ...`.
  static absl::StatusOr<DeviceBinding> Create(std::string_view driver, const api::Device& device);

  // Splits a qualified attribute or capacity name at its first '/': {domain, id}; a name
  // without '/' belongs to `driver`'s domain.
  static std::pair<std::string_view, std::string_view> SplitQualifiedName(std::string_view name,
                                                                          std::string_view driver);

  // The `device` variable. Borrows from this binding: keep it alive while the value is used.
  Value value() const;

 private:
  struct Data;
  explicit DeviceBinding(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace dra::cel

#endif  // DRA_CEL_DEVICE_H_
