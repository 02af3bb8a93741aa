#include "mercato/io/results_db.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <map>
#include <sstream>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/sqlite_statement.hpp"
#include "io/tables.hpp"
#include "mercato/core/error.hpp"
#include "mercato/io/outputs.hpp"

namespace mercato::io {

// ---------------------------------------------------------------------------------------------
// TableRecorder

struct TableRecorder::State {
  MoveLog moves = MoveLog::top;
  std::vector<Table> tables;
  std::vector<Buffer> rows;
};

TableRecorder::TableRecorder(std::vector<std::string> tables, MoveLog moves)
    : state_(std::make_unique<State>()) {
  state_->moves = moves;
  for (const std::string& name : tables) {
    const std::optional<Table> table = table_from_name(name);
    if (!table) throw UsageError(fmt::format("no table named '{}'", name));
    state_->tables.push_back(*table);
  }
  state_->rows.resize(state_->tables.size());
}

TableRecorder::~TableRecorder() = default;

void TableRecorder::on_month(const World& world, const MonthMetrics& metrics) {
  for (std::size_t i = 0; i < state_->tables.size(); ++i) {
    append_rows(state_->rows[i], state_->tables[i], world, metrics, state_->moves);
  }
}

std::vector<std::pair<std::string, std::string>> TableRecorder::take_rows() {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < state_->tables.size(); ++i) {
    out.emplace_back(std::string(table_name(state_->tables[i])), fmt::to_string(state_->rows[i]));
    state_->rows[i].clear();
  }
  return out;
}

