// The routes of `mercato serve` (docs/explorer.md, "The API"). Every answer is JSON except the
// pages and downloads; every error is {"error": message} with a 4xx (the request's fault) or a
// 500 (ours), and no request can end the server.
#include "mercato/serve/server.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>
#include <nlohmann/json.hpp>

#include "mercato/core/error.hpp"
#include "mercato/report/report.hpp"
#include "serve/catalogue.hpp"
#include "serve/explorer_bundle.hpp"
#include "serve/runs.hpp"

namespace mercato::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// An answer other than 200, thrown by a handler's checks.
struct HttpError {
  int status;
  std::string message;
  json errors = nullptr;  // per-key problems (422)
};

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, const HttpError& error) {
  json body = {{"error", error.message}};
  if (!error.errors.is_null()) body["errors"] = error.errors;
  send_json(res, error.status, body);
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("cannot read {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A new empty folder under the system's temporary folder.
fs::path temporary_folder() {
  std::string pattern = (fs::temp_directory_path() / "mercato-serve-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw IoError(fmt::format("cannot create a temporary folder for the runs ({})",
                              std::generic_category().message(errno)));
  }
  return pattern;
}

// The body of a POST as a JSON object with the keys `allowed`.
json request_object(const httplib::Request& req, const std::vector<std::string>& allowed) {
  json body;
  try {
    body = json::parse(req.body);
  } catch (const json::parse_error& e) {
    throw HttpError{400, fmt::format("the request body is not valid JSON: {}", e.what())};
  }
  if (!body.is_object()) {
    throw HttpError{
        400, fmt::format("the request body must be a JSON object, not {}", body.type_name())};
  }
  for (const auto& [key, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw HttpError{400, fmt::format("unknown key `{}` in the request; the keys are: {}", key,
                                       joined(allowed))};
    }
  }
  return body;
}

json diagnostics_json(const ScenarioError& e) {
  json errors = json::array();
  for (const ScenarioDiagnostic& d : e.diagnostics()) {
    errors.push_back(
        {{"key", d.key}, {"message", d.message}, {"line", d.line}, {"column", d.column}});
  }
  if (errors.empty()) errors.push_back({{"key", ""}, {"message", e.what()}});
  return errors;
}

std::string content_type_of(const std::string& file) {
  if (file.ends_with(".csv")) return "text/csv";
  if (file.ends_with(".json")) return "application/json";
  return "application/octet-stream";
}

void attach(httplib::Response& res, const std::string& file_name) {
  res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", file_name));
}

}  // namespace

struct Server::State {
  ServerOptions options;
  bool temporary_runs_folder = false;
  Catalogue catalogue;
  std::unique_ptr<RunQueue> runs;
  httplib::Server http;
  int port = 0;

  explicit State(ServerOptions o) : options(std::move(o)), catalogue(options.scenario_folders) {}

