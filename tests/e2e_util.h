// Helpers of the end-to-end tests (tests/*_test.cc): child processes (`dra server`, kubectl,
// background watchers), polling, and parsing what kubectl prints.
//
// For tests only. ServerProcess runs DRA_BINARY, which the test target defines. Functions are
// thread-safe unless they say otherwise.
#ifndef DRA_TESTS_E2E_UTIL_H_
#define DRA_TESTS_E2E_UTIL_H_

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "nlohmann/json.hpp"

namespace dra::e2e {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Processes.

inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// The full path of `name` on PATH, or "".
inline std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / name;
    if (access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate)) {
      return candidate.string();
    }
  }
  return "";
}

// Starts argv with stdin, stdout and stderr redirected to files ("" for /dev/null).
inline pid_t Spawn(const std::vector<std::string>& argv, const fs::path& in, const fs::path& out,
                   const fs::path& err) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid != 0) return pid;
  // Child: only async-signal-safe calls from here on.
  auto redirect = [](const fs::path& path, int fd, int flags) {
    int f = open(path.empty() ? "/dev/null" : path.c_str(), flags, 0600);
    if (f < 0) _exit(126);
    dup2(f, fd);
    close(f);
  };
  redirect(in, STDIN_FILENO, O_RDONLY);
  redirect(out, STDOUT_FILENO, O_WRONLY | O_CREAT | O_TRUNC);
  redirect(err, STDERR_FILENO, O_WRONLY | O_CREAT | O_TRUNC);
  setpgid(0, 0);  // So that the test can end the process and anything it starts.
  execv(args[0], args.data());
  _exit(127);
}

// Waits for `pid` until `deadline`; the exit code (128+signal when killed), or nullopt.
inline std::optional<int> WaitUntil(pid_t pid, Clock::time_point deadline) {
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (r < 0) return -1;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// SIGTERM, then SIGKILL after `grace`; reaps the process.
inline void Terminate(pid_t pid, std::chrono::milliseconds grace = std::chrono::seconds(10)) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  if (!WaitUntil(pid, Clock::now() + grace).has_value()) {
    kill(pid, SIGKILL);
    WaitUntil(pid, Clock::now() + std::chrono::seconds(10));
  }
}

// Polls `condition` every 50 ms until it holds or `timeout` passes.
inline bool PollUntil(const std::function<bool()>& condition,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Runs fn(0), ..., fn(n-1) on a few threads: kubectl calls mostly wait for the network.
inline void ParallelFor(size_t n, const std::function<void(size_t)>& fn, size_t threads = 4) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (size_t t = 0; t < std::min(n, threads); ++t) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) fn(i);
    });
  }
  for (std::thread& worker : workers) worker.join();
}

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string all() const { return out + err; }
};

inline std::ostream& operator<<(std::ostream& os, const CommandResult& r) {
  return os << "exit " << r.exit_code << "\n--- stdout\n" << r.out << "--- stderr\n" << r.err;
}

// Runs argv to completion (killed after `timeout`) in `scratch`.
inline CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input,
                                const fs::path& scratch,
                                std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  static std::atomic<int> counter{0};
  std::string base = "cmd" + std::to_string(++counter);
  fs::path in = scratch / (base + ".in"), out = scratch / (base + ".out"),
           err = scratch / (base + ".err");
  WriteFile(in, input);
  CommandResult result;
  pid_t pid = Spawn(argv, in, out, err);
  std::optional<int> code = WaitUntil(pid, Clock::now() + timeout);
  if (!code.has_value()) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    WaitUntil(pid, Clock::now() + std::chrono::seconds(10));
    result.err = "(killed after the timeout)\n";
  }
  result.exit_code = code.value_or(-1);
  result.out = ReadFile(out);
  result.err = ReadFile(err) + result.err;
  fs::remove(in);
  fs::remove(out);
  fs::remove(err);
  return result;
}

