// One error family, caught once in main (STYLE.md, "Errors are a policy"):
// exceptions end an operation; expected outcomes ("no offer") are std::optional;
// programmer errors are MERCATO_ASSERT.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace mercato {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A bad command line: unknown flag, missing argument, conflicting options.
class UsageError : public Error {
 public:
  using Error::Error;
};

// A file that cannot be read or written (missing, unwritable folder, full disk).
class IoError : public Error {
 public:
  using Error::Error;
};

// One problem in a scenario file: where it is and what was expected.
struct ScenarioDiagnostic {
  std::string file;
  int line = 0;         // 1-based; 0 when unknown (e.g. a --set override)
  int column = 0;       // 1-based; 0 when unknown
  std::string key;      // key path, e.g. "regions.FR.tax_rate"
  std::string message;  // what is wrong and what was expected

  // "file:line:column: key: message"
  std::string to_string() const;
};

// All the problems of one scenario (every error of a file is reported at once).
class ScenarioError : public Error {
 public:
  explicit ScenarioError(std::vector<ScenarioDiagnostic> diagnostics);
  const std::vector<ScenarioDiagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<ScenarioDiagnostic> diagnostics_;
};

// A model invariant that does not hold (MERCATO_CHECK_INVARIANTS builds): a bug, not user error.
class InvariantViolation : public Error {
 public:
  using Error::Error;
};

}  // namespace mercato

#ifndef NDEBUG
#include <cstdio>
#include <cstdlib>
#define MERCATO_ASSERT(cond)                                                            \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)
#else
#define MERCATO_ASSERT(cond) ((void)0)
#endif
