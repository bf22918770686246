// Compile-and-sanity checks of the API object model: every VisitFields call compiles with a
// generic visitor, JSON names are unique and lowerCamelCase within each struct, visitors see the
// members themselves (not copies), and operator== compares by value.
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "dra/api/core_types.h"
#include "dra/api/meta_types.h"
#include "dra/api/resource_types.h"
#include "gtest/gtest.h"

namespace dra::api {
namespace {

struct NameCollector;

template <typename T>
concept Visitable = requires(T& t, NameCollector& v) {
  t.VisitFields(v);
};

template <typename T>
struct Unwrap {
  using type = T;
};
template <typename T>
struct Unwrap<std::optional<T>> {
  using type = typename Unwrap<T>::type;
};
template <typename T>
struct Unwrap<std::vector<T>> {
  using type = typename Unwrap<T>::type;
};
template <typename T>
struct Unwrap<std::map<std::string, T>> {
  using type = typename Unwrap<T>::type;
};

// Problems found while walking the type graph, and the set of struct types reached.
struct WalkResult {
  std::vector<std::string> errors;
  std::set<std::string> structs;
};

template <typename T>
void WalkStruct(WalkResult& result);

// Records the JSON names and flags of one struct's fields and walks nested struct types.
struct NameCollector {
  explicit NameCollector(WalkResult& r) : result(r) {}

  template <typename T>
  void operator()(std::string_view name, T& field) {
    Record(name, field, 0);
  }
  template <typename T>
  void operator()(std::string_view name, T& field, FieldFlag flag) {
    Record(name, field, flag);
  }

  template <typename T>
  void Record(std::string_view name, T& /*field*/, int flag) {
    names.emplace_back(name);
    flags.push_back(flag);
    using Inner = typename Unwrap<T>::type;
    if constexpr (Visitable<Inner>) WalkStruct<Inner>(result);
  }

