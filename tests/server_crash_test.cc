// `dra server` killed with SIGKILL while clients write keeps every write it acknowledged: after a
// restart on the same data directory each object whose create returned 201 is there, with the
// resourceVersion it was acknowledged with, and new writes get larger resourceVersions.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/e2e_util.h"

namespace dra {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

using e2e::ReadFile;
using e2e::WaitUntil;

// A `dra server --insecure-http` child process on a free port.
class Server {
 public:
  // Starts the server on `data_dir` and waits for its ready line.
  static std::unique_ptr<Server> Start(const fs::path& data_dir, const fs::path& log_dir,
                                       std::string* error) {
    static int starts = 0;
    auto server = std::unique_ptr<Server>(new Server());
    fs::path out = log_dir / ("server" + std::to_string(++starts) + ".out");
    server->err_ = log_dir / ("server" + std::to_string(starts) + ".err");
    std::vector<std::string> argv = {DRA_BINARY,    "server",     "--insecure-http", "--listen",
                                     "127.0.0.1:0", "--data-dir", data_dir.string()};
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
      int null = open("/dev/null", O_RDONLY);
      int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int e = open(server->err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (null < 0 || o < 0 || e < 0) _exit(126);
      dup2(null, STDIN_FILENO);
      dup2(o, STDOUT_FILENO);
      dup2(e, STDERR_FILENO);
      execv(args[0], args.data());
      _exit(127);
    }
    server->pid_ = pid;
    const std::string kReady = "dra server: ready at http://127.0.0.1:";
    Clock::time_point deadline = Clock::now() + std::chrono::seconds(30);
    while (true) {
      std::string text = ReadFile(out);
      if (size_t at = text.find(kReady); at != std::string::npos) {
        server->port_ = std::atoi(text.c_str() + at + kReady.size());
        if (server->port_ > 0) return server;
      }
      if (WaitUntil(pid, Clock::now()).has_value()) {
        server->pid_ = 0;
        *error = "dra server exited:\n" + text + ReadFile(server->err_);
        return nullptr;
      }
      if (Clock::now() > deadline) {
        *error = "dra server not ready in time:\n" + text + ReadFile(server->err_);
        return nullptr;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  ~Server() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      if (!WaitUntil(pid_, Clock::now() + std::chrono::seconds(10)).has_value()) {
        kill(pid_, SIGKILL);
        WaitUntil(pid_, Clock::now() + std::chrono::seconds(10));
      }
    }
  }

  int port() const { return port_; }
  std::string log() const { return ReadFile(err_); }

  // Sends `signal` and waits for the process to end; its exit code (128+signal when killed).
  int Signal(int signal) {
    kill(pid_, signal);
    std::optional<int> code = WaitUntil(pid_, Clock::now() + std::chrono::seconds(20));
    if (!code.has_value()) {
      kill(pid_, SIGKILL);
      code = WaitUntil(pid_, Clock::now() + std::chrono::seconds(10));
    }
    pid_ = 0;
    return code.value_or(-1);
  }

 private:
  Server() = default;

  pid_t pid_ = 0;
  int port_ = 0;
  fs::path err_;
};

constexpr char kDeviceClasses[] = "/apis/resource.k8s.io/v1/deviceclasses";

std::string DeviceClassJson(const std::string& name) {
  return R"({"apiVersion":"resource.k8s.io/v1","kind":"DeviceClass","metadata":{"name":")" + name +
         R"(","labels":{"test":"crash"}},"spec":{"selectors":[{"cel":{"expression":)"
         R"("device.driver == \"gpu.example.com\""}}]}})";
}

int64_t ResourceVersionOf(const Json& object) {
  return std::stoll(object["metadata"]["resourceVersion"].get<std::string>());
}

