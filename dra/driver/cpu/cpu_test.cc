#include "dra/driver/cpu/cpu.h"

#include <unistd.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dra/driver/net/sysfs_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::driver {
namespace {

using ::testing::ElementsAre;
using testing::FakeSysfs;
using ::testing::HasSubstr;

void AddCpu(const FakeSysfs& fs, int id, int core, int socket, std::optional<int> l3) {
  const std::string dir = "devices/system/cpu/cpu" + std::to_string(id);
  fs.Write(dir + "/topology/core_id", std::to_string(core) + "\n");
  fs.Write(dir + "/topology/physical_package_id", std::to_string(socket) + "\n");
  fs.Write(dir + "/cache/index0/level", "1\n");
  fs.Write(dir + "/cache/index0/id", "0\n");
  if (l3) {
    fs.Write(dir + "/cache/index3/level", "3\n");
    fs.Write(dir + "/cache/index3/id", std::to_string(*l3) + "\n");
  }
}

// Two sockets, one NUMA node each, two cores per socket with two SMT threads (siblings n and
// n+2), one L3 per socket.
void BuildTwoSocket(const FakeSysfs& fs) {
  fs.Write("devices/system/cpu/online", "0-7\n");
  for (int id = 0; id < 8; ++id) AddCpu(fs, id, id % 2, id / 4, id / 4);
  fs.Write("devices/system/node/node0/cpulist", "0-3\n");
  fs.Write("devices/system/node/node1/cpulist", "4-7\n");
  fs.Write("devices/system/node/online", "0-1\n");
}

// An Intel hybrid part: 2 P-cores with SMT (cpus 0-3), 4 E-cores (4-7), no NUMA directory,
// no L3 id file (the id falls back to the lowest CPU sharing the cache).
void BuildHybrid(const FakeSysfs& fs) {
  fs.Write("devices/system/cpu/online", "0-7\n");
  int cores[] = {0, 0, 4, 4, 8, 9, 10, 11};
  for (int id = 0; id < 8; ++id) {
    AddCpu(fs, id, cores[id], 0, std::nullopt);
    const std::string dir = "devices/system/cpu/cpu" + std::to_string(id);
    fs.Write(dir + "/cache/index3/level", "3\n");
    fs.Write(dir + "/cache/index3/shared_cpu_list", "0-7\n");
  }
  fs.Write("devices/cpu_core/cpus", "0-3\n");
  fs.Write("devices/cpu_atom/cpus", "4-7\n");
}

// ---------------------------------------------------------------------------------------------
// Shared suite: every backend (fake trees and this machine's /sys) satisfies the invariants.

enum class Backend { kTwoSocket, kHybrid, kRealSys };

class CpuDiscoverySuite : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    switch (GetParam()) {
      case Backend::kTwoSocket:
        BuildTwoSocket(fake_);
        root_ = fake_.root();
        break;
      case Backend::kHybrid:
        BuildHybrid(fake_);
        root_ = fake_.root();
        break;
      case Backend::kRealSys:
        root_ = "/sys";
        break;
    }
  }
  FakeSysfs fake_;
  std::string root_;
};

