#include "dra/api/device_taints.h"

namespace dra::api {

bool DeviceTaintRuleSelects(const DeviceTaintRule& rule, std::string_view driver,
                            std::string_view pool, std::string_view device) {
  if (!rule.spec.device_selector.has_value()) return false;
  const DeviceTaintSelector& selector = *rule.spec.device_selector;
  return (!selector.driver.has_value() || *selector.driver == driver) &&
         (!selector.pool.has_value() || *selector.pool == pool) &&
         (!selector.device.has_value() || *selector.device == device);
}

}  // namespace dra::api
