// End-to-end test of the /ui page of `dra server` in headless Chromium: a server with two node
// agents on simulated hardware (node-h100: dgx-h100, node-a100: a100-mig), claims and pods
// applied with kubectl so that devices are allocated, shared, tainted (a fault and a
// DeviceTaintRule), a MIG partition is allocated and a pod is pending; the page, driven over the
// DevTools protocol (--remote-debugging-pipe), must show each device in its state, inside its
// NUMA node and PCIe root, with its claim and pods, the pending pod with the scheduler's
// message, state colours where the page says each device is (screenshot decoded with libpng),
// and follow changes through its watches without reloading. Skipped when chromium or kubectl is
// not on PATH.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <png.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/e2e_util.h"

namespace dra {
namespace {

using namespace e2e;  // NOLINT: the helpers of every e2e test
using ::testing::HasSubstr;

// ---------------------------------------------------------------------------------------------
// Chromium over the DevTools protocol on a pipe: requests are written to its fd 3 and responses
// read from its fd 4, each message a JSON text ended by a NUL byte.

class Browser {
 public:
  static std::unique_ptr<Browser> Start(const std::string& chromium, const fs::path& dir,
                                        std::string* error) {
    int to_chrome[2], from_chrome[2];
    if (pipe2(to_chrome, O_CLOEXEC) != 0 || pipe2(from_chrome, O_CLOEXEC) != 0) {
      *error = "pipe failed";
      return nullptr;
    }
    fs::create_directories(dir / "profile");
    std::vector<std::string> argv = {
        chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--remote-debugging-pipe",
        // The server's certificate is signed by its own CA.
        "--ignore-certificate-errors", "--force-color-profile=srgb", "--hide-scrollbars",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--disable-background-networking", "--user-data-dir=" + (dir / "profile").string(),
        "about:blank"};
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    fs::path log = dir / "chromium.log";
    auto browser = std::unique_ptr<Browser>(new Browser());
    browser->log_ = log;
    pid_t pid = fork();
    if (pid == 0) {
      // Child: the pipe ends to fds 3 and 4 (through high numbers, so that none is clobbered).
      int in = fcntl(to_chrome[0], F_DUPFD, 10);
      int out = fcntl(from_chrome[1], F_DUPFD, 10);
      if (in < 0 || out < 0 || dup2(in, 3) < 0 || dup2(out, 4) < 0) _exit(126);
      int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int null_fd = open("/dev/null", O_RDONLY);
      if (log_fd < 0 || null_fd < 0) _exit(126);
      dup2(null_fd, STDIN_FILENO);
      dup2(log_fd, STDOUT_FILENO);
      dup2(log_fd, STDERR_FILENO);
      setpgid(0, 0);
      execv(args[0], args.data());
      _exit(127);
    }
    close(to_chrome[0]);
    close(from_chrome[1]);
    browser->pid_ = pid;
    browser->write_fd_ = to_chrome[1];
    browser->read_fd_ = from_chrome[0];
    Json version = browser->Call("Browser.getVersion", Json::object());
    if (!version.contains("product")) {
      *error =
          "chromium did not answer on the DevTools pipe: " + version.dump() + "\n" + ReadFile(log);
      return nullptr;
    }
    return browser;
  }

  ~Browser() {
    if (pid_ <= 0) return;
    Send("Browser.close", Json::object(), "");
    if (!WaitUntil(pid_, Clock::now() + std::chrono::seconds(5)).has_value()) {
      kill(-pid_, SIGKILL);
      kill(pid_, SIGKILL);
      WaitUntil(pid_, Clock::now() + std::chrono::seconds(10));
    }
    close(write_fd_);
    close(read_fd_);
  }

