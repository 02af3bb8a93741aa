#include "serve_command.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "commands.hpp"
#include "mercato/core/error.hpp"

namespace mercato::cli {

int serve_command(ServeArgs args) {
  if (!args.scenario_folders.empty()) {
    args.options.scenario_folders.assign(args.scenario_folders.begin(),
                                         args.scenario_folders.end());
  }
  serve::Server server(args.options);
  // The first line says where the explorer is (tests read it when --port 0 picks the port).
  fmt::print("mercato serve: {}\n", server.url());
  if (!args.quiet) {
    const std::string& host = args.options.host;
    if (host != "127.0.0.1" && host != "localhost" && host != "::1") {
      fmt::print(stderr,
                 "mercato serve: listening on {}: anyone who can reach this machine can run "
                 "simulations on it\n",
                 host);
    }
    fmt::print(
        "Open it in a browser; the API is under /api/ (docs/explorer.md). Ctrl-C stops "
        "the server.\n");
  }
  std::fflush(stdout);
  // Ctrl-C or SIGTERM only sets a flag (install_interrupt_handlers); this thread turns it into
  // a clean stop: the listener ends, runs are cancelled, a temporary runs folder is removed.
  std::atomic<bool> listening{true};
  std::thread watcher([&server, &listening] {
    while (listening && !interrupt_was_requested()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    server.stop();
  });
  server.serve();
  listening = false;
  watcher.join();
  if (!interrupt_was_requested()) {
    throw IoError("mercato serve: the server stopped accepting connections");
  }
  if (!args.quiet) fmt::print("mercato serve: stopped\n");
  return 0;
}

}  // namespace mercato::cli
