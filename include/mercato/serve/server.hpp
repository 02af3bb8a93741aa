// `mercato serve` (docs/explorer.md): a local web explorer. A JSON API under /api/ lists the
// scenarios of its folders, validates changed parameters, queues runs and hands out their
// outputs, data documents and reports; `/` is the explorer page (web/src/explorer.js, embedded).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace mercato::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 8737;                 // 0: any free port (Server::port() says which)
  // Scenarios are read from these folders only: a request names a scenario by its file's stem
  // (`world-2025`), never by a path.
  std::vector<std::filesystem::path> scenario_folders = {"scenarios"};
  // Where runs write their outputs; empty: a new temporary folder, removed when the server stops.
  std::filesystem::path runs_folder;
  // Serve ASSETS/explorer.js instead of the embedded script (developing the page); empty: embedded.
  std::filesystem::path assets_folder;
  std::size_t max_body_bytes = 64 * 1024;  // larger requests get 413
  double max_talents = 2e6;                // initial stock after `scale`
  int max_months = 600;
  double max_run_seconds = 300;  // a run still going after this is stopped
  int max_queued = 16;           // runs waiting; more get 503
  int workers = 1;               // runs at once
  int max_kept_runs = 100;       // finished runs kept (the oldest are forgotten, files removed)
};

class Server {
 public:
  // Checks the folders and binds the port; throws UsageError for a bad option, IoError when a
  // scenario folder is missing or the port cannot be bound.
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;
  std::string url() const;  // http://HOST:PORT/
  // Serves requests until stop(); runs are queued and run by the server's workers.
  void serve();
  // From any thread: stops serving, cancels the runs, removes a temporary runs folder.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mercato::serve
