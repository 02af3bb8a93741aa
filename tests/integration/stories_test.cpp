// Keeps the commands of docs/stories.md working: every `$ mercato ...` line of the page is run
// as written, made small (`--set scale=0.01`, 14 months so that every event starts, 2 replicates)
// so the test stays quick, into a temporary folder. The figures on the page come from the full
// commands.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/files.hpp"

namespace {

namespace fs = std::filesystem;
const fs::path kSourceDir = MERCATO_SOURCE_DIR;

// The `$ mercato ...` lines of the page's code blocks, without the `$ `.
std::vector<std::string> documented_commands() {
  std::vector<std::string> commands;
  bool in_code = false;
  for (const std::string& line :
       mercato::testing::lines_of(mercato::testing::read_file(kSourceDir / "docs/stories.md"))) {
    if (line.starts_with("```")) in_code = !in_code;
    if (in_code && line.starts_with("$ mercato ")) commands.push_back(line.substr(2));
  }
  return commands;
}

// The command with its size flags replaced by small ones and its output sent to `out`.
std::string made_small(const std::string& command, const fs::path& out) {
  std::istringstream words(command);
  std::vector<std::string> kept;
  for (std::string w; words >> w;) {
    if (w == "--months" || w == "--replicates" || w == "--threads" || w == "-o") {
      words >> w;  // drop the value too
      continue;
    }
    kept.push_back(w);
  }
  std::string small = std::string(MERCATO_BINARY);
  for (std::size_t i = 1; i < kept.size(); ++i) small += " " + kept[i];
  small += fmt::format(" --set scale=0.01 --months 14 -q --force -o '{}'", out.string());
  if (kept.size() > 1 && kept[1] == "compare") small += " --replicates 2";
  return small;
}

TEST(Stories, EveryCommandOfTheStoriesPageRuns) {
  const auto commands = documented_commands();
  ASSERT_GE(commands.size(), 5u) << "docs/stories.md should show the commands of its figures";
  const fs::path root = fs::temp_directory_path() / fmt::format("mercato-stories-{}", ::getpid());
  fs::remove_all(root);
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const std::string cmd = fmt::format("cd '{}' && {} > '{}' 2>&1", kSourceDir.string(),
                                        made_small(commands[i], root / std::to_string(i)),
                                        (root / fmt::format("{}.log", i)).string());
    fs::create_directories(root);
    const int status = std::system(cmd.c_str());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << commands[i] << "\n"
        << mercato::testing::read_file(root / fmt::format("{}.log", i));
  }
  fs::remove_all(root);
}

}  // namespace
