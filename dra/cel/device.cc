#include "dra/cel/device.h"

#include <algorithm>
#include <string>
#include <vector>

#include "dra/base/semver.h"
#include "dra/base/strings.h"
#include "dra/cel/library/k8s_values.h"

namespace dra::cel {
namespace {

// A map from domain to a map of ids; any domain it does not have reads as the empty map.
// Devices have few domains: a vector scanned by length, then bytes, beats a tree.
class DomainsMap final : public MapValue {
 public:
  size_t Size() const override { return domains_.size(); }
  std::optional<Value> Find(const Value& key) const override {
    if (key.kind() == ValueKind::kString) return FindField(key.string_view());
    return Value::MapView(Empty());
  }
  std::optional<Value> FindField(std::string_view name) const override {
    const VectorMapValue* ids = Lookup(name);
    return Value::MapView(ids != nullptr ? ids : Empty());
  }
  bool Contains(const Value& key) const override {
    return key.kind() == ValueKind::kString && Lookup(key.string_view()) != nullptr;
  }
  void ForEach(absl::FunctionRef<bool(const Value&, const Value&)> fn) const override {
    for (const auto& [domain, ids] : domains_) {
      if (!fn(Value::StringView(domain), Value::MapView(ids.get()))) return;
    }
  }

  // The ids of `domain`, created empty on first use; domains stay in name order.
  VectorMapValue& Domain(std::string_view domain) {
    auto it =
        std::lower_bound(domains_.begin(), domains_.end(), domain,
                         [](const auto& entry, std::string_view d) { return entry.first < d; });
    if (it == domains_.end() || it->first != domain) {
      it = domains_.emplace(it, std::string(domain), MakeRef<VectorMapValue>());
    }
    return *it->second;
  }

 private:
  const VectorMapValue* Lookup(std::string_view domain) const {
    for (const auto& [name, ids] : domains_) {
      if (name.size() == domain.size() && name == domain) return ids.get();
    }
    return nullptr;
  }
  static const VectorMapValue* Empty() {
    static const VectorMapValue* empty = new VectorMapValue();
    return empty;
  }

  std::vector<std::pair<std::string, RefPtr<VectorMapValue>>> domains_;
};

class DeviceMap final : public MapValue {
 public:
  std::string driver;
  DomainsMap attributes;
  DomainsMap capacity;
  bool allow_multiple_allocations = false;

  size_t Size() const override { return 4; }
  std::optional<Value> Find(const Value& key) const override {
    if (key.kind() != ValueKind::kString) return std::nullopt;
    return FindField(key.string_view());
  }
  std::optional<Value> FindField(std::string_view name) const override {
    if (name == "driver") return Value::StringView(driver);
    if (name == "attributes") return Value::MapView(&attributes);
    if (name == "capacity") return Value::MapView(&capacity);
    if (name == "allowMultipleAllocations") return Value::Bool(allow_multiple_allocations);
    return std::nullopt;
  }
  void ForEach(absl::FunctionRef<bool(const Value&, const Value&)> fn) const override {
    for (std::string_view name : {"driver", "attributes", "capacity", "allowMultipleAllocations"}) {
      if (!fn(Value::StringView(name), *FindField(name))) return;
    }
  }
};

absl::StatusOr<Value> SemverOf(std::string_view qualified, const std::string& text) {
  auto version = SemVer::Parse(text);
  if (!version.ok()) {
    return absl::InvalidArgumentError(
        StrCat("attribute ", qualified, ": parse semantic version: ", version.status().message()));
  }
  return SemverValue(*version);
}

absl::StatusOr<Value> AttributeValue(std::string_view qualified, const api::DeviceAttribute& a) {
  if (a.int_.has_value()) return Value::Int(*a.int_);
  if (a.bool_.has_value()) return Value::Bool(*a.bool_);
  if (a.string_.has_value()) return Value::String(*a.string_);
  if (a.version.has_value()) return SemverOf(qualified, *a.version);
  std::vector<Value> items;
  if (!a.ints.empty()) {
    for (int64_t i : a.ints) items.push_back(Value::Int(i));
  } else if (!a.bools.empty()) {
    for (bool b : a.bools) items.push_back(Value::Bool(b));
  } else if (!a.strings.empty()) {
    for (const auto& s : a.strings) items.push_back(Value::String(s));
  } else if (!a.versions.empty()) {
    for (const auto& v : a.versions) {
      auto value = SemverOf(qualified, v);
      if (!value.ok()) return value.status();
      items.push_back(*std::move(value));
    }
  } else {
    return absl::InvalidArgumentError(StrCat("attribute ", qualified, ": no value"));
  }
  return Value::List(MakeRef<VectorListValue>(std::move(items)));
}

}  // namespace

struct DeviceBinding::Data {
  DeviceMap device;
};

std::pair<std::string_view, std::string_view> DeviceBinding::SplitQualifiedName(
    std::string_view name, std::string_view driver) {
  size_t slash = name.find('/');
  if (slash == std::string_view::npos) return {driver, name};
  return {name.substr(0, slash), name.substr(slash + 1)};
}

absl::StatusOr<DeviceBinding> DeviceBinding::Create(std::string_view driver,
                                                    const api::Device& device) {
  auto data = std::make_shared<Data>();
  DeviceMap& d = data->device;
  d.driver = std::string(driver);
  d.allow_multiple_allocations = device.allow_multiple_allocations.value_or(false);
  for (const auto& [name, attribute] : device.attributes) {
    auto value = AttributeValue(name, attribute);
    if (!value.ok()) return value.status();
    auto [domain, id] = SplitQualifiedName(name, driver);
    d.attributes.Domain(domain).Put(Value::String(id), *std::move(value));
  }
  for (const auto& [name, capacity] : device.capacity) {
    auto [domain, id] = SplitQualifiedName(name, driver);
    d.capacity.Domain(domain).Put(Value::String(id), QuantityValue(capacity.value));
  }
  return DeviceBinding(std::move(data));
}

Value DeviceBinding::value() const { return Value::MapView(&data_->device); }

}  // namespace dra::cel