TEST_P(CpuDiscoverySuite, Invariants) {
  absl::StatusOr<std::vector<CpuInfo>> cpus = DiscoverCpus(root_);
  ASSERT_TRUE(cpus.ok()) << cpus.status();
  ASSERT_FALSE(cpus->empty());
  for (size_t i = 1; i < cpus->size(); ++i) EXPECT_LT((*cpus)[i - 1].cpu_id, (*cpus)[i].cpu_id);
  for (const CpuInfo& c : *cpus) {
    EXPECT_GE(c.socket_id, 0);
    EXPECT_GE(c.numa_node, 0);
    EXPECT_THAT(std::set<std::string>({"standard", "p-core", "e-core"}),
                ::testing::Contains(c.core_type));
  }
  if (GetParam() == Backend::kRealSys) {
    EXPECT_EQ(static_cast<long>(cpus->size()), ::sysconf(_SC_NPROCESSORS_ONLN));
  }

  // Grouped modes publish every CPU exactly once; individual mode one device per CPU.
  for (CpuGroupBy by : {CpuGroupBy::kNumaNode, CpuGroupBy::kSocket, CpuGroupBy::kMachine}) {
    DriverResources res = CpuDriverResources(*cpus, {.group_by = by});
    EXPECT_EQ(res.driver, "dra.cpu");
    int64_t total = 0;
    for (const api::Device& d : res.devices) {
      total += *d.attributes.at(kCpuAttrNumCpus).int_;
      EXPECT_EQ(d.capacity.at(kCpuCapacity).value.Value(), *d.attributes.at(kCpuAttrNumCpus).int_);
      EXPECT_EQ(d.allow_multiple_allocations, true);
    }
    EXPECT_EQ(total, static_cast<int64_t>(cpus->size()));
  }
  DriverResources individual = CpuDriverResources(*cpus, {.mode = CpuDeviceMode::kIndividual});
  ASSERT_EQ(individual.devices.size(), cpus->size());
  std::set<int64_t> ids;
  for (const api::Device& d : individual.devices) ids.insert(*d.attributes.at(kCpuAttrCpuId).int_);
  EXPECT_EQ(ids.size(), cpus->size());
}

INSTANTIATE_TEST_SUITE_P(Backends, CpuDiscoverySuite,
                         ::testing::Values(Backend::kTwoSocket, Backend::kHybrid,
                                           Backend::kRealSys),
                         [](const auto& info) {
                           switch (info.param) {
                             case Backend::kTwoSocket:
                               return std::string("FakeTwoSocket");
                             case Backend::kHybrid:
                               return std::string("FakeHybrid");
                             default:
                               return std::string("RealSys");
                           }
                         });

// ---------------------------------------------------------------------------------------------
// Fake-tree specifics.

TEST(DiscoverCpusTest, TwoSocketTopology) {
  FakeSysfs fs;
  BuildTwoSocket(fs);
  absl::StatusOr<std::vector<CpuInfo>> cpus = DiscoverCpus(fs.root());
  ASSERT_TRUE(cpus.ok()) << cpus.status();
  ASSERT_EQ(cpus->size(), 8u);
  EXPECT_EQ((*cpus)[5], (CpuInfo{.cpu_id = 5,
                                 .core_id = 1,
                                 .socket_id = 1,
                                 .numa_node = 1,
                                 .l3_cache_id = 1,
                                 .core_type = "standard"}));
  EXPECT_TRUE(SmtEnabled(*cpus));
}

TEST(DiscoverCpusTest, HybridCoreTypesAndL3Fallback) {
  FakeSysfs fs;
  BuildHybrid(fs);
  absl::StatusOr<std::vector<CpuInfo>> cpus = DiscoverCpus(fs.root());
  ASSERT_TRUE(cpus.ok()) << cpus.status();
  EXPECT_EQ((*cpus)[1].core_type, "p-core");
  EXPECT_EQ((*cpus)[6].core_type, "e-core");
  EXPECT_EQ((*cpus)[6].numa_node, 0);
  EXPECT_EQ((*cpus)[6].l3_cache_id, 0);
}

TEST(DiscoverCpusTest, CpuTypesDirectory) {
  FakeSysfs fs;
  fs.Write("devices/system/cpu/online", "0-1");
  AddCpu(fs, 0, 0, 0, 0);
  AddCpu(fs, 1, 1, 0, 0);
  fs.Write("devices/system/cpu/types/intel_core_1/cpulist", "0\n");
  fs.Write("devices/system/cpu/types/intel_atom_1/cpulist", "1\n");
  absl::StatusOr<std::vector<CpuInfo>> cpus = DiscoverCpus(fs.root());
  ASSERT_TRUE(cpus.ok()) << cpus.status();
  EXPECT_EQ((*cpus)[0].core_type, "p-core");
  EXPECT_EQ((*cpus)[1].core_type, "e-core");
}

