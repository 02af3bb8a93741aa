// `mercato serve`'s API against a running server (docs/explorer.md, "The API"): a Server on a
// free loopback port serving the repository's scenarios/, driven by an HTTP client as a browser
// would. Pins what the explorer and users rely on: the scenario list and its form, validation
// messages keyed by the field, runs queued and finished with their outputs, and every bad
// request answered by a 4xx with a clear JSON message, never a crash.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "mercato/core/error.hpp"
#include "mercato/scenario/scenario.hpp"
#include "mercato/serve/server.hpp"

namespace {

namespace fs = std::filesystem;
using mercato::serve::Server;
using mercato::serve::ServerOptions;
using nlohmann::json;

const fs::path kScenarios = fs::path(MERCATO_SOURCE_DIR) / "scenarios";

ServerOptions test_options() {
  ServerOptions options;
  options.port = 0;
  options.scenario_folders = {kScenarios};
  return options;
}

// A server listening in a thread for the test's lifetime.
class RunningServer {
 public:
  explicit RunningServer(ServerOptions options = test_options())
      : server_(std::move(options)),
        thread_([this] { server_.serve(); }),
        client_("127.0.0.1", server_.port()) {
    client_.set_read_timeout(30, 0);
    // The listener may need a moment after bind; wait until it answers.
    for (int i = 0; i < 100 && !client_.Get("/api/scenarios"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~RunningServer() {
    server_.stop();
    thread_.join();
  }
  httplib::Client& client() { return client_; }
  Server& server() { return server_; }

  json get(const std::string& path, int expected_status) {
    auto res = client_.Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    return json::parse(res->body, nullptr, false);
  }
  json post(const std::string& path, const std::string& body, int expected_status) {
    auto res = client_.Post(path.c_str(), body, "application/json");
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, expected_status) << path << " " << body << ": " << res->body;
    return json::parse(res->body, nullptr, false);
  }
  // Polls a run until it is no longer queued or running.
  json wait_for(const std::string& id) {
    for (int i = 0; i < 6000; ++i) {
      json run = get("/api/runs/" + id, 200);
      if (run.is_null()) return run;
      const std::string status = run["status"];
      if (status != "queued" && status != "running") return run;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "run " << id << " did not finish";
    return nullptr;
  }

 private:
  Server server_;
  std::thread thread_;
  httplib::Client client_;
};

std::string error_of(const json& body) {
  return body.is_object() && body.contains("error") ? body["error"].get<std::string>() : "";
}

// System: GET /api/scenarios and /api/scenarios/tiny. Expect: every shipped scenario listed by
// its file's stem with its title and length; tiny's form has months and each region's tax rate
// with the scenario's values. Because: the explorer builds its picker and form from these.
TEST(ServerApiTest, ListsTheScenariosAndTheirParameters) {
  RunningServer s;
  const json list = s.get("/api/scenarios", 200);
  std::vector<std::string> names;
  for (const json& entry : list["scenarios"]) names.push_back(entry["name"]);
  EXPECT_NE(std::find(names.begin(), names.end(), "tiny"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "world-2025"), names.end());
  for (const json& entry : list["scenarios"]) {
    EXPECT_FALSE(entry.contains("error")) << entry.dump();
    if (entry["name"] == "tiny") {
      EXPECT_EQ(entry["title"], "tiny");
      EXPECT_EQ(entry["months"], 24);
      EXPECT_EQ(entry["start"], "2025-01");
    }
  }
  const json tiny = s.get("/api/scenarios/tiny", 200);
  EXPECT_NE(tiny["yaml"].get<std::string>().find("name: tiny"), std::string::npos);
  std::map<std::string, json> parameters;
  for (const json& p : tiny["parameters"]) parameters[p["key"]] = p;
  ASSERT_TRUE(parameters.contains("months"));
  EXPECT_EQ(parameters["months"]["value"], 24);
  ASSERT_TRUE(parameters.contains("regions.North.tax_rate"));
  EXPECT_DOUBLE_EQ(parameters["regions.North.tax_rate"]["value"].get<double>(), 0.37);
  EXPECT_EQ(parameters["regions.South.visa_friction"]["group"], "Region South");

  // Each parameter's key is one `--set` accepts: setting every one to its own value loads.
  std::vector<mercato::scenario::Override> same;
  for (const auto& [key, p] : parameters) same.push_back({key, p["value"].dump()});
  EXPECT_NO_THROW(mercato::scenario::load((kScenarios / "tiny.yaml").string(), same));

  // A region's study_abroad flows are parameters too, each a key `--set` accepts.
  const json world = s.get("/api/scenarios/world-2025", 200);
  std::vector<mercato::scenario::Override> flows;
  for (const json& p : world["parameters"])
    if (p["key"].get<std::string>().find(".study_abroad.") != std::string::npos)
      flows.push_back({p["key"], p["value"].dump()});
  ASSERT_FALSE(flows.empty());
  EXPECT_EQ(flows.front().key, "regions.CN.study_abroad.US");
  EXPECT_NO_THROW(mercato::scenario::load((kScenarios / "world-2025.yaml").string(), flows));
}

// System: the European plan's form. Expect: each event's start and its amounts, by event name.
// Because: the issue asks for a scenario's events to be changed in the form.
TEST(ServerApiTest, EventsAreParametersByName) {
  RunningServer s;
  const json plan = s.get("/api/scenarios/eu-talent-plan", 200);
  std::vector<mercato::scenario::Override> same;
  bool gpus = false;
  for (const json& p : plan["parameters"]) {
    if (p["key"] == "events.fr-public-compute.gpus") {
      gpus = true;
      EXPECT_DOUBLE_EQ(p["value"].get<double>(), 10000);
    }
    same.push_back({p["key"], p["value"].dump()});
  }
  EXPECT_TRUE(gpus);
  EXPECT_NO_THROW(mercato::scenario::load((kScenarios / "eu-talent-plan.yaml").string(), same));
}

// System: a scenario name that is not in the folder, including attempts to leave it. Expect:
// 404 naming the scenarios there. Because: no path from a request reaches the file system.
TEST(ServerApiTest, UnknownScenariosAndPathsAreRefused) {
  RunningServer s;
  const json unknown = s.get("/api/scenarios/nope", 404);
  EXPECT_NE(error_of(unknown).find("no scenario named 'nope'"), std::string::npos);
  EXPECT_NE(error_of(unknown).find("tiny"), std::string::npos);
  s.get("/api/scenarios/..%2Fscenarios%2Ftiny", 404);
  s.get("/api/scenarios/%2Fetc%2Fpasswd", 404);
  for (const char* name : {"../scenarios/tiny", "/etc/passwd", "tiny.yaml", "scenarios/tiny"}) {
    const json body = s.post("/api/runs", json{{"scenario", name}}.dump(), 404);
    EXPECT_NE(error_of(body).find("no scenario named"), std::string::npos) << name;
  }
  const json page = s.get("/etc/passwd", 404);
  EXPECT_NE(error_of(page).find("no such page"), std::string::npos);
}

// System: requests that are not what the API takes. Expect: 400 with what was wrong, 413 for a
// body over the limit, and the server still answering afterwards. Because: a malformed request
// gets a clear 4xx, never a crash.
TEST(ServerApiTest, MalformedRequestsGetClearErrors) {
  ServerOptions options = test_options();
  options.max_body_bytes = 1024;
  RunningServer s(options);
  EXPECT_NE(error_of(s.post("/api/runs", "{\"scenario\": ", 400)).find("not valid JSON"),
            std::string::npos);
  EXPECT_NE(error_of(s.post("/api/runs", "[1, 2]", 400)).find("must be a JSON object"),
            std::string::npos);
  EXPECT_NE(error_of(s.post("/api/runs", "{}", 400)).find("`scenario` is missing"),
            std::string::npos);
  EXPECT_NE(error_of(s.post("/api/runs", R"({"scenario": "tiny", "sett": {}})", 400))
                .find("unknown key `sett`"),
            std::string::npos);
  EXPECT_NE(error_of(s.post("/api/validate", R"({"scenario": "tiny", "set": [1]})", 400))
                .find("`set` must be an object"),
            std::string::npos);
  EXPECT_NE(
      error_of(s.post("/api/validate", R"({"scenario": "tiny", "set": {"months": [1]}})", 400))
          .find("`set.months` must be a string, a number or a boolean"),
      std::string::npos);
  const std::string big =
      json{{"scenario", "tiny"}, {"set", {{"name", std::string(4096, 'x')}}}}.dump();
  EXPECT_NE(error_of(s.post("/api/runs", big, 413)).find("over 1024 bytes"), std::string::npos);
  s.get("/api/runs/no-such-run", 404);
  s.get("/api/scenarios", 200);
}

// System: tiny with a tax rate of 1.5 and an unknown key. Expect: ok false and one error per
// field, keyed by the `--set` key, with the loader's message; then a valid change is ok.
// Because: the explorer shows each message beside its field.
TEST(ServerApiTest, ValidationErrorsAreKeyedByField) {
  RunningServer s;
  const json bad =
      s.post("/api/validate",
             R"({"scenario": "tiny", "set": {"regions.North.tax_rate": "1.5", "monthz": 3}})", 200);
  EXPECT_FALSE(bad["ok"].get<bool>());
  std::map<std::string, std::string> messages;
  for (const json& e : bad["errors"]) messages[e["key"]] = e["message"];
  ASSERT_TRUE(messages.contains("regions.North.tax_rate")) << bad.dump();
  EXPECT_FALSE(messages["regions.North.tax_rate"].empty());
  ASSERT_TRUE(messages.contains("monthz")) << bad.dump();
  EXPECT_NE(messages["monthz"].find("months"), std::string::npos) << "a did-you-mean";

  const json good = s.post("/api/validate",
                           R"({"scenario": "tiny", "set": {"regions.North.tax_rate": 0.5}})", 200);
  EXPECT_TRUE(good["ok"].get<bool>()) << good.dump();

  const json refused =
      s.post("/api/runs", R"({"scenario": "tiny", "set": {"regions.North.tax_rate": 1.5}})", 422);
  EXPECT_NE(error_of(refused).find("regions.North.tax_rate"), std::string::npos);
  EXPECT_EQ(refused["errors"][0]["key"], "regions.North.tax_rate");
}

// System: a 6-month run of tiny with North's tax rate at 0.5. Expect: it goes queued ->
// running -> done with every month counted; its data document, report page, output files and
// resolved scenario can be fetched; the scenario reproduces the change. Because: this is what
// the explorer shows and offers to download.
TEST(ServerApiTest, ARunFinishesWithItsOutputs) {
  RunningServer s;
  const json queued =
      s.post("/api/runs",
             R"({"scenario": "tiny", "set": {"months": 6, "regions.North.tax_rate": 0.5}})", 202);
  const std::string id = queued["id"];
  EXPECT_EQ(queued["months"], 6);
  const json run = s.wait_for(id);
  ASSERT_EQ(run["status"], "done") << run.dump();
  EXPECT_EQ(run["months_done"], 6);
  const std::vector<std::string> files = run["files"];
  EXPECT_NE(std::find(files.begin(), files.end(), "regions.csv"), files.end());
  EXPECT_NE(std::find(files.begin(), files.end(), "manifest.json"), files.end());

  const json document = s.get("/api/runs/" + id + "/document", 200);
  EXPECT_EQ(document["kind"], "run");
  EXPECT_EQ(document["headline"]["months"], 6);

  auto report = s.client().Get(("/api/runs/" + id + "/report.html").c_str());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->status, 200);
  EXPECT_EQ(report->body.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_NE(report->body.find("id=\"mercato-data\""), std::string::npos);

  auto csv = s.client().Get(("/api/runs/" + id + "/files/regions.csv").c_str());
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv");
  EXPECT_EQ(csv->body.rfind("month,date,region,", 0), 0U) << csv->body.substr(0, 80);
  // A name the run did not list, and a path (the %2F are decoded before routing, so it matches
  // no route at all): both 404, and no file outside the run's is read.
  const json unlisted = s.get("/api/runs/" + id + "/files/passwd", 404);
  EXPECT_NE(error_of(unlisted).find("has no file 'passwd'"), std::string::npos);
  const json traversal = s.get("/api/runs/" + id + "/files/..%2F..%2Fetc%2Fpasswd", 404);
  EXPECT_NE(error_of(traversal).find("no such page"), std::string::npos);

  auto yaml = s.client().Get(("/api/runs/" + id + "/scenario.yaml").c_str());
  ASSERT_TRUE(yaml);
  EXPECT_EQ(yaml->status, 200);
  const mercato::Config config = mercato::scenario::load_string(yaml->body, "scenario.yaml");
  EXPECT_EQ(config.months, 6);
  EXPECT_DOUBLE_EQ(config.regions.at(0).tax_rate, 0.5);

  const json list = s.get("/api/runs", 200);
  ASSERT_EQ(list["runs"].size(), 1U);
  EXPECT_EQ(list["runs"][0]["id"], id);
}

// System: one worker, a queue of one; a long run, then two more. Expect: the second waits
// (queue_position 0), the third is refused with 503; cancelling both ends them as cancelled,
// and the document of a run that is not done is 409. Because: runs are queued rather than
// overloading the machine.
TEST(ServerApiTest, RunsAreQueuedAndCanBeCancelled) {
  ServerOptions options = test_options();
  options.workers = 1;
  options.max_queued = 1;
  RunningServer s(options);
  const std::string body = R"({"scenario": "tiny", "set": {"months": 600}})";
  const std::string first = s.post("/api/runs", body, 202)["id"];
  for (int i = 0; i < 500 && s.get("/api/runs/" + first, 200)["status"] == "queued"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const json second = s.post("/api/runs", body, 202);
  EXPECT_EQ(second["status"], "queued");
  EXPECT_EQ(second["queue_position"], 0);
  EXPECT_NE(error_of(s.post("/api/runs", body, 503)).find("already waiting"), std::string::npos);
  s.get("/api/runs/" + second["id"].get<std::string>() + "/document", 409);

  EXPECT_EQ(s.client().Delete(("/api/runs/" + second["id"].get<std::string>()).c_str())->status,
            200);
  EXPECT_EQ(s.client().Delete(("/api/runs/" + first).c_str())->status, 200);
  EXPECT_EQ(s.wait_for(first)["status"], "cancelled");
  EXPECT_EQ(s.wait_for(second["id"])["status"], "cancelled");
}

// System: a run over the server's limits of months, size and time. Expect: 422 keyed by the
// field for months and scale; a run over the time limit fails saying why. Because: bounded run
// size and run time.
TEST(ServerApiTest, RunsOverTheLimitsAreRefusedOrStopped) {
  ServerOptions options = test_options();
  options.max_months = 60;
  options.max_talents = 1000;
  options.max_run_seconds = 1e-6;
  RunningServer s(options);
  const json months = s.post("/api/runs", R"({"scenario": "tiny", "set": {"months": 61}})", 422);
  EXPECT_EQ(months["errors"][0]["key"], "months");
  const json scale = s.post("/api/runs", R"({"scenario": "tiny", "set": {"scale": 10}})", 422);
  EXPECT_EQ(scale["errors"][0]["key"], "scale");
  EXPECT_NE(error_of(scale).find("talents"), std::string::npos);
  const std::string id = s.post("/api/runs", R"({"scenario": "tiny"})", 202)["id"];
  const json run = s.wait_for(id);
  EXPECT_EQ(run["status"], "failed");
  EXPECT_NE(run["error"].get<std::string>().find("--max-run-seconds"), std::string::npos);
}

// System: eight clients at once listing scenarios and starting runs, two workers. Expect: every
// request answered, every run done, the same figures for the same request. Because: several
// browser tabs at once are served, and runs are deterministic.
TEST(ServerApiTest, ConcurrentClientsAndRuns) {
  ServerOptions options = test_options();
  options.workers = 2;
  RunningServer s(options);
  std::vector<std::string> ids(8);
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", s.server().port());
      for (int i = 0; i < 5; ++i) {
        auto res = client.Get("/api/scenarios");
        if (!res || res->status != 200) ++failures;
      }
      auto res = client.Post("/api/runs", R"({"scenario": "tiny", "set": {"months": 12}})",
                             "application/json");
      if (!res || res->status != 202) {
        ++failures;
        return;
      }
      ids[static_cast<std::size_t>(c)] = json::parse(res->body)["id"];
    });
  }
  for (std::thread& t : clients) t.join();
  ASSERT_EQ(failures, 0);
  std::string first_summary;
  for (const std::string& id : ids) {
    ASSERT_EQ(s.wait_for(id)["status"], "done");
    auto summary = s.client().Get(("/api/runs/" + id + "/files/summary.json").c_str());
    ASSERT_TRUE(summary);
    json figures = json::parse(summary->body);
    figures.erase("timings");
    if (first_summary.empty()) first_summary = figures.dump();
    EXPECT_EQ(figures.dump(), first_summary);
  }
}

// System: a second server on the port of a running one. Expect: IoError naming the port.
// Because: two servers must not share a port silently.
TEST(ServerApiTest, APortInUseIsAClearError) {
  RunningServer s;
  ServerOptions options = test_options();
  options.port = s.server().port();
  try {
    Server second(options);
    FAIL() << "a second server bound the same port";
  } catch (const mercato::IoError& e) {
    EXPECT_NE(std::string(e.what()).find(std::to_string(options.port)), std::string::npos);
  }
  ServerOptions missing = test_options();
  missing.scenario_folders = {"/no/such/folder"};
  EXPECT_THROW(Server{missing}, mercato::IoError);
}

// System: GET /. Expect: the explorer page with its script inlined. Because: the front end is
// embedded in the binary.
TEST(ServerApiTest, ServesTheExplorerPage) {
  RunningServer s;
  auto page = s.client().Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_NE(page->body.find("<div id=\"app\">"), std::string::npos);
  EXPECT_GT(page->body.size(), 10000U) << "the explorer's script is inlined";
}

}  // namespace
