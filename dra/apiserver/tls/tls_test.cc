#include "dra/apiserver/tls/tls.h"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "dra/apiserver/tls/openssl_util.h"
#include "dra/base/strings.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::apiserver {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using tls_internal::X509Ptr;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::path(::testing::TempDir()) / "dra-tls-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const fs::path& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

mode_t Mode(const fs::path& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

X509Ptr Cert(std::string_view pem) {
  auto cert = tls_internal::ParseCertificatePem(pem);
  EXPECT_TRUE(cert.ok()) << cert.status();
  return cert.ok() ? *std::move(cert) : nullptr;
}

// X509_verify_cert of `leaf` against `ca` alone, for `purpose`, at `now`.
int Verify(std::string_view leaf_pem, std::string_view ca_pem, int purpose,
           absl::Time now = absl::Now()) {
  X509Ptr leaf = Cert(leaf_pem);
  X509Ptr ca = Cert(ca_pem);
  tls_internal::X509StorePtr store(X509_STORE_new());
  tls_internal::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_add_cert(store.get(), ca.get());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
  X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  X509_STORE_CTX_set_time(ctx.get(), 0, absl::ToTimeT(now));
  if (X509_verify_cert(ctx.get()) == 1) return X509_V_OK;
  return X509_STORE_CTX_get_error(ctx.get());
}

std::string SubjectEntry(X509* cert, int nid) {
  char buf[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), nid, buf, sizeof(buf));
  return buf;
}

// Days from `now` to the certificate's notAfter, rounded down.
int DaysLeft(X509* cert, absl::Time now) {
  ASN1_TIME* t = ASN1_TIME_new();
  ASN1_TIME_set(t, absl::ToTimeT(now));
  int days = 0, secs = 0;
  ASN1_TIME_diff(&days, &secs, t, X509_get0_notAfter(cert));
  ASN1_TIME_free(t);
  return days;
}

std::string Base64Decode(const std::string& in) {
  std::string out(in.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return "<invalid>";
  size_t padding = 0;
  for (size_t i = in.size(); i > 0 && in[i - 1] == '='; --i) ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

const std::vector<std::string> kFiles = {"ca.crt",    "ca.key",    "serving.crt", "serving.key",
                                         "admin.crt", "admin.key", "token"};

// ---- LoadOrCreateCredentials ------------------------------------------------------------------

TEST(CredentialsTest, CreatesThenReloadsTheSameCredentials) {
  TempDir tmp;
  fs::path dir = tmp.path() / "data" / "pki";
  auto created = LoadOrCreateCredentials(dir, {});
  ASSERT_TRUE(created.ok()) << created.status();
  for (const std::string& file : kFiles) EXPECT_TRUE(fs::exists(dir / file)) << file;
  EXPECT_EQ(ReadFile(dir / "ca.crt"), created->ca_cert_pem);
  EXPECT_EQ(ReadFile(dir / "token"), created->admin_token + "\n");
  EXPECT_THAT(created->ca_key_pem, HasSubstr("-----BEGIN PRIVATE KEY-----"));
  EXPECT_THAT(created->admin_token, SizeIs(43));
  EXPECT_EQ(created->admin_token.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);

  auto reloaded = LoadOrCreateCredentials(dir, {});
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->ca_cert_pem, created->ca_cert_pem);
  EXPECT_EQ(reloaded->ca_key_pem, created->ca_key_pem);
  EXPECT_EQ(reloaded->serving_cert_pem, created->serving_cert_pem);
  EXPECT_EQ(reloaded->serving_key_pem, created->serving_key_pem);
  EXPECT_EQ(reloaded->admin_cert_pem, created->admin_cert_pem);
  EXPECT_EQ(reloaded->admin_key_pem, created->admin_key_pem);
  EXPECT_EQ(reloaded->admin_token, created->admin_token);

  TempDir other;
  auto different = LoadOrCreateCredentials(other.path(), {});
  ASSERT_TRUE(different.ok()) << different.status();
  EXPECT_NE(different->ca_cert_pem, created->ca_cert_pem);
  EXPECT_NE(different->admin_token, created->admin_token);
}

TEST(CredentialsTest, FileModes) {
  TempDir tmp;
  fs::path dir = tmp.path() / "pki";
  ASSERT_TRUE(LoadOrCreateCredentials(dir, {}).ok());
  EXPECT_EQ(Mode(dir), 0700);
  for (const char* secret : {"ca.key", "serving.key", "admin.key", "token"}) {
    EXPECT_EQ(Mode(dir / secret), 0600) << secret;
  }
  for (const char* cert : {"ca.crt", "serving.crt", "admin.crt"}) {
    EXPECT_EQ(Mode(dir / cert), 0644) << cert;
  }
  // No temporary files are left behind.
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    ++entries;
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
  }
  EXPECT_EQ(entries, static_cast<int>(kFiles.size()));
}

