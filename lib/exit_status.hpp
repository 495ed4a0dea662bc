// exit_status.hpp — the exit codes of every chorus command. They are an API:
// scripts branch on them, and every man page lists them under EXIT STATUS.
#pragma once

namespace chorus {

enum ExitStatus : int {
  kExitSuccess = 0,    // everything read was processed (skipped records allowed
                       // unless --strict or --max-errors says otherwise)
  kExitDataError = 1,  // a bad record under --strict, or more skipped records than --max-errors
  kExitUsageError = 2, // bad command line, unreadable input, failed write
};

}  // namespace chorus