std::vector<std::string> table_column_names(const std::string& table) {
  const std::optional<Table> t = table_from_name(table);
  if (!t) throw UsageError(fmt::format("no table named '{}'", table));
  std::vector<std::string> out;
  for (std::string_view c : table_columns(*t)) out.emplace_back(c);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Records between ranks

std::string serialize(const RunRecord& r) {
  nlohmann::json j;
  j["run"] = r.run;
  j["failed"] = r.failed;
  j["error"] = r.error;
  j["worker"] = r.worker;
  j["seconds"] = r.seconds;
  j["talent_months"] = r.talent_months;
  nlohmann::json figures = nlohmann::json::array();
  for (const RunFigure& f : r.figures) {
    // JSON has no NaN: an undefined figure travels as null.
    figures.push_back({f.metric, f.unit,
                       std::isfinite(f.value) ? nlohmann::json(f.value) : nlohmann::json(nullptr)});
  }
  j["figures"] = std::move(figures);
  nlohmann::json tables = nlohmann::json::array();
  for (const auto& [name, rows] : r.tables) tables.push_back({name, rows});
  j["tables"] = std::move(tables);
  const std::vector<std::uint8_t> bytes = nlohmann::json::to_msgpack(j);
  return {bytes.begin(), bytes.end()};
}

RunRecord deserialize_run_record(const std::string& bytes) {
  const nlohmann::json j = nlohmann::json::from_msgpack(bytes);
  RunRecord r;
  r.run = j.at("run").get<std::int64_t>();
  r.failed = j.at("failed").get<bool>();
  r.error = j.at("error").get<std::string>();
  r.worker = j.at("worker").get<std::string>();
  r.seconds = j.at("seconds").get<double>();
  r.talent_months = j.at("talent_months").get<double>();
  for (const nlohmann::json& f : j.at("figures")) {
    r.figures.push_back(
        {f.at(0).get<std::string>(), f.at(1).get<std::string>(),
         f.at(2).is_null() ? std::numeric_limits<double>::quiet_NaN() : f.at(2).get<double>()});
  }
  for (const nlohmann::json& t : j.at("tables")) {
    r.tables.emplace_back(t.at(0).get<std::string>(), t.at(1).get<std::string>());
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// SQLite

namespace {

constexpr int kSchemaVersion = 1;

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// One CSV line of our own tables (RFC 4180 quotes) split into fields.
std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> fields(1);
  bool in_quotes = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

// The first line where two fingerprints differ, for the refusal message.
std::string first_difference(const std::string& stored, const std::string& wanted) {
  std::istringstream a(stored), b(wanted);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ha = static_cast<bool>(std::getline(a, la));
    const bool hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "they differ";
    if (!ha) la = "(nothing)";
    if (!hb) lb = "(nothing)";
    if (!ha || !hb || la != lb) {
      return fmt::format("first difference: the database has '{}', the experiment now has '{}'", la,
                         lb);
    }
  }
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace

struct ResultsDb::State {
  std::filesystem::path path;
  ExperimentPlan plan;
  sqlite3* db = nullptr;
  std::map<std::string, int> metric_order;  // metrics known to the database

  void exec(const std::string& sql) const {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message != nullptr ? message : "unknown error";
      sqlite3_free(message);
      throw IoError(fmt::format("{}: {}", path.string(), text));
    }
  }

  bool has_table(const std::string& name) const {
    Statement s(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", path);
    s.bind(1, std::string_view(name));
    return s.step();
  }

  std::string experiment_value(const std::string& key) const {
    Statement s(db, "SELECT value FROM experiment WHERE key=?", path);
    s.bind(1, std::string_view(key));
    return s.step() ? s.text_at(0) : std::string();
  }

  void create() const {
    exec("BEGIN");
    exec(
        "CREATE TABLE experiment(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE point(point INTEGER PRIMARY KEY, label TEXT NOT NULL);"
        "CREATE TABLE parameter(point INTEGER NOT NULL, key TEXT NOT NULL, value NUMERIC,"
        " PRIMARY KEY(point, key));"
        "CREATE TABLE run(run INTEGER PRIMARY KEY, point INTEGER NOT NULL,"
        " replicate INTEGER NOT NULL, seed INTEGER NOT NULL, status TEXT NOT NULL,"
        " error TEXT, worker TEXT, seconds REAL, finished_at TEXT);"
        "CREATE TABLE metric_info(metric TEXT PRIMARY KEY, ord INTEGER NOT NULL,"
        " unit TEXT NOT NULL);"
        "CREATE TABLE metric(run INTEGER NOT NULL, metric TEXT NOT NULL, value REAL,"
        " PRIMARY KEY(run, metric)) WITHOUT ROWID;");
    for (const std::string& table : plan.tables) {
      std::string columns = "run INTEGER NOT NULL";
      for (const std::string& c : table_column_names(table))
        columns += ", " + quoted(c) + " NUMERIC";
      exec(fmt::format("CREATE TABLE {}({}); CREATE INDEX {} ON {}(run);", quoted(table), columns,
                       quoted(table + "_run"), quoted(table)));
    }
    {
      Statement s(db, "INSERT INTO experiment(key, value) VALUES(?, ?)", path);
      const std::pair<std::string, std::string> rows[] = {
          {"schema_version", std::to_string(kSchemaVersion)},
          {"name", plan.name},
          {"kind", plan.kind},
          {"mercato_version", std::string(mercato_version())},
          {"tables", fmt::format("{}", fmt::join(plan.tables, ","))},
          {"fingerprint", plan.fingerprint},
          {"created_at", utc_now()}};
      for (const auto& [k, v] : rows)
        s.bind(1, std::string_view(k)).bind(2, std::string_view(v)).run();
    }
    {
      Statement point(db, "INSERT INTO point(point, label) VALUES(?, ?)", path);
      Statement parameter(db, "INSERT INTO parameter(point, key, value) VALUES(?, ?, ?)", path);
      for (const PlannedPoint& p : plan.points) {
        std::vector<std::string> parts;
        for (const auto& [k, v] : p.parameters) {
          parts.push_back(k + "=" + v);
          parameter.bind(1, std::int64_t{p.point})
              .bind(2, std::string_view(k))
              .bind(3, std::string_view(v))
              .run();
        }
        const std::string label = parts.empty() ? "base" : fmt::format("{}", fmt::join(parts, " "));
        point.bind(1, std::int64_t{p.point}).bind(2, std::string_view(label)).run();
      }
    }
    {
      Statement s(db,
                  "INSERT INTO run(run, point, replicate, seed, status) VALUES(?, ?, ?, ?, "
                  "'pending')",
                  path);
      for (const PlannedRun& r : plan.runs) {
        s.bind(1, r.run)
            .bind(2, std::int64_t{r.point})
            .bind(3, std::int64_t{r.replicate})
            .bind(4, static_cast<std::int64_t>(r.seed))
            .run();
      }
    }
    exec("COMMIT");
  }

  // An existing database: the same experiment, or refused.
  void check_same_experiment() const {
    if (!has_table("experiment") || !has_table("run")) {
      throw IoError(
          fmt::format("{}: exists but is not a mercato results database; give another "
                      "-o, or --force to replace it",
                      path.string()));
    }
    const std::string version = experiment_value("schema_version");
    if (version != std::to_string(kSchemaVersion)) {
      throw UsageError(fmt::format(
          "{}: made by another version of mercato (database schema {}, this mercato writes {}); "
          "give another -o, or --force to replace it",
          path.string(), version, kSchemaVersion));
    }
    const std::string stored = experiment_value("fingerprint");
    if (stored != plan.fingerprint) {
      throw UsageError(fmt::format(
          "{}: holds the results of another experiment ({} '{}'); {}. Resuming needs the same "
          "experiment file, base scenario and options; give another -o, or --force to replace it",
          path.string(), experiment_value("kind"), experiment_value("name"),
          first_difference(stored, plan.fingerprint)));
    }
  }

  // Rows of runs that are not finished: none can exist, since a run's rows and its status are
  // written in one transaction, but a database touched by hand should not double-count.
  void discard_unfinished() const {
    exec("BEGIN");
    for (const std::string& table : plan.tables) {
      exec(fmt::format("DELETE FROM {} WHERE run IN (SELECT run FROM run WHERE status='pending')",
                       quoted(table)));
    }
    exec("DELETE FROM metric WHERE run IN (SELECT run FROM run WHERE status='pending')");
    exec("COMMIT");
  }

  void load_metric_order() {
    Statement s(db, "SELECT metric, ord FROM metric_info", path);
    while (s.step()) metric_order[s.text_at(0)] = static_cast<int>(s.int_at(1));
  }
};

ResultsDb::ResultsDb(std::filesystem::path path, const ExperimentPlan& plan)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.path = std::move(path);
  s.plan = plan;
  std::error_code ec;
  const bool exists = std::filesystem::exists(s.path, ec);
  if (exists && std::filesystem::is_directory(s.path, ec)) {
    throw UsageError(fmt::format("{}: is a folder; -o names the database file, e.g. {}/results.db",
                                 s.path.string(), s.path.string()));
  }
  if (!s.path.parent_path().empty()) {
    std::filesystem::create_directories(s.path.parent_path(), ec);
    if (ec) {
      throw IoError(fmt::format("{}: cannot create the folder: {}", s.path.parent_path().string(),
                                ec.message()));
    }
  }
  if (sqlite3_open_v2(s.path.c_str(), &s.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    const std::string message = s.db != nullptr ? sqlite3_errmsg(s.db) : "out of memory";
    sqlite3_close(s.db);
    s.db = nullptr;
    throw IoError(fmt::format("{}: cannot open the database: {}", s.path.string(), message));
  }
  sqlite3_busy_timeout(s.db, 10000);
  try {
    // The default rollback journal: a killed writer leaves a journal that SQLite rolls back on
    // the next open, so a half-written transaction (a half-written run) never shows.
    s.exec("PRAGMA foreign_keys=OFF");
    if (exists && s.has_table("experiment")) {
      s.check_same_experiment();
      s.discard_unfinished();
      s.load_metric_order();
    } else if (exists && std::filesystem::file_size(s.path, ec) > 0) {
      s.check_same_experiment();  // throws: not ours
    } else {
      s.create();
    }
  } catch (...) {
    sqlite3_close(s.db);
    s.db = nullptr;
    throw;
  }
}

ResultsDb::~ResultsDb() {
  if (state_ && state_->db != nullptr) sqlite3_close(state_->db);
}

std::vector<RunStatus> ResultsDb::statuses() const {
  std::vector<RunStatus> out(state_->plan.runs.size(), RunStatus::pending);
  Statement s(state_->db, "SELECT run, status FROM run", state_->path);
  while (s.step()) {
    const std::int64_t run = s.int_at(0);
    if (run < 1 || run > static_cast<std::int64_t>(out.size())) continue;
    const std::string status = s.text_at(1);
    out[static_cast<std::size_t>(run - 1)] = status == "done"     ? RunStatus::done
                                             : status == "failed" ? RunStatus::failed
                                                                  : RunStatus::pending;
  }
  return out;
}

void ResultsDb::record(const RunRecord& r) {
  State& s = *state_;
  s.exec("BEGIN");
  try {
    for (const std::string& table : s.plan.tables) {
      Statement del(s.db, fmt::format("DELETE FROM {} WHERE run=?", quoted(table)), s.path);
      del.bind(1, r.run).run();
    }
    {
      Statement del(s.db, "DELETE FROM metric WHERE run=?", s.path);
      del.bind(1, r.run).run();
    }
    for (const auto& [table, rows] : r.tables) {
      if (std::find(s.plan.tables.begin(), s.plan.tables.end(), table) == s.plan.tables.end()) {
        continue;
      }
      const std::vector<std::string> columns = table_column_names(table);
      std::string names = "run", marks = "?";
      for (const std::string& c : columns) {
        names += ", " + quoted(c);
        marks += ", ?";
      }
      Statement insert(
          s.db, fmt::format("INSERT INTO {}({}) VALUES({})", quoted(table), names, marks), s.path);
      std::size_t begin = 0;
      while (begin < rows.size()) {
        std::size_t end = rows.find('\n', begin);
        if (end == std::string::npos) end = rows.size();
        const std::vector<std::string> fields =
            split_csv_line(std::string_view(rows).substr(begin, end - begin));
        begin = end + 1;
        if (fields.size() != columns.size()) {
          throw Error(fmt::format("run {}: a {} row has {} fields, the table {} columns", r.run,
                                  table, fields.size(), columns.size()));
        }
        insert.bind(1, r.run);
        for (std::size_t i = 0; i < fields.size(); ++i) {
          insert.bind(static_cast<int>(i) + 2, std::string_view(fields[i]));
        }
        insert.run();
      }
    }
    {
      Statement info(s.db, "INSERT INTO metric_info(metric, ord, unit) VALUES(?, ?, ?)", s.path);
      Statement insert(s.db, "INSERT INTO metric(run, metric, value) VALUES(?, ?, ?)", s.path);
      for (const RunFigure& f : r.figures) {
        if (s.metric_order.find(f.metric) == s.metric_order.end()) {
          const int ord = static_cast<int>(s.metric_order.size());
          info.bind(1, std::string_view(f.metric))
              .bind(2, std::int64_t{ord})
              .bind(3, std::string_view(f.unit))
              .run();
          s.metric_order[f.metric] = ord;
        }
        insert.bind(1, r.run).bind(2, std::string_view(f.metric)).bind(3, f.value).run();
      }
    }
    {
      Statement update(s.db,
                       "UPDATE run SET status=?, error=?, worker=?, seconds=?, finished_at=? "
                       "WHERE run=?",
                       s.path);
      update.bind(1, std::string_view(r.failed ? "failed" : "done"))
          .bind(2, std::string_view(r.error))
          .bind(3, std::string_view(r.worker))
          .bind(4, r.seconds)
          .bind(5, std::string_view(utc_now()))
          .bind(6, r.run)
          .run();
    }
    s.exec("COMMIT");
  } catch (...) {
    sqlite3_exec(s.db, "ROLLBACK", nullptr, nullptr, nullptr);
    // metric_order may hold metrics of the rolled-back run; reload it from the database.
    s.metric_order.clear();
    s.load_metric_order();
    throw;
  }
}

std::vector<ResultsDb::PointFigures> ResultsDb::figures_by_point() const {
  const State& s = *state_;
  std::vector<PointFigures> out;
  for (const PlannedPoint& p : s.plan.points) {
    PointFigures f;
    f.point = p.point;
    f.parameters = p.parameters;
    out.push_back(std::move(f));
  }
  std::vector<std::pair<std::string, std::string>> metrics;  // in ord order
  {
    Statement q(s.db, "SELECT metric, unit FROM metric_info ORDER BY ord", s.path);
    while (q.step()) metrics.emplace_back(q.text_at(0), q.text_at(1));
  }
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < metrics.size(); ++i) index[metrics[i].first] = i;
  for (PointFigures& f : out) {
    for (const auto& [m, u] : metrics) {
      f.metrics.push_back(m);
      f.units.push_back(u);
    }
    f.values.resize(metrics.size());
  }
  Statement q(s.db,
              "SELECT run.point, metric.metric, metric.value FROM metric JOIN run USING(run) "
              "WHERE run.status='done' ORDER BY run.run",
              s.path);
  while (q.step()) {
    const auto point = static_cast<std::size_t>(q.int_at(0));
    if (point >= out.size()) continue;
    const auto it = index.find(q.text_at(1));
    if (it == index.end()) continue;
    out[point].values[it->second].push_back(q.real_at(2));
  }
  return out;
}

const std::filesystem::path& ResultsDb::path() const {
  return state_->path;
}
const ExperimentPlan& ResultsDb::plan() const {
  return state_->plan;
}

}  // namespace mercato::io