TEST(CredentialsTest, CertificateContents) {
  TempDir tmp;
  absl::Time now = absl::Now();
  auto creds = LoadOrCreateCredentials(tmp.path(), {}, now);
  ASSERT_TRUE(creds.ok()) << creds.status();

  X509Ptr ca = Cert(creds->ca_cert_pem);
  EXPECT_EQ(SubjectEntry(ca.get(), NID_commonName), "dra-ca");
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_check_issued(ca.get(), ca.get()), X509_V_OK);
  EXPECT_NEAR(DaysLeft(ca.get(), now), 3650, 2);
  EXPECT_EQ(EVP_PKEY_get_base_id(X509_get0_pubkey(ca.get())), EVP_PKEY_EC);
  char curve[64] = {};
  EVP_PKEY_get_utf8_string_param(X509_get0_pubkey(ca.get()), "group", curve, sizeof(curve),
                                 nullptr);
  EXPECT_STREQ(curve, "prime256v1");

  X509Ptr serving = Cert(creds->serving_cert_pem);
  EXPECT_EQ(X509_check_ca(serving.get()), 0);
  EXPECT_NEAR(DaysLeft(serving.get(), now), 365, 1);
  EXPECT_NE(X509_get_extended_key_usage(serving.get()) & XKU_SSL_SERVER, 0u);
  EXPECT_EQ(X509_get_extended_key_usage(serving.get()) & XKU_SSL_CLIENT, 0u);

  X509Ptr admin = Cert(creds->admin_cert_pem);
  EXPECT_EQ(SubjectEntry(admin.get(), NID_commonName), "dra-admin");
  EXPECT_EQ(SubjectEntry(admin.get(), NID_organizationName), "system:masters");
  EXPECT_NE(X509_get_extended_key_usage(admin.get()) & XKU_SSL_CLIENT, 0u);
  EXPECT_EQ(X509_get_extended_key_usage(admin.get()) & XKU_SSL_SERVER, 0u);
}