// A `dra server` child process.
class ServerProcess {
 public:
  // Starts `dra server <args>` and waits for its ready line; nullptr (and `error`) on failure.
  static std::unique_ptr<ServerProcess> Start(const std::vector<std::string>& args,
                                              const fs::path& scratch, std::string* error) {
    auto server = std::unique_ptr<ServerProcess>(new ServerProcess());
    std::vector<std::string> argv = {DRA_BINARY, "server"};
    argv.insert(argv.end(), args.begin(), args.end());
    fs::path out = scratch / "server.out";
    server->err_ = scratch / "server.err";
    server->pid_ = Spawn(argv, "", out, server->err_);
    const std::string kReady = "dra server: ready at ";
    bool exited = false;
    PollUntil(
        [&] {
          std::string text = ReadFile(out);
          size_t at = text.find(kReady);
          size_t end = at == std::string::npos ? at : text.find('\n', at);
          if (end == std::string::npos) {
            exited = WaitUntil(server->pid_, Clock::now()).has_value();
            return exited;
          }
          // "dra server: ready at URL (data DIR); kubeconfig: PATH  (export ...)"
          std::string line = text.substr(at + kReady.size(), end - at - kReady.size());
          server->url_ = line.substr(0, line.find(' '));
          const std::string kKubeconfig = "; kubeconfig: ";
          if (size_t k = line.find(kKubeconfig); k != std::string::npos) {
            std::string rest = line.substr(k + kKubeconfig.size());
            server->kubeconfig_ = rest.substr(0, rest.find(' '));
          }
          return true;
        },
        std::chrono::seconds(30));
    if (exited) server->pid_ = 0;
    if (exited || server->url_.empty() || server->kubeconfig_.empty()) {
      *error = "dra server did not become ready:\n" + ReadFile(out) + ReadFile(server->err_);
      return nullptr;
    }
    return server;
  }

  ~ServerProcess() { Terminate(pid_); }

  const std::string& url() const { return url_; }
  const std::string& kubeconfig() const { return kubeconfig_; }
  int port() const { return std::stoi(url_.substr(url_.rfind(':') + 1)); }
  std::string stderr_text() const { return ReadFile(err_); }

 private:
  ServerProcess() = default;

  pid_t pid_ = 0;
  std::string url_;
  std::string kubeconfig_;
  fs::path err_;
};

// A process left running in the background (kubectl get --watch), its output in a file.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const fs::path& out) : out_(out) {
    pid_ = Spawn(argv, "", out, fs::path(out.string() + ".err"));
  }
  ~BackgroundProcess() { Stop(); }

  std::string output() const { return ReadFile(out_) + ReadFile(out_.string() + ".err"); }
  // Whether the output came to contain `text` within the timeout.
  bool WaitForOutput(const std::string& text,
                     std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    return PollUntil([&] { return output().find(text) != std::string::npos; }, timeout);
  }
  void Stop() {
    if (pid_ > 0) {
      kill(-pid_, SIGTERM);
      Terminate(pid_, std::chrono::seconds(5));
      pid_ = 0;
    }
  }

 private:
  pid_t pid_ = 0;
  fs::path out_;
};

// ---------------------------------------------------------------------------------------------
// Output helpers.

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream s(text);
  std::string line;
  while (std::getline(s, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// The column names of a table printed by kubectl: its first line split at runs of two or more
// spaces (column names such as "NOMINATED NODE" contain single spaces).
inline std::vector<std::string> Header(const std::string& table) {
  std::vector<std::string> lines = Lines(table);
  std::vector<std::string> columns;
  if (lines.empty()) return columns;
  const std::string& header = lines[0];
  size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && header[i] == ' ') ++i;
    if (i >= header.size()) break;
    size_t end = header.find("  ", i);
    if (end == std::string::npos) end = header.size();
    std::string column = header.substr(i, end - i);
    while (!column.empty() && column.back() == ' ') column.pop_back();
    columns.push_back(column);
    i = end;
  }
  return columns;
}

// The first cell of each row after the header.
inline std::vector<std::string> FirstColumn(const std::string& table) {
  std::vector<std::string> names;
  std::vector<std::string> lines = Lines(table);
  for (size_t i = 1; i < lines.size(); ++i) names.push_back(lines[i].substr(0, lines[i].find(' ')));
  return names;
}

// The row of a table whose first cell is `name`, split into cells at runs of two spaces.
inline std::vector<std::string> Row(const std::string& table, const std::string& name) {
  for (const std::string& line : Lines(table)) {
    if (line.substr(0, line.find(' ')) != name) continue;
    std::vector<std::string> cells;
    size_t i = 0;
    while (i < line.size()) {
      size_t end = line.find("  ", i);
      if (end == std::string::npos) end = line.size();
      std::string cell = line.substr(i, end - i);
      while (!cell.empty() && cell.back() == ' ') cell.pop_back();
      cells.push_back(cell);
      i = end;
      while (i < line.size() && line[i] == ' ') ++i;
    }
    return cells;
  }
  return {};
}

inline Json ParseJson(const std::string& text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(json.is_discarded()) << "not JSON:\n" << text;
  return json;
}

