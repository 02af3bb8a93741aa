// A file written under a temporary name next to its final one and renamed when complete
// (ARCHITECTURE.md, Outputs: a killed run never leaves a half-written file).
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string_view>

namespace mercato::io {

class AtomicFile {
 public:
  // Opens `<dir>/.<name>.partial` for writing, truncating a leftover of a killed run.
  // Throws IoError naming the path and the OS reason.
  explicit AtomicFile(std::filesystem::path final_path);
  // Reopens the temporary file of a run killed after a checkpoint, cut to its first `bytes`
  // bytes, to write on after them. Throws IoError when it is missing or shorter.
  static AtomicFile reopen(std::filesystem::path final_path, std::uint64_t bytes);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  // Removes the temporary file unless it was committed.
  ~AtomicFile();

  // Throws IoError when the OS refuses the bytes (full disk, file size limit).
  void write(std::string_view bytes);
  // Flushes and closes the temporary file. After it only the rename is left,
  // which does not need free space, so a run can complete all files before renaming any.
  void close();
  // Renames the temporary file to its final name (closing it first if needed).
  void commit();
  // Closes and removes the temporary file; never throws.
  void discard() noexcept;
  // Flushes the bytes written so far to the disk (fsync), for a checkpoint that refers to them.
  void sync();
  // Closes the temporary file and leaves it on the disk (for `mercato resume`); never throws.
  void keep() noexcept;

  const std::filesystem::path& final_path() const { return final_path_; }
  const std::filesystem::path& partial_path() const { return partial_path_; }

  static std::filesystem::path partial_path_of(const std::filesystem::path& final_path);

 private:
  AtomicFile() = default;
  [[noreturn]] void fail(std::string_view action, int error_number);

  std::filesystem::path final_path_;
  std::filesystem::path partial_path_;
  std::FILE* file_ = nullptr;
  bool settled_ = false;  // committed or discarded: nothing left to clean up
};

}  // namespace mercato::io
