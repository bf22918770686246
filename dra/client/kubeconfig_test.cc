#include "dra/client/kubeconfig.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "absl/strings/escaping.h"
#include "dra/base/strings.h"
#include "dra/client/internal/test_server.h"

namespace dra::client {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr char kCa[] = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
constexpr char kCert[] = "-----BEGIN CERTIFICATE-----\nCERT\n-----END CERTIFICATE-----\n";
constexpr char kKey[] = "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n";

void WriteFile(const fs::path& path, std::string_view contents) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << contents;
}

std::string B64(std::string_view s) { return absl::Base64Escape(std::string(s)); }

// Sets an environment variable for the scope, restoring the old value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = getenv(name); old != nullptr) old_ = old;
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_.has_value()) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class KubeconfigTest : public ::testing::Test {
 protected:
  // Writes `text` as <dir>/kube/config and returns its path.
  std::string Write(std::string_view text) {
    fs::path path = dir_.path() / "kube" / "config";
    WriteFile(path, text);
    return path.string();
  }

  testing::TempDir dir_;
};

TEST_F(KubeconfigTest, DataFormsAndCurrentContext) {
  std::string path = Write(dra::StrCat(R"(apiVersion: v1
kind: Config
current-context: main
clusters:
- name: c1
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: )",
                                       B64(kCa), R"(
    tls-server-name: api.example
users:
- name: u1
  user:
    token: abc
    client-certificate-data: )",
                                       B64(kCert), R"(
    client-key-data: )",
                                       B64(kKey), R"(
contexts:
- name: other
  context: {cluster: c1}
- name: main
  context:
    cluster: c1
    user: u1
    namespace: team
)"));
  absl::StatusOr<ClusterConfig> c = LoadKubeconfig(path);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "https://10.0.0.1:6443");
  EXPECT_EQ(c->ca_pem, kCa);
  EXPECT_EQ(c->token, "abc");
  EXPECT_EQ(c->client_cert_pem, kCert);
  EXPECT_EQ(c->client_key_pem, kKey);
  EXPECT_EQ(c->tls_server_name, "api.example");
  EXPECT_EQ(c->default_namespace, "team");
  EXPECT_FALSE(c->insecure_skip_tls_verify);

  // Another context by name: no user, no namespace.
  c = LoadKubeconfig(path, "other");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->token, "");
  EXPECT_EQ(c->default_namespace, "");

  c = LoadKubeconfig(path, "foo");
  EXPECT_TRUE(absl::IsInvalidArgument(c.status()));
  EXPECT_EQ(c.status().message(), dra::StrCat("kubeconfig ", path, ": context \"foo\" not found"));
}

TEST_F(KubeconfigTest, FilesRelativeToTheKubeconfig) {
  fs::path kube = dir_.path() / "kube";
  WriteFile(kube / "certs" / "ca.crt", kCa);
  WriteFile(kube / "certs" / "client.crt", kCert);
  WriteFile(dir_.path() / "client.key", kKey);  // absolute path below
  WriteFile(kube / "token", "from-file\n");
  std::string path = Write(dra::StrCat(R"(
current-context: c
clusters:
- name: c
  cluster:
    server: https://h:1
    certificate-authority: certs/ca.crt
    insecure-skip-tls-verify: true
users:
- name: u
  user:
    tokenFile: token
    client-certificate: certs/client.crt
    client-key: )",
                                       (dir_.path() / "client.key").string(), R"(
contexts:
- name: c
  context: {cluster: c, user: u}
)"));
  absl::StatusOr<ClusterConfig> c = LoadKubeconfig(path);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->ca_pem, kCa);
  EXPECT_EQ(c->client_cert_pem, kCert);
  EXPECT_EQ(c->client_key_pem, kKey);
  EXPECT_EQ(c->token, "from-file");
  EXPECT_TRUE(c->insecure_skip_tls_verify);
}

TEST_F(KubeconfigTest, TokenWinsOverTokenFileAndDataOverFile) {
  std::string path = Write(dra::StrCat(R"(
current-context: c
clusters:
- name: c
  cluster:
    server: http://h
    certificate-authority: does-not-exist
    certificate-authority-data: )",
                                       B64(kCa), R"(
users:
- name: u
  user: {token: direct, tokenFile: does-not-exist}
contexts:
- name: c
  context: {cluster: c, user: u}
)"));
  absl::StatusOr<ClusterConfig> c = LoadKubeconfig(path);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->token, "direct");
  EXPECT_EQ(c->ca_pem, kCa);
}