TEST(DiscoverCpusTest, OfflineCpusAreSkipped) {
  FakeSysfs fs;
  BuildTwoSocket(fs);
  fs.Write("devices/system/cpu/online", "0-2,4-7\n");
  absl::StatusOr<std::vector<CpuInfo>> cpus = DiscoverCpus(fs.root());
  ASSERT_TRUE(cpus.ok()) << cpus.status();
  EXPECT_EQ(cpus->size(), 7u);
}

TEST(DiscoverCpusTest, ErrorsNameTheFile) {
  FakeSysfs fs;
  absl::StatusOr<std::vector<CpuInfo>> missing = DiscoverCpus(fs.root());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("devices/system/cpu/online"));

  BuildTwoSocket(fs);
  fs.Write("devices/system/cpu/cpu3/topology/core_id", "x1\n");
  absl::StatusOr<std::vector<CpuInfo>> bad = DiscoverCpus(fs.root());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("cpu3/topology/core_id"));
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("x1"));

  fs.Write("devices/system/cpu/cpu3/topology/core_id", "1\n");
  fs.Write("devices/system/node/node1/cpulist", "7-4\n");
  absl::StatusOr<std::vector<CpuInfo>> bad_list = DiscoverCpus(fs.root());
  EXPECT_EQ(bad_list.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad_list.status().message()), HasSubstr("node1/cpulist"));
}

// ---------------------------------------------------------------------------------------------
// CPU lists.

