// The dra.cpu device model: CpuDeviceGroups, CpuDriverResources, CpuDeviceClasses.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "dra/base/quantity.h"
#include "dra/driver/cpu/cpu.h"

namespace dra::driver {
namespace {

std::string Numbered(const char* prefix, int n) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%s%03d", prefix, n);
  return buf;
}

api::DeviceAttribute IntAttr(int64_t v) {
  api::DeviceAttribute a;
  a.int_ = v;
  return a;
}
api::DeviceAttribute BoolAttr(bool v) {
  api::DeviceAttribute a;
  a.bool_ = v;
  return a;
}
api::DeviceAttribute StringAttr(std::string v) {
  api::DeviceAttribute a;
  a.string_ = std::move(v);
  return a;
}

void AddNumaAttributes(std::map<std::string, api::DeviceAttribute>& attrs, int numa) {
  attrs[kNumaNodeAttribute] = IntAttr(numa);
  attrs[kCpuAttrNumaNodeId] = IntAttr(numa);
  attrs[kCpuAttrNetNumaNode] = IntAttr(numa);
}

}  // namespace

std::vector<CpuDeviceGroup> CpuDeviceGroups(const std::vector<CpuInfo>& cpus,
                                            const CpuModelOptions& options) {
  const std::set<int> reserved(options.reserved_cpus.begin(), options.reserved_cpus.end());
  std::vector<const CpuInfo*> available;
  for (const CpuInfo& c : cpus) {
    if (!reserved.contains(c.cpu_id)) available.push_back(&c);
  }
  std::sort(available.begin(), available.end(),
            [](const CpuInfo* a, const CpuInfo* b) { return a->cpu_id < b->cpu_id; });

  std::vector<CpuDeviceGroup> out;
  if (options.mode == CpuDeviceMode::kIndividual) {
    // Cores in order of their lowest unreserved CPU; siblings numbered consecutively.
    std::map<std::pair<int, int>, std::vector<int>> by_core;  // (socket, core) -> cpus
    std::vector<std::pair<int, int>> core_order;
    std::map<int, const CpuInfo*> info_of;
    for (const CpuInfo* c : available) {
      info_of[c->cpu_id] = c;
      auto key = std::make_pair(c->socket_id, c->core_id);
      auto [it, inserted] = by_core.try_emplace(key);
      if (inserted) core_order.push_back(key);
      it->second.push_back(c->cpu_id);
    }
    int n = 0;
    for (const auto& key : core_order) {
      for (int id : by_core[key]) {
        const CpuInfo* c = info_of[id];
        out.push_back({Numbered("cpudev", n++), {id}, c->socket_id, c->numa_node});
      }
    }
    return out;
  }

  switch (options.group_by) {
    case CpuGroupBy::kNumaNode: {
      std::map<int, CpuDeviceGroup> groups;
      for (const CpuInfo* c : available) {
        CpuDeviceGroup& g = groups[c->numa_node];
        if (g.cpus.empty()) {
          g.name = Numbered("cpudevnuma", c->numa_node);
          g.numa_node = c->numa_node;
          g.socket_id = c->socket_id;  // a NUMA node lies within one socket
        }
        g.cpus.push_back(c->cpu_id);
      }
      for (auto& [id, g] : groups) out.push_back(std::move(g));
      break;
    }
    case CpuGroupBy::kSocket: {
      std::map<int, CpuDeviceGroup> groups;
      for (const CpuInfo* c : available) {
        CpuDeviceGroup& g = groups[c->socket_id];
        if (g.cpus.empty()) {
          g.name = Numbered("cpudevsocket", c->socket_id);
          g.socket_id = c->socket_id;
        }
        g.cpus.push_back(c->cpu_id);
      }
      for (auto& [id, g] : groups) out.push_back(std::move(g));
      break;
    }
    case CpuGroupBy::kMachine: {
      CpuDeviceGroup g;
      g.name = "cpudevmachine";
      for (const CpuInfo* c : available) g.cpus.push_back(c->cpu_id);
      out.push_back(std::move(g));
      break;
    }
  }
  return out;
}

DriverResources CpuDriverResources(const std::vector<CpuInfo>& cpus,
                                   const CpuModelOptions& options) {
  DriverResources res;
  res.driver = kCpuDriverName;
  const bool smt = SmtEnabled(cpus);
  std::map<int, const CpuInfo*> info_of;
  for (const CpuInfo& c : cpus) info_of[c.cpu_id] = &c;

  for (CpuDeviceGroup& group : CpuDeviceGroups(cpus, options)) {
    api::Device d;
    d.name = group.name;
    auto& attrs = d.attributes;
    if (options.mode == CpuDeviceMode::kIndividual) {
      const CpuInfo& c = *info_of.at(group.cpus.front());
      AddNumaAttributes(attrs, c.numa_node);
      attrs[kCpuAttrSocketId] = IntAttr(c.socket_id);
      attrs[kCpuAttrSmtEnabled] = BoolAttr(smt);
      attrs[kCpuAttrCacheL3Id] = IntAttr(c.l3_cache_id.value_or(-1));
      attrs[kCpuAttrCoreType] = StringAttr(c.core_type);
      attrs[kCpuAttrCoreId] = IntAttr(c.core_id);
      attrs[kCpuAttrCpuId] = IntAttr(c.cpu_id);
      if (options.node_allocatable_mapping) {
        api::NodeAllocatableResourceMapping m;
        m.allocation_multiplier = Quantity::FromInt64(1);
        d.node_allocatable_resource_mappings["cpu"] = std::move(m);
      }
    } else {
      const int64_t n = static_cast<int64_t>(group.cpus.size());
      attrs[kCpuAttrNumCpus] = IntAttr(n);
      attrs[kCpuAttrSmtEnabled] = BoolAttr(smt);
      if (options.group_by == CpuGroupBy::kNumaNode) {
        AddNumaAttributes(attrs, group.numa_node);
        attrs[kCpuAttrSocketId] = IntAttr(group.socket_id);
      } else if (options.group_by == CpuGroupBy::kSocket) {
        attrs[kCpuAttrSocketId] = IntAttr(group.socket_id);
      }
      api::DeviceCapacity cap;
      cap.value = Quantity::FromInt64(n);
      d.capacity[kCpuCapacity] = std::move(cap);
      d.allow_multiple_allocations = true;
      if (options.node_allocatable_mapping) {
        api::NodeAllocatableResourceMapping m;
        m.capacity_key = kCpuCapacity;
        m.allocation_multiplier = Quantity::FromInt64(1);
        d.node_allocatable_resource_mappings["cpu"] = std::move(m);
      }
    }
    res.devices.push_back(std::move(d));
  }
  return res;
}

std::vector<api::DeviceClass> CpuDeviceClasses() {
  api::DeviceClass c;
  c.api_version = std::string(api::DeviceClass::kGroupVersion);
  c.kind = std::string(api::DeviceClass::kKind);
  c.metadata.name = kCpuDriverName;
  api::DeviceSelector s;
  s.cel = api::CELDeviceSelector{"device.driver == 'dra.cpu'"};
  c.spec.selectors.push_back(std::move(s));
  return {std::move(c)};
}

}  // namespace dra::driver
