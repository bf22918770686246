#include "dra/driver/cdi/cdi.h"

#include <filesystem>
#include <string>

#include "dra/driver/net/sysfs_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::driver::cdi {
namespace {

using ::testing::HasSubstr;

Spec ClaimSpec() {
  Spec s;
  s.cdi_version = "0.5.0";
  s.kind = "k8s.gpu.nvidia.com/claim";
  s.container_edits.env = {"NVIDIA_VISIBLE_DEVICES=void"};
  s.container_edits.device_nodes = {{.path = "/dev/nvidiactl"}};
  Device d;
  d.name = "0b5c1f2e-aaaa-bbbb-cccc-000000000001-gpu-0";
  d.container_edits.device_nodes = {{.path = "/dev/nvidia0",
                                     .type = "c",
                                     .major = 195,
                                     .minor = 0,
                                     .file_mode = 0666,
                                     .permissions = "rw",
                                     .uid = 0,
                                     .gid = 0}};
  d.container_edits.mounts = {{.host_path = "/run/mps/shm",
                               .container_path = "/dev/shm",
                               .options = {"rw", "nosuid", "nodev", "bind"}}};
  d.container_edits.hooks = {{.hook_name = "createContainer",
                              .path = "/usr/bin/nvidia-cdi-hook",
                              .args = {"nvidia-cdi-hook", "update-ldcache"},
                              .timeout = 10}};
  s.devices.push_back(d);
  return s;
}

std::string Message(const absl::Status& st) { return std::string(st.message()); }

TEST(CdiTest, MinimumVersion) {
  Spec s = ClaimSpec();
  EXPECT_EQ(MinimumCdiVersion(s), "0.5.0");  // device name starts with a digit
  s.devices[0].name = "gpu-0";
  EXPECT_EQ(MinimumCdiVersion(s), "0.3.0");
  s.devices[0].container_edits.mounts[0].type = "bind";
  EXPECT_EQ(MinimumCdiVersion(s), "0.4.0");
  s.container_edits.device_nodes[0].host_path = "/dev/nvidiactl";
  EXPECT_EQ(MinimumCdiVersion(s), "0.5.0");
  s.kind = "example.com/gpu.class";
  EXPECT_EQ(MinimumCdiVersion(s), "0.6.0");
  s.kind = "example.com/gpu";
  s.devices[0].annotations["a"] = "b";
  EXPECT_EQ(MinimumCdiVersion(s), "0.6.0");
  s.devices[0].container_edits.additional_gids = {44};
  EXPECT_EQ(MinimumCdiVersion(s), "0.7.0");
}

TEST(CdiTest, Validation) {
  EXPECT_TRUE(ValidateSpec(ClaimSpec()).ok()) << ValidateSpec(ClaimSpec());
  struct Case {
    void (*mutate)(Spec&);
    const char* want;
  };
  const Case cases[] = {
      {[](Spec& s) { s.cdi_version = "0.4.0"; }, "needs at least 0.5.0"},
      {[](Spec& s) { s.cdi_version = "2.0.0"; }, "unknown version"},
      {[](Spec& s) { s.kind = "nvidia.com"; }, "kind: must be <vendor>/<class>"},
      {[](Spec& s) { s.kind = "1nvidia.com/gpu"; }, "invalid vendor"},
      {[](Spec& s) { s.kind = "nvidia.com/gp$u"; }, "invalid class"},
      {[](Spec& s) { s.devices.clear(); }, "at least one device"},
      {[](Spec& s) { s.devices[0].name = "gpu 0"; }, "devices[0].name: invalid device name"},
      {[](Spec& s) { s.devices[0].name = "gpu-"; }, "must start and end"},
      {[](Spec& s) { s.devices.push_back(s.devices[0]); }, "duplicate device"},
      {[](Spec& s) { s.devices[0].container_edits = {}; }, "empty device edits"},
      {[](Spec& s) { s.container_edits.env = {"NOVALUE"}; }, "containerEdits.env[0]"},
      {[](Spec& s) { s.devices[0].container_edits.device_nodes[0].type = "x"; },
       "deviceNodes[0].type"},
      {[](Spec& s) { s.devices[0].container_edits.mounts[0].container_path = ""; },
       "mounts[0].containerPath: required"},
      {[](Spec& s) { s.devices[0].container_edits.hooks[0].hook_name = "boot"; }, "unknown hook"},
      {[](Spec& s) { s.devices[0].container_edits.hooks[0].path = "hook"; },
       "not an absolute path"},
  };
  for (const Case& c : cases) {
    Spec s = ClaimSpec();
    c.mutate(s);
    absl::Status st = ValidateSpec(s);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << c.want;
    EXPECT_THAT(Message(st), HasSubstr(c.want));
  }
}

TEST(CdiTest, NamesAndPaths) {
  EXPECT_EQ(QualifiedDeviceName("k8s.gpu.nvidia.com", "claim", "uid-gpu-0"),
            "k8s.gpu.nvidia.com/claim=uid-gpu-0");
  EXPECT_EQ(TransientSpecPath("/var/run/cdi", "k8s.gpu.nvidia.com", "claim", "1234"),
            "/var/run/cdi/k8s.gpu.nvidia.com-claim_1234.json");
  EXPECT_EQ(TransientSpecPath("/etc/cdi", "dra.k8s.io", "cpu", "a/b", ".yaml"),
            "/etc/cdi/dra.k8s.io-cpu_a_b.yaml");
}

TEST(CdiTest, EncodeUsesSpecFieldNames) {
  std::string json = EncodeSpec(ClaimSpec());
  for (const char* field :
       {"\"cdiVersion\": \"0.5.0\"", "\"kind\"", "\"devices\"", "\"containerEdits\"",
        "\"deviceNodes\"", "\"hostPath\"", "\"containerPath\"", "\"hookName\"", "\"fileMode\": 438",
        "\"permissions\": \"rw\"", "\"major\": 195", "\"timeout\": 10"}) {
    EXPECT_THAT(json, HasSubstr(field));
  }
  EXPECT_EQ(json.find("annotations"), std::string::npos);
  EXPECT_EQ(json.find("additionalGids"), std::string::npos);
}

TEST(CdiTest, RoundTripJsonAndYaml) {
  Spec s = ClaimSpec();
  s.annotations["owner"] = "dra";
  s.cdi_version = "0.6.0";
  s.devices[0].container_edits.additional_gids = {44, 107};
  s.cdi_version = "0.7.0";
  absl::StatusOr<Spec> back = DecodeSpec(EncodeSpec(s));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, s);