TEST(CpuListTest, Parse) {
  EXPECT_THAT(*ParseCpuList("0-3,8,10-11"), ElementsAre(0, 1, 2, 3, 8, 10, 11));
  EXPECT_THAT(*ParseCpuList("5\n"), ElementsAre(5));
  EXPECT_THAT(*ParseCpuList("3,1,1-2"), ElementsAre(1, 2, 3));
  EXPECT_TRUE(ParseCpuList("").value().empty());
  EXPECT_TRUE(ParseCpuList("\n").value().empty());
  for (const char* bad : {"1,,2", "a", "5-3", "1-", "-1", "0-3:2", "1 2", ",", "99999999999"}) {
    absl::StatusOr<std::vector<int>> r = ParseCpuList(bad);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_THAT(std::string(ParseCpuList("0,5-3").status().message()), HasSubstr("5-3"));
}

TEST(CpuListTest, Format) {
  EXPECT_EQ(FormatCpuList({0, 1, 2, 3, 8, 10, 11}), "0-3,8,10-11");
  EXPECT_EQ(FormatCpuList({7, 5, 5}), "5,7");
  EXPECT_EQ(FormatCpuList({}), "");
  EXPECT_EQ(FormatCpuList(*ParseCpuList("0-63,128-191")), "0-63,128-191");
}

// ---------------------------------------------------------------------------------------------
// Device model.

std::vector<CpuInfo> TwoSocketCpus() {
  FakeSysfs fs;
  BuildTwoSocket(fs);
  return *DiscoverCpus(fs.root());
}

TEST(CpuModelTest, GroupedByNumaNode) {
  DriverResources res = CpuDriverResources(TwoSocketCpus(), {.reserved_cpus = {0, 4}});
  ASSERT_EQ(res.devices.size(), 2u);
  const api::Device& d = res.devices[1];
  EXPECT_EQ(d.name, "cpudevnuma001");
  EXPECT_EQ(d.allow_multiple_allocations, true);
  EXPECT_EQ(d.capacity.at("dra.cpu/cpu").value.ToString(), "3");
  EXPECT_EQ(d.attributes.at("resource.kubernetes.io/numaNode").int_, 1);
  EXPECT_EQ(d.attributes.at("dra.cpu/numaNodeID").int_, 1);
  EXPECT_EQ(d.attributes.at("dra.net/numaNode").int_, 1);
  EXPECT_EQ(d.attributes.at("dra.cpu/socketID").int_, 1);
  EXPECT_EQ(d.attributes.at("dra.cpu/numCPUs").int_, 3);
  EXPECT_EQ(d.attributes.at("dra.cpu/smtEnabled").bool_, true);
  EXPECT_EQ(d.attributes.size(), 6u);
  EXPECT_TRUE(d.node_allocatable_resource_mappings.empty());
}

TEST(CpuModelTest, GroupedBySocketAndMachine) {
  std::vector<CpuInfo> cpus = TwoSocketCpus();
  DriverResources sockets = CpuDriverResources(cpus, {.group_by = CpuGroupBy::kSocket});
  ASSERT_EQ(sockets.devices.size(), 2u);
  EXPECT_EQ(sockets.devices[0].name, "cpudevsocket000");
  EXPECT_EQ(sockets.devices[0].attributes.size(), 3u);
  EXPECT_FALSE(sockets.devices[0].attributes.contains("resource.kubernetes.io/numaNode"));

  DriverResources machine = CpuDriverResources(
      cpus, {.group_by = CpuGroupBy::kMachine, .node_allocatable_mapping = true});
  ASSERT_EQ(machine.devices.size(), 1u);
  EXPECT_EQ(machine.devices[0].name, "cpudevmachine");
  EXPECT_EQ(machine.devices[0].capacity.at("dra.cpu/cpu").value.ToString(), "8");
  EXPECT_EQ(machine.devices[0].node_allocatable_resource_mappings.at("cpu").capacity_key,
            "dra.cpu/cpu");
}

TEST(CpuModelTest, FullyReservedGroupIsOmitted) {
  DriverResources res =
      CpuDriverResources(TwoSocketCpus(), {.reserved_cpus = *ParseCpuList("0-3")});
  ASSERT_EQ(res.devices.size(), 1u);
  EXPECT_EQ(res.devices[0].name, "cpudevnuma001");
}

TEST(CpuModelTest, IndividualOrdersSiblingsTogether) {
  CpuModelOptions opts{.mode = CpuDeviceMode::kIndividual, .reserved_cpus = {1}};
  std::vector<CpuDeviceGroup> groups = CpuDeviceGroups(TwoSocketCpus(), opts);
  std::vector<int> order;
  for (const auto& g : groups) order.push_back(g.cpus.front());
  // Core (0,0) = {0,2}; core (0,1) = {1,3} with 1 reserved; then socket 1.
  EXPECT_THAT(order, ElementsAre(0, 2, 3, 4, 6, 5, 7));
  EXPECT_EQ(groups[2].name, "cpudev002");

  DriverResources res = CpuDriverResources(TwoSocketCpus(), opts);
  const api::Device& d = res.devices[2];
  EXPECT_EQ(d.name, "cpudev002");
  EXPECT_EQ(d.attributes.at("dra.cpu/cpuID").int_, 3);
  EXPECT_EQ(d.attributes.at("dra.cpu/coreID").int_, 1);
  EXPECT_EQ(d.attributes.at("dra.cpu/coreType").string_, "standard");
  EXPECT_EQ(d.attributes.at("dra.cpu/cacheL3ID").int_, 0);
  EXPECT_EQ(d.attributes.at("dra.cpu/socketID").int_, 0);
  EXPECT_EQ(d.attributes.at("dra.cpu/smtEnabled").bool_, true);
  EXPECT_EQ(d.attributes.at("resource.kubernetes.io/numaNode").int_, 0);
  EXPECT_TRUE(d.capacity.empty());
  EXPECT_FALSE(d.allow_multiple_allocations.has_value());
}

TEST(CpuModelTest, DeviceClass) {
  std::vector<api::DeviceClass> classes = CpuDeviceClasses();
  ASSERT_EQ(classes.size(), 1u);
  EXPECT_EQ(classes[0].metadata.name, "dra.cpu");
  EXPECT_EQ(classes[0].spec.selectors.at(0).cel->expression, "device.driver == 'dra.cpu'");
}

}  // namespace
}  // namespace dra::driver
