#include "demo.hpp"

#include "exit_status.hpp"

namespace chorus {

int run_demo(int, char**, const std::string&) { return kExitUsageError; }

}  // namespace chorus