// Every device class, by name, with its resourceVersion; and the list's resourceVersion.
std::map<std::string, int64_t> ListDeviceClasses(int port, int64_t* list_rv) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30);
  httplib::Result res = client.Get(kDeviceClasses);
  std::map<std::string, int64_t> classes;
  EXPECT_TRUE(res) << httplib::to_string(res.error());
  if (!res) return classes;
  EXPECT_EQ(res->status, 200) << res->body;
  Json list = Json::parse(res->body, nullptr, false);
  EXPECT_FALSE(list.is_discarded()) << res->body;
  if (list.is_discarded()) return classes;
  *list_rv = std::stoll(list["metadata"]["resourceVersion"].get<std::string>());
  for (const Json& item : list["items"]) {
    classes[item["metadata"]["name"].get<std::string>()] = ResourceVersionOf(item);
  }
  return classes;
}

TEST(ServerCrashTest, AcknowledgedWritesSurviveSigkill) {
  std::string pattern = (fs::path(testing::TempDir()) / "server_crash_test.XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path dir = pattern;
  const fs::path data = dir / "data";

  // Every create that returned 201, with the resourceVersion it returned.
  std::map<std::string, int64_t> acknowledged;
  int64_t max_acknowledged_rv = 0;
  constexpr int kRounds = 3;
  constexpr int kWriters = 2;

  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::string error;
    std::unique_ptr<Server> server = Server::Start(data, dir, &error);
    ASSERT_NE(server, nullptr) << error;

    if (round > 0) {
      // After the restart: everything acknowledged before the kill is there, unchanged.
      int64_t list_rv = 0;
      std::map<std::string, int64_t> stored = ListDeviceClasses(server->port(), &list_rv);
      size_t missing = 0;
      for (const auto& [name, rv] : acknowledged) {
        auto it = stored.find(name);
        if (it == stored.end()) {
          if (++missing <= 10)
            ADD_FAILURE() << "acknowledged " << name << " (rv " << rv
                          << ") is gone after the restart";
          continue;
        }
        EXPECT_EQ(it->second, rv) << name;
      }
      EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged";
      EXPECT_GE(list_rv, max_acknowledged_rv);

      // New writes continue the sequence of resourceVersions.
      httplib::Client client("127.0.0.1", server->port());
      client.set_read_timeout(30);
      std::string name = "after-restart-" + std::to_string(round);
      httplib::Result res = client.Post(kDeviceClasses, DeviceClassJson(name), "application/json");
      ASSERT_TRUE(res) << httplib::to_string(res.error());
      ASSERT_EQ(res->status, 201) << res->body;
      int64_t rv = ResourceVersionOf(Json::parse(res->body));
      EXPECT_GT(rv, max_acknowledged_rv);
      EXPECT_GT(rv, list_rv);
      acknowledged[name] = rv;
      max_acknowledged_rv = std::max(max_acknowledged_rv, rv);
      // And so does an update of an object written before the kill.
      const std::string old_name = acknowledged.lower_bound("c-")->first;
      httplib::Result patched =
          client.Patch(std::string(kDeviceClasses) + "/" + old_name,
                       R"({"metadata":{"labels":{"round":")" + std::to_string(round) + R"("}}})",
                       "application/merge-patch+json");
      ASSERT_TRUE(patched);
      ASSERT_EQ(patched->status, 200) << patched->body;
      rv = ResourceVersionOf(Json::parse(patched->body));
      EXPECT_GT(rv, max_acknowledged_rv);
      acknowledged[old_name] = rv;
      max_acknowledged_rv = rv;
    }

    // Writers create objects as fast as they can until the server dies under them.
    std::mutex mu;
    std::atomic<bool> stop{false};
    std::atomic<int> acked_this_round{0};
    std::vector<std::string> failures;  // unexpected responses (not connection errors)
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        httplib::Client client("127.0.0.1", server->port());
        client.set_connection_timeout(2);
        client.set_read_timeout(10);
        for (int i = 0; !stop.load(); ++i) {
          std::string name =
              "c-" + std::to_string(round) + "-" + std::to_string(w) + "-" + std::to_string(i);
          httplib::Result res =
              client.Post(kDeviceClasses, DeviceClassJson(name), "application/json");
          if (!res) continue;  // the server is gone (or going): not acknowledged
          if (res->status != 201) {
            std::lock_guard<std::mutex> lock(mu);
            failures.push_back(name + ": " + std::to_string(res->status) + " " + res->body);
            continue;
          }
          Json created = Json::parse(res->body, nullptr, false);
          std::lock_guard<std::mutex> lock(mu);
          if (created.is_discarded()) {
            failures.push_back(name + ": 201 with " + res->body);
            continue;
          }
          int64_t rv = ResourceVersionOf(created);
          acknowledged[name] = rv;
          max_acknowledged_rv = std::max(max_acknowledged_rv, rv);
          ++acked_this_round;
        }
      });
    }
    // Write for about a second (at least until some creates were acknowledged), then kill.
    Clock::time_point start = Clock::now();
    while (Clock::now() - start < std::chrono::seconds(1) ||
           (acked_this_round.load() == 0 && Clock::now() - start < std::chrono::seconds(20))) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    int code = server->Signal(SIGKILL);
    stop.store(true);
    for (std::thread& t : writers) t.join();
    EXPECT_EQ(code, 128 + SIGKILL);
    EXPECT_GT(acked_this_round.load(), 0) << server->log();
    EXPECT_THAT(failures, testing::IsEmpty());
    std::cerr << "round " << round << ": " << acked_this_round.load()
              << " creates acknowledged before SIGKILL\n";
  }

  // A last restart checks the last round.
  std::string error;
  std::unique_ptr<Server> server = Server::Start(data, dir, &error);
  ASSERT_NE(server, nullptr) << error;
  int64_t list_rv = 0;
  std::map<std::string, int64_t> stored = ListDeviceClasses(server->port(), &list_rv);
  size_t missing = 0;
  for (const auto& [name, rv] : acknowledged) {
    auto it = stored.find(name);
    if (it == stored.end()) {
      ++missing;
      continue;
    }
    EXPECT_EQ(it->second, rv) << name;
  }
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged";
  EXPECT_GE(list_rv, max_acknowledged_rv);

  // SIGTERM shuts it down cleanly.
  EXPECT_EQ(server->Signal(SIGTERM), 0) << server->log();

  std::error_code ec;
  fs::remove_all(dir, ec);
}