  WalkResult& result;
  std::vector<std::string> names;
  std::vector<int> flags;
};

template <typename T>
void WalkStruct(WalkResult& result) {
  const std::string type_name = typeid(T).name();
  if (!result.structs.insert(type_name).second) return;
  T object{};
  NameCollector collector(result);
  object.VisitFields(collector);
  if (collector.names.empty()) result.errors.push_back(type_name + ": no fields");
  std::set<std::string> seen;
  for (const std::string& name : collector.names) {
    if (!seen.insert(name).second) result.errors.push_back(type_name + ": duplicate " + name);
    if (name.empty() || !std::islower(static_cast<unsigned char>(name[0])) ||
        name.find_first_of("_-. ") != std::string::npos) {
      result.errors.push_back(type_name + ": not a JSON field name: " + name);
    }
  }
}

template <typename T>
std::vector<std::string> FieldNames() {
  WalkResult result;
  T object{};
  NameCollector collector(result);
  object.VisitFields(collector);
  return collector.names;
}

template <typename T>
int FlagOf(std::string_view field) {
  WalkResult result;
  T object{};
  NameCollector collector(result);
  object.VisitFields(collector);
  for (size_t i = 0; i < collector.names.size(); ++i) {
    if (collector.names[i] == field) return collector.flags[i];
  }
  return -1;
}

// Sets every std::string member named `target` to `value`, to show visitors get references.
struct StringSetter {
  template <typename T>
  void operator()(std::string_view name, T& field, FieldFlag = {}) {
    if constexpr (std::is_same_v<T, std::string>) {
      if (name == target) field = value;
    }
  }
  std::string_view target;
  std::string value;
};

template <typename T>
class TopLevelKindTest : public ::testing::Test {};

using TopLevelKinds =
    ::testing::Types<DeviceClass, ResourceSlice, ResourceClaim, ResourceClaimTemplate,
                     DeviceTaintRule, Pod, Node, Namespace, Event, Status>;
TYPED_TEST_SUITE(TopLevelKindTest, TopLevelKinds);

TYPED_TEST(TopLevelKindTest, FieldNamesAreUniqueThroughout) {
  WalkResult result;
  WalkStruct<TypeParam>(result);
  EXPECT_TRUE(result.errors.empty()) << ::testing::PrintToString(result.errors);
  EXPECT_GT(result.structs.size(), 1u);
}

TYPED_TEST(TopLevelKindTest, StartsWithTypeMetaAndMetadata) {
  std::vector<std::string> names = FieldNames<TypeParam>();
  ASSERT_GE(names.size(), 3u);
  EXPECT_EQ(names[0], "apiVersion");
  EXPECT_EQ(names[1], "kind");
  EXPECT_EQ(names[2], "metadata");
  EXPECT_EQ(FlagOf<TypeParam>("metadata"), kEmitEmpty);
  EXPECT_FALSE(TypeParam::kKind.empty());
  EXPECT_FALSE(TypeParam::kGroupVersion.empty());
}

TYPED_TEST(TopLevelKindTest, EqualityIsByValue) {
  TypeParam a{};
  TypeParam b{};
  EXPECT_TRUE(a == b);
  b.metadata.resource_version = "7";
  EXPECT_FALSE(a == b);
  TypeParam c = b;
  EXPECT_TRUE(b == c);
}

TYPED_TEST(TopLevelKindTest, VisitorSeesMembersByReference) {
  TypeParam object{};
  StringSetter setter{"kind", std::string(TypeParam::kKind)};
  object.VisitFields(setter);
  EXPECT_EQ(object.kind, TypeParam::kKind);
}

TEST(TypesTest, KindConstants) {
  EXPECT_EQ(ResourceClaim::kKind, "ResourceClaim");
  EXPECT_EQ(ResourceClaim::kGroupVersion, "resource.k8s.io/v1");
  EXPECT_EQ(ResourceClaim::kResource, "resourceclaims");
  EXPECT_TRUE(ResourceClaim::kNamespaced);
  EXPECT_EQ(ResourceSlice::kResource, "resourceslices");
  EXPECT_FALSE(ResourceSlice::kNamespaced);
  EXPECT_EQ(DeviceClass::kResource, "deviceclasses");
  EXPECT_FALSE(DeviceClass::kNamespaced);
  EXPECT_EQ(ResourceClaimTemplate::kResource, "resourceclaimtemplates");
  EXPECT_TRUE(ResourceClaimTemplate::kNamespaced);
  EXPECT_EQ(DeviceTaintRule::kGroupVersion, "resource.k8s.io/v1beta2");
  EXPECT_EQ(DeviceTaintRule::kResource, "devicetaintrules");
  EXPECT_EQ(Pod::kGroupVersion, "v1");
  EXPECT_EQ(Pod::kResource, "pods");
  EXPECT_FALSE(Node::kNamespaced);
  EXPECT_TRUE(Event::kNamespaced);
  EXPECT_EQ(Status::kGroupVersion, "v1");
}

TEST(TypesTest, ReachesNestedStructs) {
  WalkResult result;
  WalkStruct<ResourceClaim>(result);
  WalkStruct<ResourceSlice>(result);
  EXPECT_TRUE(result.errors.empty()) << ::testing::PrintToString(result.errors);
  for (const char* name :
       {typeid(NetworkDeviceData).name(), typeid(DeviceSubRequest).name(),
        typeid(CELDeviceSelector).name(), typeid(CapacityRequestPolicyRange).name(),
        typeid(NodeSelectorRequirement).name(), typeid(Condition).name(),
        typeid(DeviceAttribute).name(), typeid(OwnerReference).name()}) {
    EXPECT_TRUE(result.structs.contains(name)) << name;
  }
}

TEST(TypesTest, UpstreamFieldOrder) {
  EXPECT_EQ(FieldNames<DeviceRequest>(),
            (std::vector<std::string>{"name", "exactly", "firstAvailable"}));
  EXPECT_EQ(FieldNames<DeviceAttribute>(),
            (std::vector<std::string>{"int", "bool", "string", "version", "ints", "bools",
                                      "strings", "versions"}));
  EXPECT_EQ(FieldNames<ResourcePool>(),
            (std::vector<std::string>{"name", "generation", "resourceSliceCount"}));
  EXPECT_EQ(FieldNames<AllocationResult>(),
            (std::vector<std::string>{"devices", "nodeSelector", "allocationTimestamp"}));
  EXPECT_EQ(FieldNames<DeviceTaintSelector>(),
            (std::vector<std::string>{"driver", "pool", "device"}));
}

TEST(TypesTest, EmitEmptyFlags) {
  EXPECT_EQ(FlagOf<ResourcePool>("generation"), kEmitEmpty);
  EXPECT_EQ(FlagOf<ResourcePool>("resourceSliceCount"), kEmitEmpty);
  EXPECT_EQ(FlagOf<DeviceClaim>("requests"), kEmitEmpty);
  EXPECT_EQ(FlagOf<DeviceClaim>("constraints"), 0);
  EXPECT_EQ(FlagOf<ExactDeviceRequest>("count"), 0);
  EXPECT_EQ(FlagOf<OpaqueDeviceConfiguration>("parameters"), kEmitEmpty);
  EXPECT_EQ(FlagOf<ContainerStatus>("ready"), kEmitEmpty);
  EXPECT_EQ(FlagOf<Event>("reportingComponent"), kEmitEmpty);
  EXPECT_EQ(FlagOf<ObjectMeta>("namespace"), 0);
}

TEST(TypesTest, DeepEquality) {
  ResourceClaim a;
  a.metadata.namespace_ = "default";
  a.metadata.name = "gpu";
  DeviceRequest request;
  request.name = "gpu";
  request.exactly = ExactDeviceRequest{};
  request.exactly->device_class_name = "gpu.example.com";
  request.exactly->allocation_mode = std::string(kDeviceAllocationModeExactCount);
  request.exactly->count = 2;
  a.spec.devices.requests.push_back(request);

  ResourceClaim b = a;
  EXPECT_TRUE(a == b);

  AllocationResult allocation;
  DeviceRequestAllocationResult result;
  result.request = "gpu";
  result.driver = "gpu.example.com";
  result.pool = "node-1";
  result.device = "gpu-0";
  allocation.devices.results.push_back(result);
  b.status.allocation = allocation;
  EXPECT_FALSE(a == b);
  a.status.allocation = allocation;
  EXPECT_TRUE(a == b);

  b.status.allocation->devices.results[0].share_id = "uid";
  EXPECT_FALSE(a == b);

  DeviceAttribute x;
  x.ints = {1, 2};
  DeviceAttribute y;
  y.ints = {2, 1};
  EXPECT_FALSE(x == y);
}

TEST(TypesTest, Limits) {
  EXPECT_EQ(kResourceSliceMaxDevices, 128);
  EXPECT_EQ(kResourceSliceMaxDevicesWithAdvancedFeatures, 64);
  EXPECT_EQ(kDeviceRequestsMaxSize, 32);
  EXPECT_EQ(kResourceClaimReservedForMaxSize, 256);
  EXPECT_EQ(kOpaqueParametersMaxLength, 10240);
  EXPECT_EQ(kPoolNameMaxLength, 253);
}

}  // namespace
}  // namespace dra::api