  // The result of a command, or {"error": ...}.
  Json Call(const std::string& method, const Json& params, const std::string& session = "",
            std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    int id = Send(method, params, session);
    Clock::time_point deadline = Clock::now() + timeout;
    while (true) {
      size_t end;
      while ((end = buffer_.find('\0')) != std::string::npos) {
        Json message = Json::parse(buffer_.substr(0, end), nullptr, false);
        buffer_.erase(0, end + 1);
        if (message.is_object() && message.value("id", -1) == id) {
          if (message.contains("error")) return Json{{"error", message["error"]}};
          return message["result"];
        }
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return Json{{"error", "timeout waiting for " + method}};
      pollfd p{read_fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[1 << 16];
      ssize_t n = read(read_fd_, chunk, sizeof(chunk));
      if (n <= 0) return Json{{"error", "chromium closed the pipe\n" + ReadFile(log_)}};
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  // A new tab (its own sessionStorage) of `width` CSS pixels at scale 1, showing `url`; its
  // session id.
  std::string Open(const std::string& url, int width = 1280, int height = 900) {
    Json target = Call("Target.createTarget", {{"url", "about:blank"}});
    if (!target.contains("targetId")) return "";
    Json attached =
        Call("Target.attachToTarget", {{"targetId", target["targetId"]}, {"flatten", true}});
    std::string session = attached.value("sessionId", "");
    if (session.empty()) return "";
    targets_[session] = target["targetId"];
    Call("Emulation.setDeviceMetricsOverride",
         {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", false}},
         session);
    Call("Page.navigate", {{"url", url}}, session);
    return session;
  }

  // Closes the tab of `session`.
  void Close(const std::string& session) {
    auto it = targets_.find(session);
    if (it == targets_.end()) return;
    Call("Target.closeTarget", {{"targetId", it->second}});
    targets_.erase(it);
  }

  // The value of a JavaScript expression in the tab (null JSON on errors).
  Json Evaluate(const std::string& session, const std::string& expression) {
    Json r = Call("Runtime.evaluate",
                  {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}},
                  session);
    if (!r.contains("result") || r.contains("exceptionDetails")) return Json();
    return r["result"].value("value", Json());
  }

  bool WaitFor(const std::string& session, const std::string& expression,
               std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    return PollUntil([&] { return Evaluate(session, expression) == Json(true); }, timeout);
  }

  // The whole page as PNG bytes ("" on failure).
  std::string Screenshot(const std::string& session) {
    Json size = Evaluate(session,
                         "[document.documentElement.scrollWidth, "
                         "document.documentElement.scrollHeight]");
    if (!size.is_array()) return "";
    Json shot = Call(
        "Page.captureScreenshot",
        {{"format", "png"},
         {"captureBeyondViewport", true},
         {"clip", {{"x", 0}, {"y", 0}, {"width", size[0]}, {"height", size[1]}, {"scale", 1}}}},
        session);
    if (!shot.contains("data")) return "";
    return Base64Decode(shot["data"].get<std::string>());
  }

  std::string log() const { return ReadFile(log_); }

 private:
  Browser() = default;

  int Send(const std::string& method, const Json& params, const std::string& session) {
    Json message = {{"id", ++next_id_}, {"method", method}, {"params", params}};
    if (!session.empty()) message["sessionId"] = session;
    std::string text = message.dump();
    text.push_back('\0');
    size_t written = 0;
    while (written < text.size()) {
      ssize_t n = write(write_fd_, text.data() + written, text.size() - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    return next_id_;
  }

  static std::string Base64Decode(const std::string& in) {
    std::string out;
    int bits = 0, value = 0;
    for (char c : in) {
      int d;
      if (c >= 'A' && c <= 'Z')
        d = c - 'A';
      else if (c >= 'a' && c <= 'z')
        d = c - 'a' + 26;
      else if (c >= '0' && c <= '9')
        d = c - '0' + 52;
      else if (c == '+')
        d = 62;
      else if (c == '/')
        d = 63;
      else
        continue;
      value = (value << 6) | d;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push_back(static_cast<char>((value >> bits) & 0xff));
      }
    }
    return out;
  }

  pid_t pid_ = 0;
  int write_fd_ = -1;
  int read_fd_ = -1;
  int next_id_ = 0;
  std::string buffer_;
  fs::path log_;
  std::map<std::string, std::string> targets_;  // session -> target id
};

// An RGB image decoded from PNG bytes.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<unsigned char> rgb;

  static std::optional<Image> Decode(const std::string& png) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) return std::nullopt;
    image.format = PNG_FORMAT_RGB;
    Image out;
    out.width = static_cast<int>(image.width);
    out.height = static_cast<int>(image.height);
    out.rgb.resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, out.rgb.data(), 0, nullptr)) return std::nullopt;
    return out;
  }
  std::array<int, 3> At(int x, int y) const {
    size_t i = (static_cast<size_t>(y) * width + x) * 3;
    return {rgb[i], rgb[i + 1], rgb[i + 2]};
  }
};

// The state colours of ui.css.
const std::map<std::string, std::array<int, 3>>& StateColours() {
  static const auto* colours = new std::map<std::string, std::array<int, 3>>{
      {"free", {0x2e, 0x9e, 0x5b}},    {"allocated", {0x2f, 0x6f, 0xdb}},
      {"shared", {0x8e, 0x44, 0xad}},  {"tainted", {0xd6, 0x2f, 0x2f}},
      {"blocked", {0xb9, 0xbe, 0xc7}},
  };
  return *colours;
}

bool Near(const std::array<int, 3>& a, const std::array<int, 3>& b, int tolerance = 3) {
  for (int i = 0; i < 3; ++i) {
    if (std::abs(a[i] - b[i]) > tolerance) return false;
  }
  return true;
}

// The device elements of the page's HTML: their data-* attributes by data-device.
std::map<std::string, std::map<std::string, std::string>> DeviceElements(const std::string& html) {
  std::map<std::string, std::map<std::string, std::string>> devices;
  static const std::regex kTag(R"(<div [^>]*data-device="[^"]*"[^>]*>)");
  static const std::regex kAttr(R"(([a-z-]+)="([^"]*)\")");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kTag); it != std::sregex_iterator();
       ++it) {
    std::string tag = it->str();
    std::map<std::string, std::string> attrs;
    for (auto a = std::sregex_iterator(tag.begin(), tag.end(), kAttr); a != std::sregex_iterator();
         ++a) {
      std::string value = (*a)[2];
      for (auto [from, to] : {std::pair<std::string, std::string>{"&quot;", "\""},
                              {"&lt;", "<"},
                              {"&gt;", ">"},
                              {"&amp;", "&"}}) {
        for (size_t at = value.find(from); at != std::string::npos; at = value.find(from, at)) {
          value.replace(at, from.size(), to);
          at += to.size();
        }
      }
      attrs[(*a)[1]] = value;
    }
    devices[attrs["data-device"]] = attrs;
  }
  return devices;
}

class UiTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string kubectl = FindOnPath("kubectl");
    chromium_ = FindOnPath("chromium");
    if (kubectl.empty() || chromium_.empty()) return;
    dir_ = MakeTempDir("ui_test.");
    ASSERT_FALSE(dir_.empty());
    fs::create_directories(dir_ / "scratch");
    std::string error;
    server_ = ServerProcess::Start(
                  {"--listen", "127.0.0.1:0", "--data-dir", (dir_ / "data").string()}, dir_, &error)
                  .release();
    ASSERT_NE(server_, nullptr) << error;
    const std::string kUi = "dra server: web UI at ";
    ASSERT_TRUE(PollUntil([&] {
      std::string out = ReadFile(dir_ / "server.out");
      size_t at = out.find(kUi);
      size_t end = at == std::string::npos ? at : out.find('\n', at);
      if (end == std::string::npos) return false;
      ui_url_ = out.substr(at + kUi.size(), end - at - kUi.size());
      return true;
    })) << ReadFile(dir_ / "server.out");
    kubectl_ = new Kubectl(kubectl, server_->kubeconfig(), dir_ / "scratch");
    h100_ = new NodeProcess(server_->kubeconfig(), "node-h100", "dgx-h100", dir_);
    a100_ = new NodeProcess(server_->kubeconfig(), "node-a100", "a100-mig", dir_);
    ASSERT_TRUE(h100_->ready()) << h100_->output();
    ASSERT_TRUE(a100_->ready()) << a100_->output();
    browser_ = Browser::Start(chromium_, dir_ / "browser", &error).release();
    ASSERT_NE(browser_, nullptr) << error;
  }

