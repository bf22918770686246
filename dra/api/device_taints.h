// Helpers for device taints shared by the scheduler and the taint eviction controller.
#ifndef DRA_API_DEVICE_TAINTS_H_
#define DRA_API_DEVICE_TAINTS_H_

#include <string_view>

#include "dra/api/resource_types.h"

namespace dra::api {

// Whether `rule` taints device <driver, pool, device>: every field its deviceSelector sets
// matches; a rule without a deviceSelector selects nothing.
bool DeviceTaintRuleSelects(const DeviceTaintRule& rule, std::string_view driver,
                            std::string_view pool, std::string_view device);

}  // namespace dra::api

#endif  // DRA_API_DEVICE_TAINTS_H_
