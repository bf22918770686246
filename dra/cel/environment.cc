#include "dra/cel/environment.h"

#include <cstdlib>
#include <iostream>

#include "dra/cel/library/library.h"

namespace dra::cel {

const FunctionRegistry& KubernetesFunctions() {
  static const FunctionRegistry* registry = [] {
    auto* r = new FunctionRegistry();
    for (absl::Status s : {RegisterStandardFunctions(r), RegisterStringsExtension(r),
                           RegisterNetworkLibrary(r), RegisterKubernetesLibraries(r)}) {
      if (!s.ok()) {
        // A registration conflict is a programming error caught by every test run.
        std::cerr << "CEL environment: " << s << "\n";
        std::abort();
      }
    }
    return r;
  }();
  return *registry;
}

}  // namespace dra::cel
