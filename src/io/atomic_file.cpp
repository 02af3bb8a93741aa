#include "io/atomic_file.hpp"

#include <unistd.h>

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

AtomicFile AtomicFile::reopen(std::filesystem::path final_path, std::uint64_t bytes) {
  AtomicFile f;
  f.final_path_ = std::move(final_path);
  f.partial_path_ = partial_path_of(f.final_path_);
  f.settled_ = true;  // until it is open: a failure below must not remove the file
  std::error_code error;
  const auto size = std::filesystem::file_size(f.partial_path_, error);
  if (error) {
    throw IoError(fmt::format("cannot resume {}: {}", f.partial_path_.string(), error.message()));
  }
  if (size < bytes) {
    throw IoError(fmt::format("cannot resume {}: it has {} bytes, the checkpoint recorded {}",
                              f.partial_path_.string(), size, bytes));
  }
  errno = 0;
  f.file_ = std::fopen(f.partial_path_.c_str(), "r+b");
  if (f.file_ == nullptr) {
    throw IoError(fmt::format("cannot open {}: {}", f.partial_path_.string(),
                              os_reason(errno ? errno : EIO)));
  }
  f.settled_ = false;
  // What was written after the checkpoint is written again by the resumed months.
  if (::ftruncate(::fileno(f.file_), static_cast<off_t>(bytes)) != 0 ||
      std::fseek(f.file_, 0, SEEK_END) != 0) {
    const int e = errno;
    f.keep();
    throw IoError(fmt::format("cannot cut {} back to the checkpoint: {}", f.partial_path_.string(),
                              os_reason(e ? e : EIO)));
  }
  return f;
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

void AtomicFile::sync() {
  if (file_ == nullptr) return;
  errno = 0;
  if (std::fflush(file_) != 0) fail("write", errno);
  errno = 0;
  if (::fsync(::fileno(file_)) != 0) fail("write", errno);
}

void AtomicFile::keep() noexcept {
  if (file_ != nullptr) std::fclose(std::exchange(file_, nullptr));
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
