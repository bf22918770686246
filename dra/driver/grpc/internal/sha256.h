// SHA-256 (FIPS 180-4) of a byte string, for the rolling-update socket names.
//
// Stateless; thread-safe.
#ifndef DRA_DRIVER_GRPC_INTERNAL_SHA256_H_
#define DRA_DRIVER_GRPC_INTERNAL_SHA256_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace dra::driver::grpc_internal {

std::array<uint8_t, 32> Sha256(std::string_view data);

}  // namespace dra::driver::grpc_internal

#endif  // DRA_DRIVER_GRPC_INTERNAL_SHA256_H_
