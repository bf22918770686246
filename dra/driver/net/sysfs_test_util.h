// Test-only: a fake sysfs tree in a temporary directory, with real files and relative symlinks
// laid out as the kernel does. Thread-compatible.
#ifndef DRA_DRIVER_NET_SYSFS_TEST_UTIL_H_
#define DRA_DRIVER_NET_SYSFS_TEST_UTIL_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace dra::driver::testing {

class FakeSysfs {
 public:
  FakeSysfs() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "dra-fake-sysfs-XXXXXX").string();
    char* dir = ::mkdtemp(tmpl.data());
    root_ = dir != nullptr ? dir : "";
  }
  ~FakeSysfs() {
    std::error_code ec;
    if (!root_.empty()) std::filesystem::remove_all(root_, ec);
  }
  FakeSysfs(const FakeSysfs&) = delete;
  FakeSysfs& operator=(const FakeSysfs&) = delete;

  const std::string& root() const { return root_; }

  // Writes `content` to root/rel, creating parent directories.
  void Write(std::string_view rel, std::string_view content) const {
    std::filesystem::path p = std::filesystem::path(root_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
  }
  void MkDir(std::string_view rel) const {
    std::filesystem::create_directories(std::filesystem::path(root_) / rel);
  }
  // Creates the symlink root/rel -> target (a path relative to the link's directory).
  void Link(std::string_view rel, std::string_view target) const {
    std::filesystem::path p = std::filesystem::path(root_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::filesystem::create_directory_symlink(target, p);
  }

 private:
  std::string root_;
};

}  // namespace dra::driver::testing

#endif  // DRA_DRIVER_NET_SYSFS_TEST_UTIL_H_