// kube-apiserver ends its watches when it shuts down and notices at once when a watch client
// goes away; `dra server` must not wait for a watch's keepalive interval (15 s) to exit.
TEST(ServerShutdownTest, SigtermWithWatchesExitsPromptly) {
  std::string pattern = (fs::path(testing::TempDir()) / "server_shutdown_test.XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path dir = pattern;
  std::string error;
  std::unique_ptr<Server> server = Server::Start(dir / "data", dir, &error);
  ASSERT_NE(server, nullptr) << error;
  const int port = server->port();

  // Two watches: one the client abandons after its first event, one left open.
  std::atomic<int> events{0};
  std::atomic<bool> open_watch_ended{false};
  auto watch = [&](bool abandon) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60);
    client.Get(std::string(kDeviceClasses) + "?watch=true", [&](const char* data, size_t length) {
      if (std::string(data, length).find("\"ADDED\"") != std::string::npos) {
        ++events;
        if (abandon) return false;  // closes the connection
      }
      return true;
    });
    if (!abandon) open_watch_ended.store(true);
  };
  std::thread abandoned(watch, true);
  std::thread open(watch, false);
  // Create objects until both watches have seen one (they may start after the first create).
  httplib::Client writer("127.0.0.1", port);
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(20);
  for (int i = 0; events.load() < 2 && Clock::now() < deadline; ++i) {
    httplib::Result res =
        writer.Post(kDeviceClasses, DeviceClassJson("w-" + std::to_string(i)), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GE(events.load(), 2);
  abandoned.join();

  Clock::time_point start = Clock::now();
  int code = server->Signal(SIGTERM);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  open.join();
  EXPECT_EQ(code, 0) << server->log();
  EXPECT_TRUE(open_watch_ended.load());
  // TODO(server bug, reported): today the server takes about 15 s (HttpServerOptions
  // watch_keepalive) to exit: HttpServer::Stop waits for watch handlers blocked in
  // EventStream::Next until the keepalive deadline.
  EXPECT_LT(took.count(), 5000) << "dra server took " << took.count()
                                << " ms to exit after SIGTERM with a watch open";

  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace dra