TEST(CredentialsTest, ChainVerifiesAgainstTheCa) {
  TempDir tmp;
  auto creds = LoadOrCreateCredentials(tmp.path(), {});
  ASSERT_TRUE(creds.ok()) << creds.status();
  EXPECT_EQ(Verify(creds->serving_cert_pem, creds->ca_cert_pem, X509_PURPOSE_SSL_SERVER),
            X509_V_OK);
  EXPECT_EQ(Verify(creds->admin_cert_pem, creds->ca_cert_pem, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
  // Each leaf is good for its own purpose only.
  EXPECT_NE(Verify(creds->serving_cert_pem, creds->ca_cert_pem, X509_PURPOSE_SSL_CLIENT),
            X509_V_OK);
  EXPECT_NE(Verify(creds->admin_cert_pem, creds->ca_cert_pem, X509_PURPOSE_SSL_SERVER), X509_V_OK);

  TempDir other;
  auto foreign = LoadOrCreateCredentials(other.path(), {});
  ASSERT_TRUE(foreign.ok()) << foreign.status();
  EXPECT_NE(Verify(creds->serving_cert_pem, foreign->ca_cert_pem, X509_PURPOSE_SSL_SERVER),
            X509_V_OK);
}

TEST(CredentialsTest, ServingCertificateCoversHosts) {
  TempDir tmp;
  auto creds = LoadOrCreateCredentials(
      tmp.path(), {"10.1.2.3", "[fd00::1]", "Node-1.Example.COM", "dra.local."});
  ASSERT_TRUE(creds.ok()) << creds.status();
  X509Ptr serving = Cert(creds->serving_cert_pem);
  for (const char* ip : {"127.0.0.1", "::1", "10.1.2.3", "fd00::1"}) {
    EXPECT_EQ(X509_check_ip_asc(serving.get(), ip, 0), 1) << ip;
  }
  EXPECT_NE(X509_check_ip_asc(serving.get(), "10.1.2.4", 0), 1);
  for (std::string dns : {"localhost", "node-1.example.com", "dra.local"}) {
    EXPECT_EQ(X509_check_host(serving.get(), dns.data(), dns.size(), 0, nullptr), 1) << dns;
  }
  std::string other = "example.com";
  EXPECT_NE(X509_check_host(serving.get(), other.data(), other.size(), 0, nullptr), 1);
  // IP literals are IP SANs, never DNS SANs.
  std::string ip_as_dns = "10.1.2.3";
  EXPECT_NE(X509_check_host(serving.get(), ip_as_dns.data(), ip_as_dns.size(),
                            X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, nullptr),
            1);
}

TEST(CredentialsTest, ReissuesServingCertificateForNewHosts) {
  TempDir tmp;
  auto first = LoadOrCreateCredentials(tmp.path(), {"node-1"});
  ASSERT_TRUE(first.ok()) << first.status();

  // A subset of the covered hosts keeps the certificate.
  auto same = LoadOrCreateCredentials(tmp.path(), {"NODE-1", "localhost", "127.0.0.1"});
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->serving_cert_pem, first->serving_cert_pem);

  auto second = LoadOrCreateCredentials(tmp.path(), {"node-1", "192.168.0.10"});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE(second->serving_cert_pem, first->serving_cert_pem);
  EXPECT_NE(second->serving_key_pem, first->serving_key_pem);
  EXPECT_EQ(second->ca_cert_pem, first->ca_cert_pem);
  EXPECT_EQ(second->admin_cert_pem, first->admin_cert_pem);
  EXPECT_EQ(second->admin_token, first->admin_token);
  X509Ptr serving = Cert(second->serving_cert_pem);
  EXPECT_EQ(X509_check_ip_asc(serving.get(), "192.168.0.10", 0), 1);
  EXPECT_EQ(ReadFile(tmp.path() / "serving.crt"), second->serving_cert_pem);
  EXPECT_EQ(Verify(second->serving_cert_pem, second->ca_cert_pem, X509_PURPOSE_SSL_SERVER),
            X509_V_OK);
}

TEST(CredentialsTest, ReissuesLeavesExpiringWithin30Days) {
  TempDir tmp;
  absl::Time now = absl::Now();
  auto first = LoadOrCreateCredentials(tmp.path(), {}, now);
  ASSERT_TRUE(first.ok()) << first.status();

  auto at_300_days = LoadOrCreateCredentials(tmp.path(), {}, now + absl::Hours(24 * 300));
  ASSERT_TRUE(at_300_days.ok()) << at_300_days.status();
  EXPECT_EQ(at_300_days->serving_cert_pem, first->serving_cert_pem);
  EXPECT_EQ(at_300_days->admin_cert_pem, first->admin_cert_pem);

  absl::Time later = now + absl::Hours(24 * 340);
  auto at_340_days = LoadOrCreateCredentials(tmp.path(), {}, later);
  ASSERT_TRUE(at_340_days.ok()) << at_340_days.status();
  EXPECT_NE(at_340_days->serving_cert_pem, first->serving_cert_pem);
  EXPECT_NE(at_340_days->admin_cert_pem, first->admin_cert_pem);
  EXPECT_EQ(at_340_days->ca_cert_pem, first->ca_cert_pem);
  EXPECT_EQ(at_340_days->admin_token, first->admin_token);
  EXPECT_NEAR(DaysLeft(Cert(at_340_days->serving_cert_pem).get(), later), 365, 1);
}

TEST(CredentialsTest, LeafNeverOutlivesTheCa) {
  TempDir tmp;
  absl::Time now = absl::Now();
  auto first = LoadOrCreateCredentials(tmp.path(), {}, now);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::Time late = now + absl::Hours(24 * (3650 - 100));
  auto renewed = LoadOrCreateCredentials(tmp.path(), {}, late);
  ASSERT_TRUE(renewed.ok()) << renewed.status();
  EXPECT_NEAR(DaysLeft(Cert(renewed->serving_cert_pem).get(), late), 100, 1);
  EXPECT_EQ(Verify(renewed->serving_cert_pem, renewed->ca_cert_pem, X509_PURPOSE_SSL_SERVER, late),
            X509_V_OK);

  auto expired = LoadOrCreateCredentials(tmp.path(), {}, now + absl::Hours(24 * 3700));
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(expired.status().message(), HasSubstr("ca.crt"));
}

TEST(CredentialsTest, ReissuesLeavesNotSignedByTheCa) {
  TempDir tmp;
  TempDir other;
  auto mine = LoadOrCreateCredentials(tmp.path(), {});
  auto theirs = LoadOrCreateCredentials(other.path(), {});
  ASSERT_TRUE(mine.ok() && theirs.ok());
  for (const char* file : {"serving.crt", "serving.key", "admin.crt", "admin.key"}) {
    fs::copy_file(other.path() / file, tmp.path() / file, fs::copy_options::overwrite_existing);
  }
  auto reloaded = LoadOrCreateCredentials(tmp.path(), {});
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_NE(reloaded->serving_cert_pem, theirs->serving_cert_pem);
  EXPECT_NE(reloaded->admin_cert_pem, theirs->admin_cert_pem);
  EXPECT_EQ(Verify(reloaded->serving_cert_pem, mine->ca_cert_pem, X509_PURPOSE_SSL_SERVER),
            X509_V_OK);
  EXPECT_EQ(Verify(reloaded->admin_cert_pem, mine->ca_cert_pem, X509_PURPOSE_SSL_CLIENT),
            X509_V_OK);
}

TEST(CredentialsTest, ReissuesMissingOrMismatchedLeaves) {
  TempDir tmp;
  auto first = LoadOrCreateCredentials(tmp.path(), {});
  ASSERT_TRUE(first.ok()) << first.status();
  fs::remove(tmp.path() / "serving.key");
  // The admin key of the same CA does not match the admin certificate.
  fs::copy_file(tmp.path() / "ca.key", tmp.path() / "admin.key",
                fs::copy_options::overwrite_existing);
  auto second = LoadOrCreateCredentials(tmp.path(), {});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE(second->serving_cert_pem, first->serving_cert_pem);
  EXPECT_NE(second->admin_cert_pem, first->admin_cert_pem);
  EXPECT_NE(second->admin_key_pem, second->ca_key_pem);
  EXPECT_EQ(Mode(tmp.path() / "serving.key"), 0600);
}

TEST(CredentialsTest, CorruptFilesAreReported) {
  for (const std::string& file : kFiles) {
    SCOPED_TRACE(file);
    TempDir tmp;
    auto first = LoadOrCreateCredentials(tmp.path(), {});
    ASSERT_TRUE(first.ok()) << first.status();
    std::string before = ReadFile(tmp.path() / file);
    WriteFile(tmp.path() / file, file == "token" ? "\n" : "garbage\n");
    auto reloaded = LoadOrCreateCredentials(tmp.path(), {});
    EXPECT_EQ(reloaded.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(reloaded.status().message(), HasSubstr((tmp.path() / file).string()));
    EXPECT_EQ(ReadFile(tmp.path() / file), file == "token" ? "\n" : "garbage\n");
  }
}

TEST(CredentialsTest, TruncatedCertificateIsReported) {
  TempDir tmp;
  auto first = LoadOrCreateCredentials(tmp.path(), {});
  ASSERT_TRUE(first.ok()) << first.status();
  WriteFile(tmp.path() / "ca.crt", first->ca_cert_pem.substr(0, first->ca_cert_pem.size() / 2));
  auto reloaded = LoadOrCreateCredentials(tmp.path(), {});
  EXPECT_EQ(reloaded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(reloaded.status().message(), HasSubstr("ca.crt"));
}

TEST(CredentialsTest, NeverReplacesTheCa) {
  TempDir tmp;
  ASSERT_TRUE(LoadOrCreateCredentials(tmp.path(), {}).ok());
  std::string ca_key = ReadFile(tmp.path() / "ca.key");

  fs::remove(tmp.path() / "ca.key");
  auto missing_key = LoadOrCreateCredentials(tmp.path(), {});
  EXPECT_EQ(missing_key.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing_key.status().message(), HasSubstr("ca.key"));
  EXPECT_FALSE(fs::exists(tmp.path() / "ca.key"));

  // A key that does not belong to the certificate.
  WriteFile(tmp.path() / "ca.key", ReadFile(tmp.path() / "serving.key"));
  auto mismatch = LoadOrCreateCredentials(tmp.path(), {});
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(mismatch.status().message(), HasSubstr("does not match"));

  WriteFile(tmp.path() / "ca.key", ca_key);
  fs::remove(tmp.path() / "ca.crt");
  auto missing_cert = LoadOrCreateCredentials(tmp.path(), {});
  EXPECT_EQ(missing_cert.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing_cert.status().message(), HasSubstr("ca.crt"));
}

TEST(CredentialsTest, InvalidHosts) {
  TempDir tmp;
  for (const char* host : {"", "bad host", "-x.example", "a..b", "under_score"}) {
    auto creds = LoadOrCreateCredentials(tmp.path() / "pki", {host});
    EXPECT_EQ(creds.status().code(), absl::StatusCode::kInvalidArgument) << host;
  }
  EXPECT_FALSE(fs::exists(tmp.path() / "pki"));
}

TEST(CredentialsTest, PathIsNotADirectory) {
  TempDir tmp;
  WriteFile(tmp.path() / "file", "x");
  EXPECT_FALSE(LoadOrCreateCredentials(tmp.path() / "file", {}).ok());
}

// ---- Authenticator ----------------------------------------------------------------------------

TEST(AuthenticatorTest, Tokens) {
  Authenticator auth(std::vector<std::string>{"secret-1", "secret-2"});
  const UserInfo admin{.name = "dra-admin", .groups = {"system:masters", "system:authenticated"}};
  for (const char* header : {"Bearer secret-1", "Bearer secret-2", "bearer secret-1",
                             "BEARER secret-2", "  Bearer secret-1  ", "Bearer secret-1 extra"}) {
    auto user = auth.Authenticate(header, nullptr);
    ASSERT_TRUE(user.ok()) << header << ": " << user.status();
    EXPECT_EQ(*user, admin) << header;
  }
  for (const char* header :
       {"", "Bearer", "Bearer ", "Bearer  secret-1", "Bearer secret-3", "Bearer secret-",
        "Bearer secret-11", "Basic secret-1", "secret-1", "Token secret-1", "Bearersecret-1"}) {
    auto user = auth.Authenticate(header, nullptr);
    EXPECT_EQ(user.status().code(), absl::StatusCode::kUnauthenticated) << header;
    EXPECT_EQ(user.status().message(), "Unauthorized") << header;
  }
}

TEST(AuthenticatorTest, StaticTokensWithUsers) {
  Authenticator auth(std::vector<StaticToken>{
      {.token = "alice-token", .user = {.name = "alice", .groups = {"dev"}}},
      {.token = "bob-token", .user = {.name = "bob"}}});
  auto alice = auth.Authenticate("Bearer alice-token", nullptr);
  ASSERT_TRUE(alice.ok()) << alice.status();
  EXPECT_EQ(alice->name, "alice");
  EXPECT_THAT(alice->groups, ElementsAre("dev", "system:authenticated"));
  auto bob = auth.Authenticate("Bearer bob-token", nullptr);
  ASSERT_TRUE(bob.ok()) << bob.status();
  EXPECT_EQ(bob->name, "bob");
  EXPECT_THAT(bob->groups, ElementsAre("system:authenticated"));
}

TEST(AuthenticatorTest, NoTokens) {
  Authenticator auth(std::vector<std::string>{});
  EXPECT_EQ(auth.Authenticate("Bearer x", nullptr).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(AuthenticatorTest, UnauthorizedBody) {
  EXPECT_EQ(UnauthorizedStatusJson(),
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}\n");
}

// ---- TLS round trip ---------------------------------------------------------------------------

class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto creds = LoadOrCreateCredentials(dir_.path(), {"127.0.0.1"});
    ASSERT_TRUE(creds.ok()) << creds.status();
    creds_ = *std::move(creds);
    auth_ = std::make_unique<Authenticator>(std::vector<std::string>{creds_.admin_token});
    server_ = std::make_unique<httplib::SSLServer>(
        [this](SSL_CTX& ctx) { return ConfigureServerContext(ctx, creds_); });
    ASSERT_TRUE(server_->is_valid());
    server_->Get("/whoami", [this](const httplib::Request& req, httplib::Response& res) {
      auto user = auth_->Authenticate(req.get_header_value("Authorization"), req.ssl);
      if (!user.ok()) {
        res.status = 401;
        res.set_content(UnauthorizedStatusJson(), "application/json");
        return;
      }
      res.set_content(StrCat(user->name, ";", StrJoin(user->groups, ",")), "text/plain");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    for (int i = 0; i < 1000 && !server_->is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(server_->is_running());
  }

  void TearDown() override {
    if (server_ != nullptr) server_->stop();
    if (thread_.joinable()) thread_.join();
  }

  void Trust(httplib::SSLClient& client) {
    client.set_ca_cert_path((dir_.path() / "ca.crt").c_str());
    client.enable_server_certificate_verification(true);
    client.set_connection_timeout(5);
    client.set_read_timeout(5);
  }

  TempDir dir_;
  Credentials creds_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(TlsServerTest, BearerToken) {
  httplib::SSLClient client("127.0.0.1", port_);
  Trust(client);
  client.set_bearer_token_auth(creds_.admin_token.c_str());
  auto res = client.Get("/whoami");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "dra-admin;system:masters,system:authenticated");
}

TEST_F(TlsServerTest, ClientCertificate) {
  httplib::SSLClient client("127.0.0.1", port_, (dir_.path() / "admin.crt").string(),
                            (dir_.path() / "admin.key").string());
  Trust(client);
  auto res = client.Get("/whoami");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "dra-admin;system:masters,system:authenticated");
}

TEST_F(TlsServerTest, NoCredentials) {
  httplib::SSLClient client("127.0.0.1", port_);
  Trust(client);
  auto res = client.Get("/whoami");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(res->body, UnauthorizedStatusJson());
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");

  httplib::SSLClient wrong_token("127.0.0.1", port_);
  Trust(wrong_token);
  wrong_token.set_bearer_token_auth("not-the-token");
  auto wrong = wrong_token.Get("/whoami");
  ASSERT_TRUE(wrong) << httplib::to_string(wrong.error());
  EXPECT_EQ(wrong->status, 401);
}

TEST_F(TlsServerTest, ForeignClientCertificateIsRejected) {
  TempDir other;
  ASSERT_TRUE(LoadOrCreateCredentials(other.path(), {}).ok());
  httplib::SSLClient client("127.0.0.1", port_, (other.path() / "admin.crt").string(),
                            (other.path() / "admin.key").string());
  Trust(client);
  client.set_bearer_token_auth(creds_.admin_token.c_str());
  auto res = client.Get("/whoami");
  EXPECT_FALSE(res) << res->status << " " << res->body;
}

TEST_F(TlsServerTest, ServingCertificateAsClientCertificateIsRejected) {
  httplib::SSLClient client("127.0.0.1", port_, (dir_.path() / "serving.crt").string(),
                            (dir_.path() / "serving.key").string());
  Trust(client);
  auto res = client.Get("/whoami");
  EXPECT_FALSE(res) << res->status << " " << res->body;
}

TEST_F(TlsServerTest, ClientRejectsServerFromAnotherCa) {
  TempDir other;
  ASSERT_TRUE(LoadOrCreateCredentials(other.path(), {}).ok());
  httplib::SSLClient client("127.0.0.1", port_);
  client.set_ca_cert_path((other.path() / "ca.crt").c_str());
  client.enable_server_certificate_verification(true);
  auto res = client.Get("/whoami");
  EXPECT_FALSE(res);
}

TEST(ServerContextTest, RejectsMismatchedKey) {
  TempDir tmp;
  auto creds = LoadOrCreateCredentials(tmp.path(), {});
  ASSERT_TRUE(creds.ok()) << creds.status();
  Credentials bad = *creds;
  bad.serving_key_pem = creds->admin_key_pem;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_server_method()),
                                                        &SSL_CTX_free);
  EXPECT_FALSE(ConfigureServerContext(*ctx, bad));
  bad.serving_cert_pem = "garbage";
  EXPECT_EQ(SetUpServerContext(*ctx, bad).code(), absl::StatusCode::kInvalidArgument);

  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> good(SSL_CTX_new(TLS_server_method()),
                                                         &SSL_CTX_free);
  EXPECT_TRUE(ConfigureServerContext(*good, *creds));
  EXPECT_EQ(SSL_CTX_get_min_proto_version(good.get()), TLS1_2_VERSION);
  EXPECT_EQ(SSL_CTX_get_verify_mode(good.get()), SSL_VERIFY_PEER);
}

// ---- kubeconfig -------------------------------------------------------------------------------

TEST(KubeconfigTest, SecureKubeconfig) {
  TempDir tmp;
  auto creds = LoadOrCreateCredentials(tmp.path() / "pki", {});
  ASSERT_TRUE(creds.ok()) << creds.status();
  fs::path path = tmp.path() / "kubeconfig";
  ASSERT_TRUE(WriteKubeconfig(path, "https://127.0.0.1:6443", &*creds).ok());
  EXPECT_EQ(Mode(path), 0600);

  YAML::Node config = YAML::LoadFile(path.string());
  EXPECT_EQ(config["apiVersion"].as<std::string>(), "v1");
  EXPECT_EQ(config["kind"].as<std::string>(), "Config");
  EXPECT_EQ(config["current-context"].as<std::string>(), "dra");
  ASSERT_EQ(config["clusters"].size(), 1u);
  YAML::Node cluster = config["clusters"][0];
  EXPECT_EQ(cluster["name"].as<std::string>(), "dra");
  EXPECT_EQ(cluster["cluster"]["server"].as<std::string>(), "https://127.0.0.1:6443");
  EXPECT_EQ(Base64Decode(cluster["cluster"]["certificate-authority-data"].as<std::string>()),
            creds->ca_cert_pem);
  EXPECT_FALSE(cluster["cluster"]["insecure-skip-tls-verify"]);
  ASSERT_EQ(config["users"].size(), 1u);
  YAML::Node user = config["users"][0];
  EXPECT_EQ(user["name"].as<std::string>(), "dra-admin");
  EXPECT_EQ(user["user"]["token"].as<std::string>(), creds->admin_token);
  EXPECT_EQ(Base64Decode(user["user"]["client-certificate-data"].as<std::string>()),
            creds->admin_cert_pem);
  EXPECT_EQ(Base64Decode(user["user"]["client-key-data"].as<std::string>()), creds->admin_key_pem);
  ASSERT_EQ(config["contexts"].size(), 1u);
  YAML::Node context = config["contexts"][0];
  EXPECT_EQ(context["name"].as<std::string>(), "dra");
  EXPECT_EQ(context["context"]["cluster"].as<std::string>(), "dra");
  EXPECT_EQ(context["context"]["user"].as<std::string>(), "dra-admin");

  // Rewriting replaces the file and keeps its mode.
  ASSERT_TRUE(WriteKubeconfig(path, "https://[::1]:7443", &*creds).ok());
  config = YAML::LoadFile(path.string());
  EXPECT_EQ(config["clusters"][0]["cluster"]["server"].as<std::string>(), "https://[::1]:7443");
  EXPECT_EQ(Mode(path), 0600);
}

TEST(KubeconfigTest, InsecureKubeconfig) {
  TempDir tmp;
  fs::path path = tmp.path() / "kubeconfig";
  ASSERT_TRUE(WriteKubeconfig(path, "http://127.0.0.1:8080", nullptr).ok());
  EXPECT_EQ(Mode(path), 0600);
  YAML::Node config = YAML::LoadFile(path.string());
  YAML::Node cluster = config["clusters"][0]["cluster"];
  EXPECT_EQ(cluster["server"].as<std::string>(), "http://127.0.0.1:8080");
  EXPECT_FALSE(cluster["certificate-authority-data"]);
  YAML::Node user = config["users"][0]["user"];
  EXPECT_TRUE(user.IsMap());
  EXPECT_EQ(user.size(), 0u);
  EXPECT_EQ(config["current-context"].as<std::string>(), "dra");
}

TEST(KubeconfigTest, SchemeMustMatchMode) {
  TempDir tmp;
  auto creds = LoadOrCreateCredentials(tmp.path() / "pki", {});
  ASSERT_TRUE(creds.ok()) << creds.status();
  fs::path path = tmp.path() / "kubeconfig";
  EXPECT_EQ(WriteKubeconfig(path, "http://127.0.0.1:6443", &*creds).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteKubeconfig(path, "https://127.0.0.1:6443", nullptr).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteKubeconfig(path, "https://", &*creds).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(WriteKubeconfig(tmp.path() / "missing" / "kubeconfig", "http://x", nullptr).ok());
}

TEST(WriteFileAtomicallyTest, ReplacesContentsAndSetsMode) {
  TempDir tmp;
  fs::path path = tmp.path() / "f";
  ASSERT_TRUE(WriteFileAtomically(path, "one", 0644).ok());
  EXPECT_EQ(ReadFile(path), "one");
  EXPECT_EQ(Mode(path), 0644);
  ASSERT_TRUE(WriteFileAtomically(path, std::string(100000, 'x'), 0600).ok());
  EXPECT_EQ(ReadFile(path), std::string(100000, 'x'));
  EXPECT_EQ(Mode(path), 0600);
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);
}

TEST(Base64Test, Encodings) {
  EXPECT_EQ(tls_internal::Base64Encode(""), "");
  EXPECT_EQ(tls_internal::Base64Encode("f"), "Zg==");
  EXPECT_EQ(tls_internal::Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(tls_internal::Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(tls_internal::Base64Encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(tls_internal::Base64UrlEncode("\xfb\xff"), "-_8");
}

}  // namespace
}  // namespace dra::apiserver
