// Running the built `mercato` binary (or mpirun) as a user would, from a working folder, with
// its exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "support/files.hpp"

namespace mercato::testing {

// `text` in single quotes for sh.
inline std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The command line that starts `binary args` on `ranks` MPI processes, as the MPI tests do:
// as root and with more processes than cores allowed (the CI machines have two).
inline std::string mpirun_line(const std::string& mpiexec, int ranks, const std::string& binary,
                               const std::string& args) {
  return fmt::format("{} --allow-run-as-root --oversubscribe -np {} {} {}", shell_quoted(mpiexec),
                     ranks, shell_quoted(binary), args);
}

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out, err;
};

// Runs `command` (a shell command line) in `folder`; stdout and stderr are captured in files
// outside it, so the folder holds only what the command wrote.
inline CommandResult run_in(const std::filesystem::path& folder, const std::string& command) {
  static int calls = 0;
  const std::filesystem::path base =
      std::filesystem::temp_directory_path() /
      fmt::format("mercato-test-{}-{}", static_cast<long>(::getpid()), calls++);
  const std::filesystem::path out = base.string() + ".out", err = base.string() + ".err";
  const std::string line =
      fmt::format("cd {} && {} >{} 2>{}", shell_quoted(folder.string()), command,
                  shell_quoted(out.string()), shell_quoted(err.string()));
  const int status = std::system(line.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out);
  result.err = read_file(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return result;
}

}  // namespace mercato::testing
