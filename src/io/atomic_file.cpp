#include "io/atomic_file.hpp"

#include <cerrno>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "mercato/core/error.hpp"

namespace mercato::io {

namespace {

std::string os_reason(int error_number) {
  return std::error_code(error_number, std::generic_category()).message();
}

}  // namespace

std::filesystem::path AtomicFile::partial_path_of(const std::filesystem::path& final_path) {
  // A dot name in the same folder: hidden from `ls`, and on the same file system as the final
  // name, so the rename is atomic.
  return final_path.parent_path() / ("." + final_path.filename().string() + ".partial");
}

AtomicFile::AtomicFile(std::filesystem::path final_path)
    : final_path_(std::move(final_path)), partial_path_(partial_path_of(final_path_)) {
  errno = 0;
  file_ = std::fopen(partial_path_.c_str(), "wb");
  if (file_ == nullptr) {
    throw IoError(fmt::format("cannot create {}: {}", partial_path_.string(),
                              os_reason(errno != 0 ? errno : EIO)));
  }
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : final_path_(std::move(other.final_path_)),
      partial_path_(std::move(other.partial_path_)),
      file_(std::exchange(other.file_, nullptr)),
      settled_(std::exchange(other.settled_, true)) {}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
  if (this != &other) {
    discard();
    final_path_ = std::move(other.final_path_);
    partial_path_ = std::move(other.partial_path_);
    file_ = std::exchange(other.file_, nullptr);
    settled_ = std::exchange(other.settled_, true);
  }
  return *this;
}

AtomicFile::~AtomicFile() {
  discard();
}

void AtomicFile::fail(std::string_view action, int error_number) {
  // The temporary file is useless after a failed write; remove it now so a full disk gets
  // its space back before the error is reported.
  discard();
  throw IoError(fmt::format("cannot {} {}: {}", action, final_path_.string(),
                            os_reason(error_number != 0 ? error_number : EIO)));
}

void AtomicFile::write(std::string_view bytes) {
  if (bytes.empty()) return;
  MERCATO_ASSERT(file_ != nullptr);
  errno = 0;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) fail("write", errno);
}

void AtomicFile::close() {
  if (file_ == nullptr) return;
  // Buffered bytes may only meet a full disk here, so every step is checked. No fsync: the
  // promise is about a killed or failing run, which rename alone keeps (fsync cost ~40 ms a
  // file on the development machine, a third of a small run); an OS crash is out of scope.
  errno = 0;
  if (std::fflush(file_) != 0) fail("write", errno);
  std::FILE* file = std::exchange(file_, nullptr);
  errno = 0;
  if (std::fclose(file) != 0) fail("write", errno);
}

void AtomicFile::commit() {
  close();
  std::error_code error;
  std::filesystem::rename(partial_path_, final_path_, error);
  if (error) {
    throw IoError(fmt::format("cannot rename {} to {}: {}", partial_path_.string(),
                              final_path_.string(), error.message()));
  }
  settled_ = true;
}

void AtomicFile::discard() noexcept {
  if (file_ != nullptr) std::fclose(std::exchange(file_, nullptr));
  if (!settled_) {
    std::error_code ignored;
    std::filesystem::remove(partial_path_, ignored);
    settled_ = true;
  }
}

}  // namespace mercato::io
