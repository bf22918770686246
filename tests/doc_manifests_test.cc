// Every manifest from DRA documentation (../shared/examples/doc-manifests) is handled as the
// folder's README says: valid ones validate, wrong ones are rejected with errors that name the
// field and say what to write instead. New files there must be listed here.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "dra/api/codec/codec.h"
#include "dra/cli/run_for_test.h"
#include "dra/driver/cpu/cpu.h"
#include "dra/driver/gpu/gpu_devices.h"
#include "dra/driver/net/net.h"

namespace dra {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using cli::RunDra;
using cli::RunResult;

fs::path DocManifests() { return fs::path(DRA_SHARED_DIR) / "examples" / "doc-manifests"; }

struct Expectation {
  int exit_code;
  std::vector<std::string> output_contains;
};

// What `dra validate` must print for each documented manifest.
const std::map<std::string, Expectation>& Expectations() {
  static const auto* expectations = new std::map<std::string, Expectation>{
      {"nvidia-dra-driver-00-deviceclass-gpu.nvidia.com.yaml",
       {0, {"DeviceClass \"gpu.nvidia.com\" valid"}}},
      {"nvidia-dra-driver-01-resourceslice-gpu-node-01-gpu.nvidia.com-xxxxx.yaml",
       {1,
        {"unknown field \"spec.devices[0].attributes[memory].quantity\"",
         "write spec.devices[0].capacity[memory].value", "spec.pool.resourceSliceCount"}}},
      {"nvidia-dra-driver-02-resourceclaim-my-gpu-claim.yaml", {0, {"valid"}}},
      {"nvidia-dra-driver-06-resourceclaim-single-gpu.yaml", {0, {"valid"}}},
      {"nvidia-dra-driver-07-pod-gpu-pod.yaml", {0, {"Pod \"", "valid"}}},
      {"nvidia-dra-driver-08-resourceclaim-multi-gpu.yaml", {0, {"valid"}}},
      // device.capacity is indexed by domain first: Kubernetes rejects this selector when it
      // compiles it, and so does dra.
      {"nvidia-dra-driver-09-resourceclaim-high-memory-gpu.yaml",
       {1,
        {"found no matching overload for 'compareTo' applied to "
         "'map(string, kubernetes.Quantity).(kubernetes.Quantity)'",
         "indexed by domain, then by name"}}},
      {"nvidia-dra-driver-10-resourceclaim-ampere-gpu.yaml", {0, {"valid"}}},
      {"nvidia-dra-driver-11-resourceclaim-specific-gpu.yaml", {0, {"valid"}}},
      {"nvidia-dra-driver-12-resourceclaimtemplate-deployment-gpu-claim-template.yaml",
       {0, {"valid"}}},
      // migProfile is only caught at allocation time (a CEL "no such key" error).
      {"nvidia-dra-driver-14-resourceclaim-mig-claim.yaml",
       {0, {"ResourceClaim \"mig-claim\" valid"}}},
      {"nvidia-dra-driver-15-resourceclaim-topology-aware.yaml", {0, {"valid"}}},
      {"nvidia-dra-driver-16-pod-gpu-pod-legacy.yaml", {0, {"Pod \"gpu-pod-legacy\" valid"}}},
      {"nvidia-dra-driver-17-resourceclaim-pod-gpu-claim.yaml", {0, {"valid"}}},
      {"ainative-pod-with-template.yaml", {0, {"Pod \"trainer\" valid"}}},
      {"dra-overview-00-resourceclaimtemplate-gpu-nic-topology.yaml",
       {1,
        {"converted from resource.k8s.io/v1beta1",
         "spec.spec.devices.constraints[0].matchAttribute"}}},
      {"devopsroles-legacy-v1alpha2.yaml",
       {1,
        {"DeviceClass (resource.k8s.io/v1)", "ResourceClaimTemplate (resource.k8s.io/v1)",
         "unknown field \"spec.resourceClaims[0].source\"",
         "spec.resourceClaims[0].resourceClaimTemplateName"}}},
  };
  return *expectations;
}

TEST(DocManifestsTest, EveryFileIsExpected) {
  for (const auto& entry : fs::directory_iterator(DocManifests())) {
    if (entry.path().extension() != ".yaml") continue;
    EXPECT_TRUE(Expectations().count(entry.path().filename().string()))
        << "no expectation for " << entry.path().filename()
        << "; add it to tests/doc_manifests_test.cc";
  }
}

TEST(DocManifestsTest, ValidateEach) {
  for (const auto& [file, expect] : Expectations()) {
    fs::path path = DocManifests() / file;
    if (!fs::exists(path)) continue;
    RunResult r = RunDra({"validate", "-f", path.string()});
    EXPECT_EQ(r.exit_code, expect.exit_code) << file << "\n" << r.out << r.err;
    for (const auto& fragment : expect.output_contains) {
      EXPECT_THAT(r.out + r.err, HasSubstr(fragment)) << file;
    }
  }
}

TEST(DocManifestsTest, V1Beta1ConvertsToV1) {
  RunResult r = RunDra(
      {"convert", "-f",
       (DocManifests() / "dra-overview-00-resourceclaimtemplate-gpu-nic-topology.yaml").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("apiVersion: resource.k8s.io/v1\n"));
  EXPECT_THAT(r.out, HasSubstr("exactly:"));
  EXPECT_THAT(r.out, HasSubstr("deviceClassName: nvidia-gpu"));
  EXPECT_THAT(r.out, HasSubstr("allocationMode: ExactCount"));
}

TEST(DocManifestsTest, DirectoryExitCodeIsWorst) {
  RunResult r = RunDra({"validate", "-q", "-f", DocManifests().string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, Not(HasSubstr(" valid\n")));
}

// The plain manifests of deploy/ are valid, and their DeviceClasses are exactly the ones the
// node agent's drivers install (`dra node --install-device-classes`).
TEST(DeployManifestsTest, ValidAndSameDeviceClassesAsTheDrivers) {
  fs::path manifest = fs::path(DRA_SOURCE_DIR) / "deploy" / "manifests" / "dra-node.yaml";
  RunResult r = RunDra({"validate", "-f", manifest.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::ifstream in(manifest);
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<api::DecodedDocument>> docs =
      api::DecodeAll(text.str(), {.strict = false});
  ASSERT_TRUE(docs.ok()) << docs.status();
  std::map<std::string, api::DeviceClassSpec> deployed;
  for (const api::DecodedDocument& doc : *docs) {
    if (!doc.object.has_value()) continue;
    if (const auto* c = std::get_if<api::DeviceClass>(&*doc.object)) {
      deployed[c->metadata.name] = c->spec;
    }
  }
  std::vector<api::DeviceClass> installed = driver::gpu::GpuDeviceClasses();
  for (const auto& more : {driver::CpuDeviceClasses(), driver::NetDeviceClasses()}) {
    installed.insert(installed.end(), more.begin(), more.end());
  }
  ASSERT_EQ(deployed.size(), installed.size());
  for (const api::DeviceClass& c : installed) {
    ASSERT_TRUE(deployed.count(c.metadata.name)) << c.metadata.name;
    EXPECT_EQ(deployed[c.metadata.name], c.spec) << c.metadata.name;
  }
}

}  // namespace
}  // namespace dra
