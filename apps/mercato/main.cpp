// `mercato`: the command line. Parsing stays here; the work is done by the library
// (ARCHITECTURE.md, Layers). Every user error is caught once, below, and printed as
// `mercato: error: ...`; the exit codes are listed in kExitCodes.
#include <csignal>
#include <cstdio>
#include <exception>
#include <new>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "calibrate_command.hpp"
#include "commands.hpp"
#include "compare_command.hpp"
#include "experiment_commands.hpp"
#include "mercato/core/error.hpp"
#include "mercato/experiment/sweep.hpp"
#include "mercato/io/outputs.hpp"
#include "report_command.hpp"
#include "serve_command.hpp"

namespace {

using mercato::cli::Interrupted;
using mercato::experiment::Distributed;

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;

constexpr const char* kExitCodes =
    "Exit status: 0 success; 1 error (scenario, file or folder); 2 usage error (bad flag,\n"
    "non-empty output folder); 130 interrupted.";

constexpr const char* kMainExamples =
    "Examples:\n"
    "  mercato run scenarios/world-2025.yaml\n"
    "  mercato run scenarios/tiny.yaml -o runs/try --seed 7 --months 24 --force\n"
    "  mercato run scenarios/world-2025.yaml --set regions.FR.tax_rate=0.3 --threads 2\n"
    "  mercato run scenarios/world-2025.yaml -o runs/long --checkpoint-every 12\n"
    "  mercato resume runs/long\n"
    "  mercato validate scenarios/world-2025.yaml\n"
    "  mercato compare scenarios/tiny.yaml scenarios/tiny.yaml \\\n"
    "      --set-policy regions.North.tax_rate=0.25 --replicates 20 --threads 2\n"
    "  mercato ensemble scenarios/tiny.yaml --replicates 20 -o runs/tiny.db\n"
    "  mercato sweep experiments/tiny-tax.yaml --threads 2\n"
    "  mpirun -np 4 mercato sweep experiments/tiny-tax.yaml\n"
    "  mercato report runs/world-2025               # writes runs/world-2025/report.html\n"
    "  mercato calibrate calibrations/world-2019.yaml --threads 2\n"
    "  mercato serve                                # the web explorer on http://127.0.0.1:8737/\n"
    "  mercato help run\n"
    "\n"
    "Outputs (CSV tables, summary.json, manifest.json) are described in docs/outputs.md;\n"
    "scenario keys in docs/scenarios.md.\n";

constexpr const char* kRunExamples =
    "Examples:\n"
    "  mercato run scenarios/world-2025.yaml                 # writes runs/world-2025/\n"
    "  mercato run scenarios/tiny.yaml -o /tmp/tiny --force  # replace an earlier run\n"
    "  mercato run scenarios/world-2025.yaml --seed 2 --months 60 --threads 2\n"
    "  mercato run scenarios/world-2025.yaml --set organisations.Meta.max_offer=3e8 \\\n"
    "      --set regions.FR.tax_rate=0.3 -o runs/fr-tax\n"
    "  mercato run scenarios/world-2025.yaml -o runs/long --checkpoint-every 12\n"
    "\n"
    "An existing non-empty output folder is refused unless --force is given; with --force only\n"
    "mercato's own files in it are replaced. Files are written under temporary names and\n"
    "renamed at the end, so an interrupted run leaves no half-written file.\n"
    "With --checkpoint-every N the whole state of the run is saved to DIR/checkpoint.bin every N\n"
    "months; a run killed after a checkpoint keeps it and its temporary files, and\n"
    "`mercato resume DIR` finishes it with the same bytes as an uninterrupted run. The\n"
    "checkpoint is removed when the run completes.\n";

constexpr const char* kResumeExamples =
    "Examples:\n"
    "  mercato run scenarios/world-2025.yaml -o runs/long --checkpoint-every 12   # killed...\n"
    "  mercato resume runs/long                      # ...goes on from the last checkpoint\n"
    "  mercato resume runs/long --threads 2          # results do not depend on --threads\n"
    "\n"
    "Continues a run started with --checkpoint-every from DIR/checkpoint.bin: the scenario, seed,\n"
    "months and outputs are the checkpoint's, so no flag needs repeating. The outputs are the\n"
    "same bytes as those of an uninterrupted run (manifest.json differs only in its timings and\n"
    "finished_at). A checkpoint that is truncated, corrupted, of another format or mercato\n"
    "version, or whose temporary output files were changed, is refused and never loaded.\n";

constexpr const char* kValidateExamples =
    "Examples:\n"
    "  mercato validate scenarios/world-2025.yaml\n"
    "  mercato validate my.yaml --set scale=0.1\n"
    "\n"
    "Prints 'SCENARIO: ok (...)' and exits 0, or lists every error (file:line:column: key:\n"
    "message) and exits 1.\n";

constexpr const char* kCompareExamples =
    "Examples:\n"
    "  mercato compare base.yaml policy.yaml               # writes "
    "runs/compare-<base>-vs-<policy>/\n"
    "  mercato compare scenarios/tiny.yaml scenarios/tiny.yaml \\\n"
    "      --set-policy regions.North.tax_rate=0.25 --replicates 20 --threads 2\n"
    "  mercato compare base.yaml policy.yaml --months 60 --seed 7 -o runs/cmp --force\n"
    "\n"
    "Replicate r of both scenarios runs on the same random numbers (the policy takes the base's\n"
    "seed), so the two runs of a pair differ by the policy and what it sets off, not by\n"
    "different draws; each difference is taken pair by pair. The table\n"
    "gives each figure's mean over replicates in both scenarios and the mean of the paired\n"
    "differences (policy - base) with its 95% interval (Student t; none for one replicate).\n"
    "Results do not depend on --threads. The folder gets comparison.csv and comparison.json\n"
    "(docs/compare.md); a non-empty folder is refused unless --force is given. Both scenarios\n"
    "need the same regions and the same period.\n";

void print_error(const std::string& message) {
  std::fflush(stdout);
  if (Distributed::rank() != 0) {
    fmt::print(stderr, "mercato (rank {}): error: {}\n", Distributed::rank(), message);
  } else {
    fmt::print(stderr, "mercato: error: {}\n", message);
  }
}

constexpr const char* kEnsembleExamples =
    "Examples:\n"
    "  mercato ensemble scenarios/tiny.yaml --replicates 20        # writes runs/tiny-ensemble.db\n"
    "  mercato ensemble scenarios/world-2025.yaml --replicates 100 --set scale=0.1 \\\n"
    "      --keep regions,market -o runs/world.db\n"
    "  mpirun -np 4 mercato ensemble scenarios/world-2025.yaml --replicates 100\n"
    "\n"
    "Replicate r runs on its own random streams (the same r of the same seed always gives the\n"
    "same rows, whichever thread or rank ran it). The database gets a run table, the kept tables\n"
    "(default regions, market, events) keyed by run, and every run's headline figures; a CSV of\n"
    "their means, standard deviations and 95% intervals is written beside it\n"
    "(<database>.aggregates.csv). Started again with the same command after an interruption, it\n"
    "goes on where it stopped; --force starts over. docs/experiments.md has example queries.\n";

constexpr const char* kSweepExamples =
    "Examples:\n"
    "  mercato sweep experiments/tiny-tax.yaml                # writes runs/<experiment name>.db\n"
    "  mercato sweep my-sweep.yaml --threads 2 --on-error continue -o runs/sweep.db\n"
    "  mpirun -np 8 mercato sweep my-sweep.yaml --json > progress.jsonl\n"
    "\n"
    "The experiment file names a base scenario, the parameters to vary (key paths as in --set)\n"
    "as lists, grids or a Latin hypercube, and the replicates per point (docs/experiments.md).\n"
    "Started again with the same command after an interruption (Ctrl-C, a kill, a lost node), it\n"
    "keeps the finished runs and runs the rest; a database made by another experiment is\n"
    "refused (--force replaces it). Under mpirun, rank 0 hands out runs and writes the database;\n"
    "the rows are the same as in one process.\n";

constexpr const char* kReportExamples =
    "Examples:\n"
    "  mercato run scenarios/world-2025.yaml -o runs/base\n"
    "  mercato report runs/base                       # writes runs/base/report.html\n"
    "  mercato report runs/base -o base.html --force  # replace an earlier report\n"
    "  mercato sweep experiments/tiny-tax.yaml -o runs/tiny-tax.db\n"
    "  mercato report runs/tiny-tax.db                # writes runs/tiny-tax.report.html\n"
    "  mercato report runs/compare-tiny-vs-tiny       # a mercato compare folder\n"
    "\n"
    "Writes one HTML file that opens offline (scripts, styles and data inlined) with interactive\n"
    "charts (docs/report.md). Of a run folder: top-tier work share and brain drain by region\n"
    "over time, pay by region and tier, the moves between regions (Sankey), the largest\n"
    "packages, the concentration of elite talent and each event's cost and effects. Of an\n"
    "ensemble's or sweep's database, or a compare folder: every headline figure per point with\n"
    "its 95% interval, each point against the baseline (point 0, or the base scenario) with the\n"
    "interval of the paired difference, and the top tier's work share over time. An existing\n"
    "file is refused unless --force is given; the file is written under a temporary name and\n"
    "renamed when complete.\n";
constexpr const char* kCalibrateExamples =
    "Examples:\n"
    "  mercato calibrate calibrations/world-2019.yaml --threads 2 -o runs/world-2019-fit\n"
    "  mercato calibrate calibrations/world-2019.yaml -o runs/world-2019-fit   # resumes\n"
    "  mpirun -np 4 mercato calibrate calibrations/world-2019.yaml -o runs/world-2019-fit\n"
    "  mercato validate runs/world-2019-fit/best.yaml\n"
    "  mercato calibrate calibrations/world-2019-check-16.yaml --replicates 8 \\\n"
    "      --set regions.CA.visa_friction=0.25 -o runs/what-if   # the fitted point, one value "
    "changed\n"
    "  mercato calibrate my-fit.yaml --evaluate --replicates 16  # only its starts, 16 replicates\n"
    "\n"
    "Writes best.yaml (a scenario that extends the base), targets.csv (data vs model, 95%\n"
    "interval over replicates, contribution to the loss), trace.csv (every evaluation),\n"
    "report.md and journal.csv. Stopped (Ctrl-C) and started again with the same command, it\n"
    "replays the journal and goes on; a changed calibration is refused (--force starts over).\n"
    "Under mpirun, rank 0 runs the optimiser and writes every file, and each evaluation's\n"
    "replicates are shared over the ranks (replicate r on rank r % ranks); the files are the\n"
    "same bytes as in one process, on any number of threads or ranks.\n";

constexpr const char* kServeExamples =
    "Examples:\n"
    "  mercato serve                          # http://127.0.0.1:8737/, scenarios/ of this folder\n"
    "  mercato serve --port 9000 --scenarios scenarios --scenarios my-scenarios\n"
    "  mercato serve --port 0                 # any free port; the first line says which\n"
    "  curl http://127.0.0.1:8737/api/scenarios\n"
    "\n"
    "A local web explorer (docs/explorer.md): pick a scenario, change its main parameters and\n"
    "events, run it, see the report's charts beside the baseline, download the outputs and the\n"
    "changed scenario. The JSON API under /api/ does all of it. Binds to 127.0.0.1 unless\n"
    "--host says otherwise; reads scenarios only from its folders; runs are queued (--workers at\n"
    "a time) and bounded (--max-months, --max-talents, --max-run-seconds). Ctrl-C stops it.\n";

void add_experiment_options(CLI::App* command, mercato::cli::ExperimentArgs& args) {
  command
      ->add_option("--threads", args.threads,
                   "Runs at once in this process (default: every core; 1 per rank under mpirun)")
      ->check(CLI::Range(1, 4096));
  command->add_option("-o,--output", args.output,
                      "The SQLite database (default: runs/<name>.db); resumed when it exists");
  command
      ->add_option("--on-error", args.on_error,
                   "When a run fails: stop (default; runs in progress finish) or continue")
      ->check(CLI::IsMember({"stop", "continue"}));
  command->add_flag("-f,--force", args.force,
                    "Replace an existing database instead of resuming it");
  command->add_flag("--json", args.json, "Progress and the result as JSON lines on stdout");
  command->add_flag("-q,--quiet", args.quiet, "No progress and no summary");
}

int report_usage_error(const std::string& message, const std::string& help_topic) {
  print_error(message);
  fmt::print(stderr, "Run 'mercato help{}' for usage.\n",
             help_topic.empty() ? "" : " " + help_topic);
  return kExitUsage;
}

int run_cli(int argc, char** argv) {
  CLI::App app("mercato " + std::string(mercato::io::mercato_version()) +
                   ": a simulator of the global market for AI talent.",
               "mercato");
  app.set_version_flag("--version", "mercato " + std::string(mercato::io::mercato_version()));
  app.footer(std::string(kMainExamples) + "\n" + kExitCodes);
  app.require_subcommand(0, 1);

  mercato::cli::RunArgs run_args;
  run_args.command_line = mercato::cli::quoted_command_line(argc, argv);
  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its outputs");
  run->add_option("SCENARIO", run_args.scenario, "Scenario file (YAML)")->required();
  run->add_option("-o,--output", run_args.output, "Output folder (default: runs/<scenario name>)");
  run->add_option("--seed", run_args.seed, "Random seed (overrides the scenario's `seed`)");
  run->add_option("--months", run_args.months,
                  "Months to simulate (overrides the scenario's `months`)")
      ->check(CLI::Range(1, 100000));
  run->add_option("--threads", run_args.threads,
                  "Worker threads (default 1; results do not depend on it)")
      ->check(CLI::Range(1, 4096));
  // One K=V per --set, so `--set a=1 scenario.yaml` never swallows the scenario path.
  run->add_option("--set", run_args.sets,
                  "Override a scenario value, e.g. --set regions.FR.tax_rate=0.3 (repeatable)")
      ->allow_extra_args(false)
      ->type_name("K=V");
  run->add_flag("-q,--quiet", run_args.quiet, "No progress bar and no summary");
  run->add_flag("-f,--force", run_args.force,
                "Write into a non-empty output folder, replacing mercato's own files");
  run->add_option("--checkpoint-every", run_args.checkpoint_every,
                  "Save the run's whole state to OUTPUT/checkpoint.bin every MONTHS months, for "
                  "`mercato resume`")
      ->check(CLI::Range(1, 100000))
      ->type_name("MONTHS");
  run->footer(std::string(kRunExamples) + "\n" + kExitCodes);

  mercato::cli::ResumeArgs resume_args;
  CLI::App* resume =
      app.add_subcommand("resume", "Finish a run killed after a checkpoint (--checkpoint-every)");
  resume->add_option("DIR", resume_args.folder, "The run's output folder")->required();
  resume
      ->add_option("--threads", resume_args.threads,
                   "Worker threads (default: the run's; results do not depend on it)")
      ->check(CLI::Range(1, 4096));
  resume->add_flag("-q,--quiet", resume_args.quiet, "No progress bar and no summary");
  resume->footer(std::string(kResumeExamples) + "\n" + kExitCodes);

  mercato::cli::ValidateArgs validate_args;
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario without running it");
  validate->add_option("SCENARIO", validate_args.scenario, "Scenario file (YAML)")->required();
  validate->add_option("--set", validate_args.sets, "Override a scenario value (repeatable)")
      ->allow_extra_args(false)
      ->type_name("K=V");
  validate->footer(std::string(kValidateExamples) + "\n" + kExitCodes);

  mercato::cli::CompareArgs compare_args;
  CLI::App* compare = app.add_subcommand(
      "compare", "Compare two scenarios over replicates with the same random numbers");
  compare->add_option("BASE", compare_args.base, "Base scenario file (YAML)")->required();
  compare->add_option("POLICY", compare_args.policy, "Policy scenario file (YAML)")->required();
  compare
      ->add_option("--replicates", compare_args.replicates,
                   "Replicates of each scenario (default 10)")
      ->check(CLI::Range(1, 100000));
  compare
      ->add_option("--threads", compare_args.threads,
                   "Replicates run at once (default 1; results do not depend on it)")
      ->check(CLI::Range(1, 4096));
  compare->add_option("--seed", compare_args.seed, "Random seed of both scenarios");
  compare->add_option("--months", compare_args.months, "Months to simulate, both scenarios")
      ->check(CLI::Range(1, 100000));
  compare->add_option("--set", compare_args.sets, "Override a value in both scenarios (repeatable)")
      ->allow_extra_args(false)
      ->type_name("K=V");
  compare
      ->add_option("--set-base", compare_args.base_sets,
                   "Override a value in the base scenario only (repeatable)")
      ->allow_extra_args(false)
      ->type_name("K=V");
  compare
      ->add_option("--set-policy", compare_args.policy_sets,
                   "Override a value in the policy scenario only (repeatable)")
      ->allow_extra_args(false)
      ->type_name("K=V");
  compare->add_option("-o,--output", compare_args.output,
                      "Output folder (default: runs/compare-<base>-vs-<policy>)");
  compare->add_flag("-f,--force", compare_args.force,
                    "Write into a non-empty output folder, replacing comparison.csv/.json");
  compare->add_flag("-q,--quiet", compare_args.quiet, "No progress bar and no table");
  compare->footer(std::string(kCompareExamples) + "\n" + kExitCodes);

  mercato::cli::ExperimentArgs ensemble_args;
  CLI::App* ensemble =
      app.add_subcommand("ensemble", "Run replicates of a scenario into one SQLite database");
  ensemble->add_option("SCENARIO", ensemble_args.file, "Scenario file (YAML)")->required();
  ensemble->add_option("--replicates", ensemble_args.replicates, "Replicates (default 10)")
      ->check(CLI::Range(1, 10000000));
  ensemble->add_option("--seed", ensemble_args.seed, "Random seed (overrides the scenario's)");
  ensemble->add_option("--months", ensemble_args.months, "Months to simulate")
      ->check(CLI::Range(1, 100000));
  ensemble->add_option("--set", ensemble_args.sets, "Override a scenario value (repeatable)")
      ->allow_extra_args(false)
      ->type_name("K=V");
  ensemble
      ->add_option(
          "--keep", ensemble_args.keep,
          "Tables stored per run, e.g. --keep regions,orgs (default regions,market,events)")
      ->delimiter(',');
  add_experiment_options(ensemble, ensemble_args);
  ensemble->footer(std::string(kEnsembleExamples) + "\n" + kExitCodes);

  mercato::cli::ExperimentArgs sweep_args;
  CLI::App* sweep = app.add_subcommand(
      "sweep", "Run an experiment file (parameter points x replicates) into one SQLite database");
  sweep->add_option("EXPERIMENT", sweep_args.file, "Experiment file (YAML)")->required();
  add_experiment_options(sweep, sweep_args);
  sweep->footer(std::string(kSweepExamples) + "\n" + kExitCodes);

  mercato::cli::ReportArgs report_args;
  CLI::App* report =
      app.add_subcommand("report",
                         "Write one self-contained HTML page of charts of a run or an "
                         "experiment");
  report
      ->add_option("INPUT", report_args.input,
                   "A run folder (mercato run -o), a compare folder, or an ensemble's or "
                   "sweep's database")
      ->required();
  report->add_option("-o,--output", report_args.output,
                     "The HTML file (default: RUN_DIR/report.html, or DB.report.html beside "
                     "a database)");
  report->add_flag("-f,--force", report_args.force, "Replace an existing file");
  report->add_flag("-q,--quiet", report_args.quiet, "Print nothing on success");
  report->footer(std::string(kReportExamples) + "\n" + kExitCodes);

  mercato::cli::CalibrateArgs calibrate_args;
  CLI::App* calibrate = app.add_subcommand(
      "calibrate", "Fit a scenario's free parameters to published figures (docs/calibration.md)");
  calibrate->add_option("CALIBRATION", calibrate_args.file, "Calibration file (YAML)")->required();
  calibrate->add_option("-o,--output", calibrate_args.output,
                        "Output folder (default: runs/<name>-calibration); resumed when it holds "
                        "this calibration's journal");
  calibrate
      ->add_option("--threads", calibrate_args.threads,
                   "Replicates run at once in this process (default: every core; 1 per rank "
                   "under mpirun)")
      ->check(CLI::Range(1, 4096));
  calibrate->add_flag("-f,--force", calibrate_args.force,
                      "Start over in a non-empty folder (replaces its journal)");
  calibrate->add_flag("-q,--quiet", calibrate_args.quiet, "No progress and no summary");
  calibrate->add_flag("--evaluate", calibrate_args.evaluate,
                      "No optimiser: one evaluation at the parameters' starts (the fitted point "
                      "of a shipped calibration), e.g. to check it with more replicates");
  calibrate
      ->add_option("--set", calibrate_args.sets,
                   "A free parameter's start (within its range) or any other scenario value, "
                   "held fixed in every evaluation (repeatable)")
      ->allow_extra_args(false)
      ->type_name("K=V");
  calibrate
      ->add_option("--replicates", calibrate_args.replicates,
                   "Runs per evaluation (overrides the file's `replicates`)")
      ->check(CLI::Range(1, 10000));
  calibrate->footer(std::string(kCalibrateExamples) + "\n" + kExitCodes);

  mercato::cli::ServeArgs serve_args;
  mercato::serve::ServerOptions& serve_options = serve_args.options;
  CLI::App* serve = app.add_subcommand(
      "serve", "Start the local web explorer: change a scenario, run it, see the charts");
  serve->add_option("--host", serve_options.host,
                    "Address to listen on (default 127.0.0.1: this machine only)");
  serve->add_option("--port", serve_options.port, "Port (default 8737; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  serve
      ->add_option("--scenarios", serve_args.scenario_folders,
                   "A folder of scenario files (default: scenarios); may be repeated")
      ->check(CLI::ExistingDirectory);
  serve->add_option("--runs", serve_options.runs_folder,
                    "Where runs write their outputs (default: a temporary folder, removed at "
                    "exit)");
  serve->add_option("--workers", serve_options.workers, "Runs at once (default 1)")
      ->check(CLI::Range(1, 64));
  serve->add_option("--max-queued", serve_options.max_queued, "Runs waiting at most (default 16)")
      ->check(CLI::Range(1, 10000));
  serve
      ->add_option("--max-months", serve_options.max_months,
                   "Months of a run at most (default 600)")
      ->check(CLI::Range(1, 100000));
  serve
      ->add_option("--max-talents", serve_options.max_talents,
                   "Initial talents of a run at most, after scale (default 2e6)")
      ->check(CLI::PositiveNumber);
  serve
      ->add_option("--max-run-seconds", serve_options.max_run_seconds,
                   "A run still going after this is stopped (default 300)")
      ->check(CLI::PositiveNumber);
  serve
      ->add_option("--max-body-bytes", serve_options.max_body_bytes,
                   "Larger requests are refused with 413 (default 65536)")
      ->check(CLI::Range(1, 1 << 30));
  serve
      ->add_option("--keep-runs", serve_options.max_kept_runs,
                   "Finished runs kept; older ones are forgotten (default 100)")
      ->check(CLI::Range(1, 100000));
  serve
      ->add_option("--assets", serve_options.assets_folder,
                   "Serve ASSETS/explorer.js instead of the built-in page script (for "
                   "developing web/)")
      ->check(CLI::ExistingDirectory);
  serve->add_flag("-q,--quiet", serve_args.quiet, "Print only the first line (the address)");
  serve->footer(std::string(kServeExamples) + "\n" + kExitCodes);

  std::string help_topic;
  CLI::App* help = app.add_subcommand("help", "Show help, or a command's help: mercato help run");
  help->add_option(
      "COMMAND", help_topic,
      "A command (run, resume, validate, compare, ensemble, sweep, report, calibrate, serve)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string topic;
    if (run->parsed()) topic = "run";
    if (resume->parsed()) topic = "resume";
    if (validate->parsed()) topic = "validate";
    if (compare->parsed()) topic = "compare";
    if (ensemble->parsed()) topic = "ensemble";
    if (sweep->parsed()) topic = "sweep";
    if (report->parsed()) topic = "report";
    if (calibrate->parsed()) topic = "calibrate";
    if (serve->parsed()) topic = "serve";
    return report_usage_error(e.what(), topic);
  }

  if (*run) return mercato::cli::run_command(run_args);
  if (*resume) return mercato::cli::resume_command(resume_args);
  if (*validate) return mercato::cli::validate_command(validate_args);
  if (*compare) return mercato::cli::compare_command(compare_args);
  if (*ensemble) return mercato::cli::ensemble_command(ensemble_args);
  if (*sweep) return mercato::cli::sweep_command(sweep_args);
  if (*report) return mercato::cli::report_command(report_args);
  if (*calibrate) return mercato::cli::calibrate_command(calibrate_args);
  if (*serve) return mercato::cli::serve_command(serve_args);
  if (*help) {
    if (help_topic.empty()) {
      // app.help() would show the parsed subcommand's (help's) page; ask for the top level.
      fmt::print("{}", app.get_formatter()->make_help(&app, "", CLI::AppFormatMode::Normal));
      return 0;
    }
    if (help_topic == "help") {
      fmt::print("{}", help->help("mercato"));
      return 0;
    }
    CLI::App* command = nullptr;
    for (CLI::App* candidate :
         {run, resume, validate, compare, ensemble, sweep, report, calibrate, serve}) {
      if (candidate->get_name() == help_topic) command = candidate;
    }
    if (command == nullptr) {
      return report_usage_error(
          fmt::format("no command named '{}'; the commands are run, "
                      "resume, validate, compare, ensemble, sweep, report, calibrate, serve, help",
                      help_topic),
          "");
    }
    fmt::print("{}", command->help("mercato"));
    return 0;
  }
  // No command: show what there is, and fail, since nothing was done.
  fmt::print("{}", app.help());
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  // MPI only when started by mpirun (ensembles and sweeps over ranks); finalised on return.
  Distributed distributed(argc, argv);
  // A file size limit (ulimit -f) then fails a write with EFBIG, reported like a full disk,
  // instead of killing the process with SIGXFSZ and leaving no message.
  std::signal(SIGXFSZ, SIG_IGN);
  mercato::cli::install_interrupt_handlers();
  try {
    return run_cli(argc, argv);
  } catch (const mercato::ScenarioError& e) {
    // Every problem of the file at once, one per line (file:line:column: key: message).
    if (e.diagnostics().empty()) print_error(e.what());
    for (const mercato::ScenarioDiagnostic& d : e.diagnostics()) print_error(d.to_string());
    return kExitError;
  } catch (const mercato::UsageError& e) {
    print_error(e.what());
    return kExitUsage;
  } catch (const mercato::cli::ExitQuietly& e) {
    return e.code;
  } catch (const mercato::experiment::DistributedFailure& e) {
    // The other ranks wait for runs that will not come: end them all.
    print_error(e.what());
    Distributed::abort(kExitError);
  } catch (const Interrupted& e) {
    print_error(e.what());
    return kExitInterrupted;
  } catch (const mercato::InvariantViolation& e) {
    print_error(
        fmt::format("internal check failed (a bug in mercato; please report it): {}", e.what()));
    return kExitError;
  } catch (const mercato::Error& e) {
    print_error(e.what());
    return kExitError;
  } catch (const std::bad_alloc&) {
    print_error("out of memory; try a smaller world (e.g. --set scale=0.1)");
    return kExitError;
  } catch (const std::exception& e) {
    print_error(fmt::format("unexpected failure: {}", e.what()));
    return kExitError;
  }
}
