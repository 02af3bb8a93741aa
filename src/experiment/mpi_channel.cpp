#include "mpi_channel.hpp"

#include <cstdlib>

#include "mercato/experiment/sweep.hpp"

#if MERCATO_WITH_MPI
#include <mpi.h>
#endif

namespace mercato::experiment {

namespace {

#if MERCATO_WITH_MPI
enum Tag : int { kRequest = 1, kAssign = 2, kResult = 3, kAbandoned = 4, kFinished = 5 };
bool g_active = false;
int g_rank = 0;
int g_size = 1;
#endif

// mpirun (Open MPI, MPICH, Slurm's PMI) leaves these in the environment of the processes it
// starts; a process started by hand has none and never initialises MPI (which would cost
// seconds and, in some containers, fail).
bool started_by_mpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

}  // namespace

Distributed::Distributed(int& argc, char**& argv) {
#if MERCATO_WITH_MPI
  if (!started_by_mpirun()) return;
  int provided = 0;
  // Only the main thread of a rank calls MPI; worker threads only simulate.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  g_active = true;
#else
  (void)argc;
  (void)argv;
  (void)started_by_mpirun;
#endif
}

Distributed::~Distributed() {
#if MERCATO_WITH_MPI
  if (g_active) MPI_Finalize();
  g_active = false;
#endif
}

bool Distributed::active() {
#if MERCATO_WITH_MPI
  return g_active;
#else
  return false;
#endif
}

int Distributed::rank() {
#if MERCATO_WITH_MPI
  return g_rank;
#else
  return 0;
#endif
}

int Distributed::size() {
#if MERCATO_WITH_MPI
  return g_size;
#else
  return 1;
#endif
}

void Distributed::abort(int code) {
#if MERCATO_WITH_MPI
  if (g_active) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::exit(code);
}

bool Distributed::all_ok(bool ok) {
  return MpiChannel::all_ok(ok);
}

bool Distributed::from_root(bool value) {
  return MpiChannel::broadcast_go(value);
}

bool Distributed::built_with_mpi() {
  return MERCATO_WITH_MPI != 0;
}

std::vector<MpiChannel::Message> MpiChannel::poll() {
  std::vector<Message> out;
#if MERCATO_WITH_MPI
  if (!g_active || g_size < 2) return out;
  for (;;) {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag == 0) break;
    int count = 0;
    MPI_Get_count(&status, MPI_BYTE, &count);
    std::string bytes(static_cast<std::size_t>(count), '\0');
    MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    Message m;
    m.rank = status.MPI_SOURCE;
    switch (status.MPI_TAG) {
      case kRequest:
        m.kind = Kind::request;
        break;
      case kAssign: {
        // "<run>" or "<run>\n<payload>".
        m.kind = Kind::assign;
        m.run = std::stoll(bytes);
        const std::size_t newline = bytes.find('\n');
        if (newline != std::string::npos) m.payload = bytes.substr(newline + 1);
        break;
      }
      case kResult:
        m.kind = Kind::result;
        m.payload = std::move(bytes);
        break;
      case kAbandoned:
        m.kind = Kind::result;
        m.abandoned = true;
        break;
      default:
        m.kind = Kind::finished;
        break;
    }
    out.push_back(std::move(m));
  }
#endif
  return out;
}

#if MERCATO_WITH_MPI
namespace {
void send(int to, int tag, const std::string& bytes) {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}
}  // namespace
#endif

void MpiChannel::assign(int rank, std::int64_t run, const std::string& payload) {
#if MERCATO_WITH_MPI
  std::string bytes = std::to_string(run);
  if (!payload.empty()) bytes += "\n" + payload;
  send(rank, kAssign, bytes);
#else
  (void)rank;
  (void)run;
  (void)payload;
#endif
}

void MpiChannel::request() {
#if MERCATO_WITH_MPI
  send(0, kRequest, std::string());
#endif
}

void MpiChannel::send_result(bool abandoned, const std::string& payload) {
#if MERCATO_WITH_MPI
  send(0, abandoned ? kAbandoned : kResult, payload);
#else
  (void)abandoned;
  (void)payload;
#endif
}

void MpiChannel::finished() {
#if MERCATO_WITH_MPI
  send(0, kFinished, std::string());
#endif
}

bool MpiChannel::broadcast_go(bool go) {
#if MERCATO_WITH_MPI
  if (!g_active || g_size < 2) return go;
  int value = go ? 1 : 0;
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value != 0;
#else
  return go;
#endif
}

bool MpiChannel::all_ok(bool ok) {
#if MERCATO_WITH_MPI
  if (!g_active || g_size < 2) return ok;
  int mine = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all != 0;
#else
  return ok;
#endif
}

}  // namespace mercato::experiment