  // A request {scenario, set} checked as far as it can be without running: the scenario is in
  // the catalogue, the overrides parse and validate, the run is within the server's limits.
  // Returns the run request and the per-key problems (empty when it can run).
  std::pair<RunRequest, json> check(const json& body) {
    if (!body.contains("scenario") || !body["scenario"].is_string()) {
      throw HttpError{400,
                      "`scenario` is missing or not a string: name one of GET "
                      "/api/scenarios, e.g. {\"scenario\": \"tiny\", \"set\": {}}"};
    }
    RunRequest request;
    request.scenario = body["scenario"].get<std::string>();
    const std::optional<fs::path> file = catalogue.find(request.scenario);
    if (!file) {
      throw HttpError{404, fmt::format("no scenario named '{}'; the scenarios are: {}",
                                       request.scenario, joined(catalogue.names()))};
    }
    request.file = *file;
    request.set = body.contains("set") ? body["set"] : json::object();
    try {
      request.overrides = overrides_of(request.set);
    } catch (const UsageError& e) {
      throw HttpError{400, e.what()};
    }
    json errors = json::array();
    try {
      const Config config = scenario::load(request.file.string(), request.overrides);
      request.months = config.months;
      if (config.months > options.max_months) {
        errors.push_back({{"key", "months"},
                          {"message", fmt::format("at most {} months on this server "
                                                  "(mercato serve --max-months)",
                                                  options.max_months)}});
      }
      double talents = 0;
      for (const TalentStockConfig& stock : config.talents) talents += stock.count;
      talents *= config.scale;
      if (talents > options.max_talents) {
        errors.push_back(
            {{"key", "scale"},
             {"message", fmt::format("the world would start with {:.0f} talents; this server "
                                     "runs at most {:.0f} (mercato serve --max-talents): lower "
                                     "the scale",
                                     talents, options.max_talents)}});
      }
    } catch (const ScenarioError& e) {
      errors = diagnostics_json(e);
    } catch (const IoError& e) {
      throw HttpError{500, e.what()};
    }
    return {std::move(request), std::move(errors)};
  }

  std::string explorer_page() {
    std::string script = options.assets_folder.empty()
                             ? std::string(explorer_script())
                             : read_file(options.assets_folder / "explorer.js");
    std::string page;
    page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    page += "<link rel=\"icon\" href=\"data:,\">\n";  // no /favicon.ico request
    page += fmt::format("<title>mercato explorer</title>\n<style>{}</style>\n</head>\n<body>\n",
                        report::page_style());
    page += "<div id=\"app\"></div>\n<script>\n";
    page += script;
    page += "\n</script>\n</body>\n</html>\n";
    return page;
  }

  json run_or_404(const std::string& id) {
    std::optional<json> run = runs->snapshot(id);
    if (!run) throw HttpError{404, fmt::format("no run with id '{}' on this server", id)};
    return *run;
  }

  fs::path finished_or_error(const std::string& id) {
    const json run = run_or_404(id);
    const std::optional<fs::path> folder = runs->finished_folder(id);
    if (!folder) {
      throw HttpError{409,
                      fmt::format("run {} is {}, not done", id, run["status"].get<std::string>())};
    }
    return *folder;
  }

  void routes();
};