inline fs::path MakeTempDir(const std::string& prefix) {
  std::string pattern = (fs::path(testing::TempDir()) / (prefix + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

// kubectl against one cluster: command lines, runs, apply and JSON gets. Thread-safe.
class Kubectl {
 public:
  // `kubectl`: its path; `scratch`: a directory for command files and the discovery cache.
  Kubectl(std::string kubectl, std::string kubeconfig, fs::path scratch)
      : kubectl_(std::move(kubectl)),
        kubeconfig_(std::move(kubeconfig)),
        scratch_(std::move(scratch)) {}

  CommandResult Run(const std::vector<std::string>& args, const std::string& input = "") const {
    std::vector<std::string> argv = {kubectl_, "--kubeconfig=" + kubeconfig_,
                                     "--request-timeout=20s",
                                     "--cache-dir=" + (scratch_ / "kube-cache").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, input, scratch_);
  }
  // `kubectl apply -f -`; the result (exit code 0 expected by callers that ASSERT on it).
  CommandResult Apply(const std::string& manifest) const {
    return Run({"apply", "-f", "-"}, manifest);
  }
  // `kubectl get <args> -o json`, parsed; null JSON when kubectl failed.
  Json Get(const std::vector<std::string>& args) const {
    std::vector<std::string> full = {"get"};
    full.insert(full.end(), args.begin(), args.end());
    full.insert(full.end(), {"-o", "json"});
    CommandResult r = Run(full);
    return r.exit_code == 0 ? ParseJson(r.out) : Json();
  }

 private:
  const std::string kubectl_;
  const std::string kubeconfig_;
  const fs::path scratch_;
};

// A `dra node` child process on simulated hardware (`--gpu-source profile:<profile>`, its own
// directories under `dir/<node>`, kubelet simulation, Node registration, DeviceClasses).
class NodeProcess {
 public:
  NodeProcess(const std::string& kubeconfig, const std::string& node, const std::string& profile,
              const fs::path& dir, const std::vector<std::string>& extra_args = {})
      : dir_(dir / node) {
    fs::create_directories(dir_);
    argv_ = {DRA_BINARY,
             "node",
             "--kubeconfig=" + kubeconfig,
             "--node-name=" + node,
             "--gpu-source=profile:" + profile,
             "--cdi-dir=" + (dir_ / "cdi").string(),
             "--state-dir=" + (dir_ / "state").string(),
             "--kubelet-plugins-dir=" + (dir_ / "plugins").string(),
             "--kubelet-registry-dir=" + (dir_ / "registry").string(),
             "--simulate-kubelet",
             "--register-node",
             "--install-device-classes"};
    argv_.insert(argv_.end(), extra_args.begin(), extra_args.end());
    Start();
  }
  ~NodeProcess() { Stop(); }

  void Start() {
    fs::remove(dir_ / "node.out");  // so that the previous run's ready line does not count
    pid_ = Spawn(argv_, "", dir_ / "node.out", dir_ / "node.err");
    ready_ = PollUntil([&] {
               return ReadFile(dir_ / "node.out").find("serving drivers") != std::string::npos ||
                      WaitUntil(pid_, Clock::now()).has_value();
             }) &&
             ReadFile(dir_ / "node.out").find("serving drivers") != std::string::npos;
  }
  void Stop() {
    Terminate(pid_);
    pid_ = 0;
  }
  void Kill() {
    kill(pid_, SIGKILL);
    WaitUntil(pid_, Clock::now() + std::chrono::seconds(10));
    pid_ = 0;
  }
  bool ready() const { return ready_; }
  std::string output() const { return ReadFile(dir_ / "node.out") + ReadFile(dir_ / "node.err"); }
  fs::path cdi_dir() const { return dir_ / "cdi"; }
  // "host:port" of /metrics (with --metrics-listen), from the agent's output.
  std::string metrics_address() const {
    std::string out = ReadFile(dir_ / "node.out");
    const std::string kPrefix = "metrics at http://";
    size_t at = out.find(kPrefix);
    if (at == std::string::npos) return "";
    size_t end = out.find("/metrics", at);
    return out.substr(at + kPrefix.size(), end - at - kPrefix.size());
  }
  fs::path state_dir() const { return dir_ / "state"; }

 private:
  fs::path dir_;
  std::vector<std::string> argv_;
  pid_t pid_ = 0;
  bool ready_ = false;
};

}  // namespace dra::e2e

#endif  // DRA_TESTS_E2E_UTIL_H_