TEST_F(KubeconfigTest, ErrorsNameTheFileAndTheEntry) {
  struct Case {
    std::string yaml;
    std::string message;  // after "kubeconfig <path>: "
    absl::StatusCode code = absl::StatusCode::kInvalidArgument;
  };
  const std::string contexts = "contexts:\n- name: c\n  context: {cluster: c, user: u}\n";
  const std::string cluster = "clusters:\n- name: c\n  cluster: {server: 'https://h'}\n";
  std::vector<Case> cases = {
      {"clusters: []\n", "no context given and current-context is not set"},
      {"current-context: c\n" + cluster, "context \"c\" not found"},
      {"current-context: c\n" + contexts, "cluster \"c\" not found"},
      {"current-context: c\n" + contexts + cluster, "user \"u\" not found"},
      {"current-context: c\n" + contexts + "clusters:\n- name: c\n  cluster: {}\n" +
           "users:\n- name: u\n  user: {}\n",
       "cluster \"c\": server is not set"},
      {"current-context: c\n" + contexts + cluster +
           "users:\n- name: u\n  user: {client-certificate-data: '!!!'}\n",
       "user \"u\".client-certificate-data: invalid base64"},
      {"current-context: c\n" + contexts + cluster +
           "users:\n- name: u\n  user: " + "{client-certificate-data: " + B64("hello") + "}\n",
       "user \"u\".client-certificate-data: not PEM data"},
      {"current-context: c\n" + contexts + cluster +
           "users:\n- name: u\n  user: " + "{client-certificate-data: " + B64(kCert) + "}\n",
       "user \"u\": client-certificate is set without client-key"},
      {"current-context: c\n" + contexts + cluster +
           "users:\n- name: u\n  user: {tokenFile: missing-token}\n",
       "user \"u\".tokenFile: open " + (dir_.path() / "kube" / "missing-token").string() +
           ": No such file or directory"},
      {"current-context: c\n" + contexts +
           "clusters:\n- name: c\n  cluster: {server: 'https://h', certificate-authority: "
           "x.crt}\n" +
           "users:\n- name: u\n  user: {}\n",
       "cluster \"c\".certificate-authority: open " + (dir_.path() / "kube" / "x.crt").string() +
           ": No such file or directory"},
      {"current-context: c\n" + contexts +
           "clusters:\n- name: c\n  cluster: {server: 'https://h', insecure-skip-tls-verify: "
           "maybe}\n" +
           "users:\n- name: u\n  user: {}\n",
       "cluster \"c\".insecure-skip-tls-verify: invalid boolean \"maybe\""},
      {"current-context: c\n" + contexts + cluster +
           "users:\n- name: u\n  user: {exec: {command: aws}}\n",
       "user \"u\": exec credential plugins are not supported; use a token or a client "
       "certificate",
       absl::StatusCode::kUnimplemented},
      {"current-context: [unclosed\n", "invalid YAML: "},
      {"- a list\n", "not a YAML mapping"},
  };
  for (const Case& c : cases) {
    std::string path = Write(c.yaml);
    absl::StatusOr<ClusterConfig> loaded = LoadKubeconfig(path);
    ASSERT_FALSE(loaded.ok()) << c.yaml;
    EXPECT_EQ(loaded.status().code(), c.code) << loaded.status();
    EXPECT_THAT(std::string(loaded.status().message()),
                ::testing::StartsWith(dra::StrCat("kubeconfig ", path, ": ", c.message)))
        << c.yaml;
  }
}

TEST_F(KubeconfigTest, MissingFile) {
  std::string path = (dir_.path() / "nope").string();
  absl::StatusOr<ClusterConfig> c = LoadKubeconfig(path);
  EXPECT_TRUE(absl::IsNotFound(c.status())) << c.status();
  EXPECT_EQ(c.status().message(),
            dra::StrCat("kubeconfig ", path, ": open ", path, ": No such file or directory"));
}

TEST_F(KubeconfigTest, WrittenByTheServer) {
  testing::TestServer server(testing::ServerOptions{.tls = true});
  ASSERT_TRUE(server.status().ok()) << server.status();
  const ClusterConfig& c = server.config();
  EXPECT_EQ(c.server, server.server()->url());
  EXPECT_THAT(c.ca_pem, HasSubstr("BEGIN CERTIFICATE"));
  EXPECT_THAT(c.client_key_pem, HasSubstr("PRIVATE KEY"));
  EXPECT_EQ(c.token.size(), 43u);
}

TEST(DefaultKubeconfigPathTest, EnvironmentThenHome) {
  ScopedEnv home("HOME", "/home/me");
  {
    ScopedEnv k("KUBECONFIG", "/a/config:/b/config");
    EXPECT_EQ(DefaultKubeconfigPath(), "/a/config");
  }
  {
    ScopedEnv k("KUBECONFIG", "::/b/config");
    EXPECT_EQ(DefaultKubeconfigPath(), "/b/config");
  }
  {
    ScopedEnv k("KUBECONFIG", nullptr);
    EXPECT_EQ(DefaultKubeconfigPath(), "/home/me/.kube/config");
  }
}

TEST(InClusterConfigTest, ServiceAccountFiles) {
  testing::TempDir dir;
  {
    ScopedEnv host("KUBERNETES_SERVICE_HOST", nullptr);
    ScopedEnv port("KUBERNETES_SERVICE_PORT", nullptr);
    EXPECT_TRUE(absl::IsFailedPrecondition(InClusterConfig(dir.path().string()).status()));
  }
  ScopedEnv host("KUBERNETES_SERVICE_HOST", "fd00::1");
  ScopedEnv port("KUBERNETES_SERVICE_PORT", "443");
  EXPECT_TRUE(absl::IsNotFound(InClusterConfig(dir.path().string()).status()));
  WriteFile(dir.path() / "token", "sa-token\n");
  WriteFile(dir.path() / "ca.crt", kCa);
  WriteFile(dir.path() / "namespace", "kube-system");
  absl::StatusOr<ClusterConfig> c = InClusterConfig(dir.path().string());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->server, "https://[fd00::1]:443");
  EXPECT_EQ(c->token, "sa-token");
  EXPECT_EQ(c->ca_pem, kCa);
  EXPECT_EQ(c->default_namespace, "kube-system");
}

}  // namespace
}  // namespace dra::client