  static void TearDownTestSuite() {
    delete browser_;
    delete h100_;
    delete a100_;
    delete kubectl_;
    delete server_;
    browser_ = nullptr;
    h100_ = a100_ = nullptr;
    kubectl_ = nullptr;
    server_ = nullptr;
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  void SetUp() override {
    if (chromium_.empty()) GTEST_SKIP() << "chromium is not on PATH";
    if (kubectl_ == nullptr) GTEST_SKIP() << "kubectl is not on PATH";
  }

  void TearDown() override {
    if (HasFailure() && browser_ != nullptr) std::cerr << "chromium:\n" << browser_->log();
  }

  static void Apply(const std::string& manifest) {
    CommandResult r = kubectl_->Apply(manifest);
    ASSERT_EQ(r.exit_code, 0) << r << "\nmanifest:\n" << manifest;
  }

  // "driver/pool/device" of the claim's allocation; empty while unallocated.
  static std::vector<std::string> Allocated(const std::string& claim, const std::string& ns) {
    std::vector<std::string> devices;
    Json got = kubectl_->Get({"resourceclaim", claim, "-n", ns});
    if (!got.is_object() || !got.contains("status") || !got["status"].contains("allocation")) {
      return devices;
    }
    for (const Json& r : got["status"]["allocation"]["devices"]["results"]) {
      devices.push_back(r["driver"].get<std::string>() + "/" + r["pool"].get<std::string>() + "/" +
                        r["device"].get<std::string>());
    }
    return devices;
  }

  static std::string Claim(const std::string& name, const std::string& ns, const std::string& cls,
                           const std::string& cel, int count = 1) {
    return "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: " + name +
           ", namespace: " + ns +
           "}\nspec:\n  devices:\n    requests:\n    - name: r\n"
           "      exactly:\n        deviceClassName: " +
           cls + "\n        count: " + std::to_string(count) +
           "\n        selectors:\n        - cel: {expression: \"" + cel + "\"}\n";
  }

  static std::string PodFor(const std::string& name, const std::string& ns,
                            const std::string& claim) {
    return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: " + ns +
           "}\nspec:\n  containers:\n  - name: main\n    image: busybox\n    resources:\n"
           "      claims: [{name: c}]\n  resourceClaims:\n  - name: c\n    resourceClaimName: " +
           claim + "\n";
  }

  static std::string chromium_;
  static fs::path dir_;
  static std::string ui_url_;
  static ServerProcess* server_;
  static Kubectl* kubectl_;
  static NodeProcess* h100_;
  static NodeProcess* a100_;
  static Browser* browser_;
};

std::string UiTest::chromium_;
fs::path UiTest::dir_;
std::string UiTest::ui_url_;
ServerProcess* UiTest::server_ = nullptr;
Kubectl* UiTest::kubectl_ = nullptr;
NodeProcess* UiTest::h100_ = nullptr;
NodeProcess* UiTest::a100_ = nullptr;
Browser* UiTest::browser_ = nullptr;

TEST_F(UiTest, PageLoadsWithoutTokenButItsApiCallsNeedOne) {
  // The URL dra server prints: the page, with the admin token in the fragment.
  ASSERT_THAT(ui_url_, testing::StartsWith(server_->url() + "/ui#token="));
  std::string token = ReadFile(dir_ / "data" / "pki" / "token");
  while (!token.empty() && token.back() == '\n') token.pop_back();
  EXPECT_EQ(ui_url_, server_->url() + "/ui#token=" + token);  // base64url needs no escaping

  httplib::SSLClient client("127.0.0.1", server_->port());
  client.enable_server_certificate_verification(false);
  httplib::Result page = client.Get("/ui");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"), HasSubstr("script-src 'self'"));
  EXPECT_THAT(page->body, HasSubstr("<script src=\"/ui/ui.js\""));
  httplib::Result script = client.Get("/ui/ui.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_THAT(script->get_header_value("Content-Type"), HasSubstr("javascript"));
  httplib::Result pods = client.Get("/api/v1/pods");
  ASSERT_TRUE(pods);
  EXPECT_EQ(pods->status, 401);

  // Without the token the page says so and offers the form.
  std::string tab = browser_->Open(server_->url() + "/ui");
  ASSERT_FALSE(tab.empty());
  EXPECT_TRUE(browser_->WaitFor(
      tab,
      "document.getElementById('status')?.dataset.connection === 'unauthorized' && "
      "!document.getElementById('auth').hidden"))
      << browser_->Evaluate(tab, "document.body.outerHTML");
  // A second tab waits while one watches (the browser's connections to a server are few).
  std::string second = browser_->Open(ui_url_);
  EXPECT_TRUE(browser_->WaitFor(
      second, "document.getElementById('status')?.dataset.connection === 'waiting'"));
  browser_->Close(tab);
  // With the token (sessionStorage is per tab), everything is listed once the first tab is
  // gone; the token leaves the address bar.
  tab = second;
  EXPECT_TRUE(browser_->WaitFor(tab, "document.body.dataset.synced === 'true'"))
      << browser_->Evaluate(tab, "document.body.outerHTML");
  EXPECT_EQ(browser_->Evaluate(tab, "location.hash"), Json(""));
  EXPECT_EQ(browser_->Evaluate(tab, "document.getElementById('status').dataset.connection"),
            Json("live"));
  browser_->Close(tab);
}

TEST_F(UiTest, ShowsDevicesByTopologyAndStateAndFollowsWatches) {
  const std::string ns = "ui";
  Apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + ns + "}\n");
  // A fault first, so that the scheduler avoids that GPU: NoSchedule in the slice on node-h100's
  // gpu-3 (and its partitions).
  CommandResult fault =
      RunCommand({DRA_BINARY, "node", "fault", "--state-dir=" + h100_->state_dir().string(),
                  "--device=gpu-3", "--xid=79"},
                 "", dir_ / "scratch");
  ASSERT_EQ(fault.exit_code, 0) << fault;
  ASSERT_TRUE(PollUntil([&] {
    return kubectl_->Run({"get", "resourceslices", "-o", "json"}).out.find("gpu.nvidia.com/xid") !=
           std::string::npos;
  }));

  const std::string hopper = "device.attributes['gpu.nvidia.com'].architecture == 'Hopper'";
  Apply(Claim("one-gpu", ns, "gpu.nvidia.com", hopper));
  Apply(PodFor("worker", ns, "one-gpu"));
  Apply(Claim("shared-gpu", ns, "gpu.nvidia.com", hopper));
  Apply(PodFor("sharer-1", ns, "shared-gpu"));
  Apply(PodFor("sharer-2", ns, "shared-gpu"));
  Apply(Claim("mig", ns, "mig.nvidia.com",
              "device.attributes['gpu.nvidia.com'].profile == '1g.10gb' && "
              "device.attributes['gpu.nvidia.com'].architecture == 'Ampere'"));
  Apply(PodFor("mig-worker", ns, "mig"));
  // 8 H100s, one tainted, two in use: all 8 cannot be had.
  Apply(Claim("too-many", ns, "gpu.nvidia.com", hopper, 8));
  Apply(PodFor("waiting", ns, "too-many"));

  std::map<std::string, std::string> device_of;
  for (const char* claim : {"one-gpu", "shared-gpu", "mig"}) {
    std::vector<std::string> devices;
    ASSERT_TRUE(PollUntil([&] {
      devices = Allocated(claim, ns);
      return devices.size() == 1;
    })) << claim;
    device_of[claim] = devices[0];
  }
  // A DeviceTaintRule on the highest-numbered H100 that is neither in use nor faulty.
  std::string ruled;
  for (int i = 7; i >= 0 && ruled.empty(); --i) {
    std::string key = "gpu.nvidia.com/node-h100/gpu-" + std::to_string(i);
    if (i != 3 && key != device_of["one-gpu"] && key != device_of["shared-gpu"]) ruled = key;
  }
  const std::string ruled_name = ruled.substr(ruled.rfind('/') + 1);
  Apply(
      "apiVersion: resource.k8s.io/v1beta2\nkind: DeviceTaintRule\nmetadata: {name: "
      "maintenance}\nspec:\n  deviceSelector: {driver: gpu.nvidia.com, pool: node-h100, "
      "device: " +
      ruled_name + "}\n  taint: {key: example.com/maintenance, effect: NoSchedule}\n");
  ASSERT_TRUE(PollUntil([&] {
    Json claim = kubectl_->Get({"resourceclaim", "shared-gpu", "-n", ns});
    return claim["status"].value("reservedFor", Json::array()).size() == 2;
  }));
  std::string pending_message;
  ASSERT_TRUE(PollUntil([&] {
    Json pod = kubectl_->Get({"pod", "waiting", "-n", ns});
    for (const Json& c : pod["status"].value("conditions", Json::array())) {
      if (c["type"] == "PodScheduled" && c["status"] == "False") {
        pending_message = c.value("message", "");
      }
    }
    return !pending_message.empty();
  }));
  const std::string gpu3 = "gpu.nvidia.com/node-h100/gpu-3";
  for (const auto& [claim, device] : device_of) EXPECT_NE(device, gpu3) << claim;
  EXPECT_THAT(device_of["mig"], HasSubstr("gpu.nvidia.com/node-a100/gpu-"));
  EXPECT_THAT(device_of["mig"], HasSubstr("-mig-1g10gb-"));

  // Every published device, with its attributes, from the API.
  std::map<std::string, Json> api_devices;
  Json slices = kubectl_->Get({"resourceslices"});
  for (const Json& slice : slices["items"]) {
    for (const Json& d : slice["spec"].value("devices", Json::array())) {
      api_devices[slice["spec"]["driver"].get<std::string>() + "/" +
                  slice["spec"]["pool"]["name"].get<std::string>() + "/" +
                  d["name"].get<std::string>()] = d;
    }
  }
  ASSERT_GT(api_devices.size(), 200u);

  std::string tab = browser_->Open(ui_url_);
  ASSERT_FALSE(tab.empty());
  const std::string selector = "document.querySelector('[data-device=\"%s\"]')";
  auto element = [&](const std::string& device) {
    std::string s = selector;
    return s.replace(s.find("%s"), 2, device);
  };
  ASSERT_TRUE(browser_->WaitFor(
      tab, "document.body.dataset.synced === 'true' && " + element(device_of["shared-gpu"]) +
               "?.dataset.state === 'shared' && " + element(device_of["mig"]) +
               "?.dataset.state === 'allocated' && " + element(gpu3) +
               "?.dataset.state === 'tainted' && " + element(ruled) +
               "?.dataset.state === 'tainted' && "
               "document.querySelector('[data-pending-pod=\"ui/waiting\"]') !== null"))
      << browser_->Evaluate(tab, "document.body.outerHTML");
  browser_->Evaluate(tab, "window.marker = 'same page'");

  // The DOM: every device once, in its state, with its claim and pods.
  std::string html = browser_->Evaluate(tab, "document.documentElement.outerHTML");
  auto devices = DeviceElements(html);
  EXPECT_EQ(devices.size(), api_devices.size());
  for (const auto& [key, device] : api_devices) {
    ASSERT_TRUE(devices.count(key)) << key;
    EXPECT_EQ(devices[key]["data-node"],
              key.substr(key.find('/') + 1, key.rfind('/') - key.find('/') - 1));
  }
  auto& one = devices[device_of["one-gpu"]];
  EXPECT_EQ(one["data-state"], "allocated");
  EXPECT_EQ(one["data-claim"], "ui/one-gpu");
  EXPECT_EQ(one["data-pods"], "ui/worker");
  auto& shared = devices[device_of["shared-gpu"]];
  EXPECT_EQ(shared["data-state"], "shared");
  EXPECT_EQ(shared["data-claim"], "ui/shared-gpu");
  EXPECT_EQ(shared["data-pods"], "ui/sharer-1 ui/sharer-2");
  EXPECT_EQ(devices[gpu3]["data-state"], "tainted");
  EXPECT_EQ(devices[ruled]["data-state"], "tainted");
  EXPECT_EQ(devices[gpu3]["data-claim"], "");
  auto& mig = devices[device_of["mig"]];
  EXPECT_EQ(mig["data-state"], "allocated");
  EXPECT_EQ(mig["data-pods"], "ui/mig-worker");
  // The partition is drawn inside its GPU (the one whose UUID it names). A GPU that is a
  // device is blocked by the partition's counters, as GPUs allocated whole block their
  // partitions; a GPU in MIG mode is a box, not a device.
  std::string mig_gpu = mig["data-parent"];
  EXPECT_THAT(mig_gpu, testing::MatchesRegex("gpu\\.nvidia\\.com/node-a100/gpu-[0-9]+"));
  Json box = browser_->Evaluate(tab, "(() => { const g = " + element(device_of["mig"]) +
                                         ".parentElement.closest('.gpu'); return [g.dataset.device "
                                         "|| g.dataset.gpu, g.dataset.uuid || null]; })()");
  ASSERT_TRUE(box.is_array()) << box;
  EXPECT_EQ(box[0], mig_gpu);
  std::string parent_uuid =
      api_devices[device_of["mig"]]["attributes"]["parentUUID"]["string"].get<std::string>();
  if (api_devices.count(mig_gpu)) {
    EXPECT_EQ(api_devices[mig_gpu]["attributes"]["uuid"]["string"], parent_uuid);
    EXPECT_EQ(devices[mig_gpu]["data-state"], "blocked");
  } else {
    EXPECT_EQ(box[1], parent_uuid);
  }
  for (const auto& [key, d] : devices) {
    if (d.count("data-parent") && d.at("data-parent") == device_of["one-gpu"]) {
      EXPECT_EQ(d.at("data-state"), "blocked") << key;
    }
  }
  int free = 0, other = 0;
  for (const auto& [key, d] : devices) {
    const std::string& state = d.at("data-state");
    if (state == "free") ++free;
    if (key != device_of["one-gpu"] && key != device_of["shared-gpu"] && key != device_of["mig"] &&
        (state == "allocated" || state == "shared")) {
      ++other;
    }
  }
  EXPECT_EQ(other, 0);
  EXPECT_GT(free, 100);
  // Every device sits in the NUMA row and PCIe root box its attributes name.
  EXPECT_EQ(
      browser_->Evaluate(tab,
                         "[...document.querySelectorAll('.devs > [data-device]')].filter((e) => "
                         "(e.dataset.pcieRoot || '') !== e.closest('.root').dataset.pcieRoot || "
                         "(e.dataset.numa ?? '?') !== e.closest('.numa').dataset.numa).length"),
      Json(0));
  const Json& gpu0 = api_devices["gpu.nvidia.com/node-h100/gpu-0"]["attributes"];
  EXPECT_EQ(devices["gpu.nvidia.com/node-h100/gpu-0"]["data-pcie-root"],
            gpu0["resource.kubernetes.io/pcieRoot"]["string"]);
  EXPECT_EQ(devices["gpu.nvidia.com/node-h100/gpu-0"]["data-numa"],
            std::to_string(gpu0["resource.kubernetes.io/numaNode"]["int"].get<int>()));
  // The pending pod with the scheduler's explanation.
  EXPECT_EQ(browser_->Evaluate(
                tab, "document.querySelector('[data-pending-pod=\"ui/waiting\"]').dataset.message"),
            Json("Unschedulable: " + pending_message));
  EXPECT_EQ(browser_->Evaluate(
                tab, "document.querySelector('[data-pending-claim=\"ui/too-many\"]').dataset.pods"),
            Json("ui/waiting"));

  // The screenshot: each device's state colour where the page says its swatch is, and each
  // colour in as many pixels as there are such swatches (plus the legend's).
  std::string png = browser_->Screenshot(tab);
  std::optional<Image> image = Image::Decode(png);
  ASSERT_TRUE(image.has_value()) << "screenshot of " << png.size() << " bytes";
  WriteFile(dir_ / "ui.png", png);
  if (const char* out = std::getenv("DRA_UI_SCREENSHOT"); out != nullptr && *out != '\0') {
    WriteFile(out, png);
  }
  std::map<std::string, int> swatches;
  int sampled = 0;
  for (const auto& [key, d] : devices) {
    int x, y, w, h;
    ASSERT_EQ(std::sscanf(d.at("data-swatch").c_str(), "%d,%d,%d,%d", &x, &y, &w, &h), 4) << key;
    ASSERT_EQ(w, 12) << key;
    ASSERT_EQ(h, 12) << key;
    ASSERT_LT(x + w, image->width) << key;
    ASSERT_LT(y + h, image->height) << key;
    const std::string& state = d.at("data-state");
    ++swatches[state];
    EXPECT_TRUE(Near(image->At(x + w / 2, y + h / 2), StateColours().at(state)))
        << key << " " << state << " at " << x << "," << y;
    ++sampled;
  }
  EXPECT_EQ(sampled, static_cast<int>(api_devices.size()));
  for (const auto& [state, colour] : StateColours()) {
    int pixels = 0;
    for (int y = 0; y < image->height; ++y) {
      for (int x = 0; x < image->width; ++x) pixels += Near(image->At(x, y), colour, 1);
    }
    int expected = 144 * (swatches[state] + 1);
    EXPECT_GE(pixels, expected * 95 / 100) << state;
    EXPECT_LE(pixels, expected * 105 / 100) << state;
  }

  // Live: the worker goes (its claim is deallocated) and the rule is deleted; the same page
  // shows both devices free through its watches.
  int events =
      std::stoi(browser_->Evaluate(tab, "document.body.dataset.events").get<std::string>());
  ASSERT_EQ(kubectl_->Run({"delete", "pod", "worker", "-n", ns}).exit_code, 0);
  ASSERT_EQ(kubectl_->Run({"delete", "devicetaintrule", "maintenance"}).exit_code, 0);
  EXPECT_TRUE(browser_->WaitFor(tab, element(device_of["one-gpu"]) +
                                         "?.dataset.state === 'free' && " + element(ruled) +
                                         "?.dataset.state === 'free'"))
      << browser_->Evaluate(tab, element(device_of["one-gpu"]) + "?.outerHTML");
  EXPECT_EQ(browser_->Evaluate(tab, "window.marker"), Json("same page"));
  EXPECT_GT(std::stoi(browser_->Evaluate(tab, "document.body.dataset.events").get<std::string>()),
            events);
  auto after = DeviceElements(browser_->Evaluate(tab, "document.documentElement.outerHTML"));
  EXPECT_EQ(after[device_of["one-gpu"]]["data-claim"], "");
  EXPECT_EQ(after[device_of["shared-gpu"]]["data-state"], "shared");
  image = Image::Decode(browser_->Screenshot(tab));
  ASSERT_TRUE(image.has_value());
  for (const std::string& key : {device_of["one-gpu"], ruled}) {
    int x, y, w, h;
    ASSERT_EQ(std::sscanf(after[key]["data-swatch"].c_str(), "%d,%d,%d,%d", &x, &y, &w, &h), 4);
    EXPECT_TRUE(Near(image->At(x + w / 2, y + h / 2), StateColours().at("free"))) << key;
  }
  browser_->Close(tab);
  ASSERT_EQ(kubectl_->Run({"delete", "namespace", ns, "--wait=false"}).exit_code, 0);
}

}  // namespace
}  // namespace dra
