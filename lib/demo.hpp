// demo.hpp — `chorus demo`: generates a data set with planted networks
// (chorus-gen), runs the pipeline on it with the executables found in
// bin_dir, and prints what was found. The stages run as separate processes,
// as a user's pipeline would. Prints to standard output; returns an exit status.
#pragma once

#include <string>

namespace chorus {

int run_demo(int argc, char** argv, const std::string& bin_dir);

}  // namespace chorus