void Server::State::routes() {
  // Every handler's HttpError becomes its answer; anything else is a 500 with the reason.
  const auto handle = [](auto body) {
    return [body](const httplib::Request& req, httplib::Response& res) {
      try {
        body(req, res);
      } catch (const HttpError& error) {
        send_error(res, error);
      }
    };
  };

  http.Get("/", handle([this](const httplib::Request&, httplib::Response& res) {
             res.set_content(explorer_page(), "text/html; charset=utf-8");
           }));
  http.Get("/api/scenarios", handle([this](const httplib::Request&, httplib::Response& res) {
             send_json(res, 200, catalogue.list());
           }));
  http.Get(R"(/api/scenarios/([^/]+))",
           handle([this](const httplib::Request& req, httplib::Response& res) {
             const std::string name = req.matches[1];
             const std::optional<fs::path> file = catalogue.find(name);
             if (!file) {
               throw HttpError{404, fmt::format("no scenario named '{}'; the scenarios are: {}",
                                                name, joined(catalogue.names()))};
             }
             try {
               const Config config = scenario::load(file->string());
               send_json(res, 200,
                         {{"name", name},
                          {"title", config.name.empty() ? name : config.name},
                          {"description", config.description},
                          {"yaml", read_file(*file)},
                          {"parameters", scenario_parameters(config)}});
             } catch (const ScenarioError& e) {
               throw HttpError{422, fmt::format("scenario '{}' does not load", name),
                               diagnostics_json(e)};
             }
           }));
  http.Post("/api/validate", handle([this](const httplib::Request& req, httplib::Response& res) {
              auto [request, errors] = check(request_object(req, {"scenario", "set"}));
              send_json(res, 200, {{"ok", errors.empty()}, {"errors", errors}});
            }));
  http.Post("/api/runs", handle([this](const httplib::Request& req, httplib::Response& res) {
              auto [request, errors] = check(request_object(req, {"scenario", "set"}));
              if (!errors.empty()) {
                throw HttpError{422,
                                fmt::format("the scenario cannot run: {}{}",
                                            errors[0]["key"].get<std::string>().empty()
                                                ? ""
                                                : errors[0]["key"].get<std::string>() + ": ",
                                            errors[0]["message"].get<std::string>()),
                                errors};
              }
              std::optional<json> run = runs->submit(std::move(request));
              if (!run) {
                throw HttpError{503,
                                fmt::format("{} runs are already waiting; try again when one has "
                                            "finished (mercato serve --max-queued)",
                                            options.max_queued)};
              }
              send_json(res, 202, *run);
            }));
  http.Get("/api/runs", handle([this](const httplib::Request&, httplib::Response& res) {
             send_json(res, 200, runs->list());
           }));
  http.Get(R"(/api/runs/([^/]+))",
           handle([this](const httplib::Request& req, httplib::Response& res) {
             send_json(res, 200, run_or_404(req.matches[1]));
           }));
  http.Delete(
      R"(/api/runs/([^/]+))", handle([this](const httplib::Request& req, httplib::Response& res) {
        const std::optional<json> run = runs->cancel(req.matches[1]);
        if (!run)
          throw HttpError{
              404, fmt::format("no run with id '{}' on this server", std::string(req.matches[1]))};
        send_json(res, 200, *run);
      }));
  http.Get(R"(/api/runs/([^/]+)/document)",
           handle([this](const httplib::Request& req, httplib::Response& res) {
             const fs::path folder = finished_or_error(req.matches[1]);
             res.set_content(report::run_document(folder), "application/json");
           }));
  http.Get(R"(/api/runs/([^/]+)/report\.html)",
           handle([this](const httplib::Request& req, httplib::Response& res) {
             const std::string id = req.matches[1];
             const json run = run_or_404(id);
             const fs::path folder = finished_or_error(id);
             const std::string title =
                 fmt::format("mercato report: {} ({})", run["scenario"].get<std::string>(), id);
             res.set_content(report::report_page(title, report::run_document(folder)),
                             "text/html; charset=utf-8");
           }));
  http.Get(R"(/api/runs/([^/]+)/files/([^/]+))",
           handle([this](const httplib::Request& req, httplib::Response& res) {
             const std::string id = req.matches[1];
             const std::string file = req.matches[2];
             const fs::path folder = finished_or_error(id);
             const json run = run_or_404(id);
             // Only a name the run listed: nothing else of the request reaches the file system.
             const json& files = run["files"];
             if (std::find(files.begin(), files.end(), file) == files.end()) {
               throw HttpError{404,
                               fmt::format("run {} has no file '{}'; its files are: {}", id, file,
                                           joined(files.get<std::vector<std::string>>()))};
             }
             res.set_content(read_file(folder / file), content_type_of(file));
             attach(res, file);
           }));
  http.Get(R"(/api/runs/([^/]+)/scenario\.yaml)",
           handle([this](const httplib::Request& req, httplib::Response& res) {
             const std::string id = req.matches[1];
             const json run = run_or_404(id);
             const std::optional<std::string> yaml = runs->resolved_scenario(id);
             if (!yaml) {
               throw HttpError{409, fmt::format("run {} has not loaded its scenario yet", id)};
             }
             std::string text = fmt::format(
                 "# The scenario of run {} of mercato serve: '{}' with the changes {}, every key\n"
                 "# resolved. `mercato run` on this file gives the same results.\n",
                 id, run["scenario"].get<std::string>(), run["set"].dump());
             res.set_content(text + *yaml, "application/yaml");
             attach(res, fmt::format("{}-{}.yaml", run["scenario"].get<std::string>(), id));
           }));

  // httplib's own errors (no route, body too large, bad request line) get a JSON message too.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string message;
        switch (res.status) {
          case 404:
            message = fmt::format("no such page: {} {} (the API is under /api/; docs/explorer.md)",
                                  req.method, req.path);
            break;
          case 413:
            message = fmt::format(
                "the request body is over {} bytes (mercato serve "
                "--max-body-bytes)",
                options.max_body_bytes);
            break;
          default:
            message = fmt::format("the server cannot answer this request (HTTP {})", res.status);
        }
        send_json(res, res.status, {{"error", message}});
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr thrown) {
        std::string message = "unknown failure";
        try {
          std::rethrow_exception(thrown);
        } catch (const std::exception& e) {
          message = e.what();
        } catch (...) {
        }
        send_json(res, 500, {{"error", fmt::format("the server failed: {}", message)}});
      });
}

