#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "dra/cli/commands.h"
#include "dra/cli/run_for_test.h"

namespace dra::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kClaim[] = R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: one-gpu
  namespace: default
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.nvidia.com
)";

TEST(CliTest, HelpListsCommands) {
  RunResult r = RunDra({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("validate"));
  EXPECT_THAT(r.out, HasSubstr("convert"));
}

TEST(CliTest, SubcommandHelpDescribesFlags) {
  RunResult r = RunDra({"validate", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("--filename"));
  EXPECT_THAT(r.out, HasSubstr("Exit status"));
  r = RunDra({"convert", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("--to"));
}

TEST(CliTest, NoCommandIsUsageError) {
  RunResult r = RunDra({});
  EXPECT_EQ(r.exit_code, kExitBadInput);
}

TEST(CliTest, ValidateFromStdin) {
  RunResult r = RunDra({"validate", "-f", "-"}, kClaim);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "ResourceClaim \"one-gpu\" valid\n");
}

TEST(CliTest, ValidateReportsFieldErrors) {
  std::string bad = kClaim;
  bad.replace(bad.find("name: gpu"), 9, "name: GPU_0");
  RunResult r = RunDra({"validate", "-f", "-"}, bad);
  EXPECT_EQ(r.exit_code, kExitInvalid);
  EXPECT_THAT(r.out, HasSubstr("ResourceClaim \"default/one-gpu\": spec.devices.requests[0].name: "
                               "Invalid value: \"GPU_0\""));
}

TEST(CliTest, MissingFileIsExit2) {
  RunResult r = RunDra({"validate", "-f", "/nonexistent/file.yaml"});
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_THAT(r.err, HasSubstr("does not exist"));
}

TEST(CliTest, SyntaxErrorIsExit2) {
  RunResult r = RunDra({"validate", "-f", "-"}, "a: [1, 2\nb: 3\n");
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_THAT(r.err, HasSubstr("<stdin>: yaml: line"));
}

TEST(CliTest, ConvertDefaultsAndPrintsJson) {
  RunResult r = RunDra({"convert", "-f", "-", "-o", "json"}, kClaim);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"allocationMode\": \"ExactCount\""));
  EXPECT_THAT(r.out, HasSubstr("\"count\": 1"));
}

TEST(CliTest, ConvertToV1beta1) {
  RunResult r = RunDra({"convert", "-f", "-", "--to", "resource.k8s.io/v1beta1"}, kClaim);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("apiVersion: resource.k8s.io/v1beta1"));
  EXPECT_THAT(r.out, Not(HasSubstr("exactly")));
  // The converted output reads back and validates.
  RunResult back = RunDra({"validate", "-f", "-"}, r.out);
  EXPECT_EQ(back.exit_code, 0) << back.out;
}

TEST(CliTest, UnknownTargetVersionIsUsageError) {
  RunResult r = RunDra({"convert", "-f", "-", "--to", "resource.k8s.io/v2"}, kClaim);
  EXPECT_EQ(r.exit_code, kExitBadInput);
}

TEST(CliTest, ValidateRejectsSelectorsThatDoNotCompile) {
  std::string bad = kClaim;
  bad += R"(        selectors:
        - cel:
            expression: device.driver ==
)";
  RunResult r = RunDra({"validate", "-f", "-"}, bad);
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out;
  EXPECT_THAT(r.out, HasSubstr("spec.devices.requests[0].exactly.selectors[0].cel.expression: "
                               "Invalid value: \"device.driver ==\": compilation failed: ERROR: "
                               "<input>:1:"));
}

TEST(CliTest, ValidateRejectsSelectorsTooCostly) {
  std::string nested = "int('1'.find('[0-9]*')) < 100";
  for (int i = 7; i >= 1; --i) {
    nested = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(z" + std::to_string(i) + ", " + nested + ")";
  }
  std::string bad = kClaim;
  bad += "        selectors:\n        - cel:\n            expression: \"" + nested + "\"\n";
  RunResult r = RunDra({"validate", "-f", "-"}, bad);
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out;
  EXPECT_THAT(r.out, HasSubstr("spec.devices.requests[0].exactly.selectors[0].cel.expression: "
                               "Forbidden: too complex, exceeds cost limit"));
}

TEST(CliTest, CelEvalCasesAsJsonLines) {
  RunResult r =
      RunDra({"cel", "eval", "--cases",
              std::string(DRA_SHARED_DIR) + "/conformance/cel/k8s-libraries.yaml", "-o", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("{\"name\": \"dra/true\", \"value\": true}\n"));
  EXPECT_THAT(r.out, HasSubstr("{\"name\": \"dra/type-error\", \"error\": \"must evaluate to "
                               "bool or the unknown type, not int\", \"kind\": \"compile\"}\n"));
  EXPECT_THAT(r.out, HasSubstr("\"kind\": \"eval\"}"));
  EXPECT_THAT(r.out, HasSubstr("{\"quantity\": "));
  EXPECT_GT(std::count(r.out.begin(), r.out.end(), '\n'), 200);
}

TEST(CliTest, CelEvalPrintsValues) {
  RunResult r = RunDra({"cel", "eval", "1 + 2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "3\n");
  r = RunDra({"cel", "eval", "quantity('1Gi').isGreaterThan(quantity('1Mi'))"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "true\n");
  r = RunDra({"cel", "eval", "1 +"});
  EXPECT_EQ(r.exit_code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("compile error: ERROR: <input>:1:4: Syntax error"));
}

TEST(CliTest, CelEvalSelectorOnDevice) {
  std::string device = std::string(testing::TempDir()) + "/device.yaml";
  {
    std::ofstream f(device);
    f << "driver: gpu.nvidia.com\n"
         "attributes:\n"
         "  productName: {string: NVIDIA H100}\n"
         "  driverVersion: {version: 550.54.15}\n"
         "capacity:\n"
         "  memory: 80Gi\n";
  }
  RunResult r =
      RunDra({"cel", "eval", "--selector", "--device", device,
              "device.attributes['gpu.nvidia.com'].productName.startsWith('NVIDIA') && "
              "device.capacity['gpu.nvidia.com'].memory.compareTo(quantity('40Gi')) > 0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "true\n");
  r = RunDra({"cel", "eval", "--selector", "--device", device, "device.driver"});
  EXPECT_EQ(r.exit_code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("must evaluate to bool or the unknown type, not string"));
  // Attributes are dynamically typed: a non-bool one fails only when evaluated.
  r = RunDra({"cel", "eval", "--selector", "--device", device,
              "device.attributes['gpu.nvidia.com'].productName"});
  EXPECT_EQ(r.exit_code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("CEL result of type string could not be converted to bool"));
  r = RunDra({"cel", "eval", "--selector", "--device", device,
              "device.attributes['gpu.nvidia.com'].migProfile == '1g.10gb'"});
  EXPECT_EQ(r.exit_code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("no such key: migProfile"));
}

}  // namespace
}  // namespace dra::cli