  const char* yaml = R"(cdiVersion: "0.5.0"
kind: example.com/gpu
devices:
- name: "0-gpu"
  containerEdits:
    env: ["A=1"]
    deviceNodes:
    - path: /dev/gpu0
      major: 10
      minor: 200
      type: c
)";
  absl::StatusOr<Spec> y = DecodeSpec(yaml, "x.yaml");
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(y->devices[0].name, "0-gpu");
  EXPECT_EQ(y->devices[0].container_edits.device_nodes[0].minor, 200);
  EXPECT_TRUE(ValidateSpec(*y).ok());
}

TEST(CdiTest, DecodeErrorsNameSourceAndField) {
  absl::StatusOr<Spec> bad = DecodeSpec("{\"cdiVersion\": \"0.5.0\", \"kind\": 3}", "f.json");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(bad.status()), HasSubstr("f.json: kind: expected a string"));
  absl::StatusOr<Spec> unknown = DecodeSpec(
      R"({"cdiVersion":"0.5.0","kind":"a.com/b","devices":[{"name":"x","containerEdits":{"envs":[]}}]})",
      "f.json");
  EXPECT_THAT(Message(unknown.status()),
              HasSubstr("devices[0].containerEdits.envs: unknown field"));
  absl::StatusOr<Spec> major = DecodeSpec(
      R"({"cdiVersion":"0.5.0","kind":"a.com/b","devices":[{"name":"x","containerEdits":{"deviceNodes":[{"path":"/d","major":"x"}]}}]})");
  EXPECT_THAT(Message(major.status()), HasSubstr("deviceNodes[0].major: expected an integer"));
  EXPECT_THAT(Message(DecodeSpec("{", "t.json").status()), HasSubstr("t.json: invalid JSON"));
  EXPECT_THAT(Message(DecodeSpec("a: [", "t.yaml").status()), HasSubstr("t.yaml: invalid YAML"));
}

TEST(CdiTest, AtomicWriteReadRemove) {
  dra::driver::testing::FakeSysfs dir;  // a temp directory removed at exit
  const std::string path = TransientSpecPath(dir.root(), "k8s.gpu.nvidia.com", "claim", "uid1");
  ASSERT_TRUE(WriteSpecFile(ClaimSpec(), path).ok());
  absl::StatusOr<Spec> back = ReadSpecFile(path);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, ClaimSpec());
  // Overwrite; no temp files are left behind.
  Spec s2 = ClaimSpec();
  s2.container_edits.env.push_back("B=2");
  ASSERT_TRUE(WriteSpecFile(s2, path).ok());
  EXPECT_EQ(ReadSpecFile(path)->container_edits.env.size(), 2u);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.root())) {
    ++files;
    EXPECT_EQ(e.path().extension(), ".json") << e.path();
  }
  EXPECT_EQ(files, 1);
  // An invalid spec is not written.
  Spec invalid = ClaimSpec();
  invalid.devices.clear();
  EXPECT_FALSE(WriteSpecFile(invalid, path).ok());
  EXPECT_EQ(ReadSpecFile(path)->container_edits.env.size(), 2u);

  ASSERT_TRUE(RemoveSpecFile(path).ok());
  EXPECT_TRUE(RemoveSpecFile(path).ok());
  EXPECT_EQ(ReadSpecFile(path).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(WriteSpecFile(ClaimSpec(), dir.root() + "/missing/x.json").code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace dra::driver::cdi