Server::Server(ServerOptions options) : state_(std::make_unique<State>(std::move(options))) {
  State& s = *state_;
  const ServerOptions& o = s.options;
  if (o.workers < 1 || o.max_queued < 1 || o.max_months < 1 || o.max_talents <= 0 ||
      o.max_run_seconds <= 0 || o.max_kept_runs < 1 || o.max_body_bytes < 1) {
    throw UsageError("every limit of mercato serve must be positive");
  }
  if (o.scenario_folders.empty()) throw UsageError("mercato serve needs a scenario folder");
  for (const fs::path& folder : o.scenario_folders) {
    std::error_code error;
    if (!fs::is_directory(folder, error)) {
      throw IoError(
          fmt::format("scenario folder {} does not exist or is not a folder", folder.string()));
    }
  }
  if (!o.assets_folder.empty() && !fs::exists(o.assets_folder / "explorer.js")) {
    throw IoError(
        fmt::format("{} does not exist (build it: cd web && npx vite build -c "
                    "vite.explorer.config.js)",
                    (o.assets_folder / "explorer.js").string()));
  }
  fs::path runs_folder = o.runs_folder;
  if (runs_folder.empty()) {
    runs_folder = temporary_folder();
    s.temporary_runs_folder = true;
  } else {
    std::error_code error;
    fs::create_directories(runs_folder, error);
    if (error) {
      throw IoError(fmt::format("cannot create the runs folder {}: {}", runs_folder.string(),
                                error.message()));
    }
  }
  s.options.runs_folder = runs_folder;

  s.routes();
  s.http.set_payload_max_length(o.max_body_bytes);
  // SO_REUSEADDR only: httplib's default SO_REUSEPORT would let a second server share a port
  // that is in use instead of failing.
  s.http.set_socket_options([](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const int port = o.port == 0 ? s.http.bind_to_any_port(o.host)
                               : (s.http.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port <= 0) {
    if (s.temporary_runs_folder) fs::remove_all(runs_folder);
    throw IoError(
        fmt::format("cannot listen on {}:{}: the port is in use or {} is not an "
                    "address of this machine (choose another with --port or --host)",
                    o.host, o.port, o.host));
  }
  s.port = port;
  s.runs = std::make_unique<RunQueue>(
      runs_folder, RunLimits{o.max_queued, o.workers, o.max_run_seconds, o.max_kept_runs});
}

Server::~Server() {
  stop();
}

int Server::port() const {
  return state_->port;
}

std::string Server::url() const {
  return fmt::format("http://{}:{}/", state_->options.host, state_->port);
}

void Server::serve() {
  state_->http.listen_after_bind();
}

void Server::stop() {
  State& s = *state_;
  s.http.stop();
  if (s.runs) s.runs->shut_down();
  if (s.temporary_runs_folder) {
    std::error_code ignored;
    fs::remove_all(s.options.runs_folder, ignored);
    s.temporary_runs_folder = false;
  }
}

}  // namespace mercato::serve
