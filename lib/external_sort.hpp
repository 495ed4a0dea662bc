// external_sort.hpp — an external merge sort of byte-string records within a
// memory budget: chorus-join sorts its marks and co-actions with it (SPEC §8,
// "grouping steps take --memory and spill sorted runs to $TMPDIR beyond it").
//
// Order: ascending memcmp order, a shorter record first on a common prefix;
// equal records keep their input order (stable). Records are any bytes ('\n'
// and '\0' included), up to 4 GiB each. The order is a total one (bytes, then
// input position), so the output is the same whatever the memory budget, the
// fan-in or the number of runs — chorus-join's "same output whatever
// --memory" rests on this.
//
// How (details in external_sort.cpp): records are copied into one arena; an
// index of (8-byte big-endian prefix, offset, length) grows down from the
// arena's other end. When the next record would not fit, the index is sorted
// (by the prefixes, then 8 bytes further along within groups that tie) and
// the records are written, in order, as a run. A record that does not fit an
// empty arena is written alone as its own run, straight from the caller's
// bytes. If nothing was spilled, next() walks the sorted index: no temporary
// file at all. Otherwise the last records are spilled too, the arena is let
// go, and the runs are merged (a heap over run readers, ties to the earlier
// run), `merge_fan_in` at a time, in passes, until one merge feeds next().
//
// Speed, measured (2-core VM, under load): 10 M records of 76 bytes, 64 MiB
// budget, 16 runs: 3 s of CPU to add, sort, spill, merge and read them all.
//
// Temporary files: made with mkstemp in `temp_dir` and unlinked at once, so
// nothing is left behind, even by a killed process; the disk space comes back
// when the sorter lets go of the file. The runs written in one pass share one
// file. A run is a sequence of records, each an unsigned LEB128 length and
// then the bytes; a run is known by its offset and size in its file (this
// format lives only as long as the sorter: no version).
//
// Memory: peak_memory() counts the arena's records and index, the write
// buffer, the merge's read buffers and bookkeeping, and any record held
// whole. It stays at most max(memory, kMemoryFloor), except that during a
// merge a record longer than a read buffer (max(64 KiB, memory / (2 *
// fan-in))) is held whole on top, while it is one of the records being
// compared. Below the floor the sorter still needs two 64 KiB read buffers and
// a 64 KiB write buffer; the fan-in is lowered (to 2 at least) so that the
// read buffers take at most half of the budget. The arena is mapped, not
// allocated: only the pages used become resident (an arena of 64 MiB or more
// uses 2 MiB huge pages: up to 4 MiB resident beyond the count).
//
// Errors are returned, never printed: a temporary file that cannot be made,
// written or read, naming the file. After an error the sorter is spent:
// every later call returns the same error.
//
// Thread-safety: none; one sorter per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "status.hpp"

namespace chorus {

struct ExternalSortOptions {
  size_t memory = size_t{256} << 20;  // bytes of records (plus bookkeeping) held before a run is spilled
  std::string temp_dir;               // where runs go; empty: $TMPDIR, else /tmp
  unsigned merge_fan_in = 64;         // runs merged at once (2 at least); more runs are merged in passes
};

class ExternalSorter {
 public:
  // peak_memory() <= max(memory, kMemoryFloor), records longer than a merge
  // read buffer aside (see above).
  static constexpr size_t kMemoryFloor = size_t{256} << 10;

  explicit ExternalSorter(ExternalSortOptions options);
  ~ExternalSorter();  // closes its temporary files (already unlinked): always removed
  ExternalSorter(const ExternalSorter&) = delete;
  ExternalSorter& operator=(const ExternalSorter&) = delete;

  // Lowers the budget to `bytes` (never above the one given at construction;
  // at least kMemoryFloor / 2 for records): from the next add() on, the
  // records held in memory stop there. For a caller whose own tables grow
  // with the input and share the budget with the sorter.
  void set_memory(size_t bytes);

  // Adds one record. Spills a sorted run when the memory budget would be
  // passed. Error: a temporary file that cannot be made or written (disk
  // full), named; add() after finish().
  Status add(std::string_view record);

  // Ends the input; after it, next() returns the records in order. Merges
  // runs in passes while there are more than the fan-in. Error: as add(),
  // and a failed read.
  Status finish();

  // The next record, or nullopt at the end. The view stays valid until the
  // next call to next() (or the sorter's end). Error: a failed read or a
  // damaged run; next() before finish().
  Result<std::optional<std::string_view>> next();

  uint64_t records() const { return records_; }              // records added
  uint64_t runs_spilled() const { return runs_spilled_; }    // sorted runs written from memory
  uint64_t bytes_spilled() const { return bytes_spilled_; }  // bytes written to temporary files, merge passes too
  size_t peak_memory() const { return peak_; }                // the most bytes held at once

 private:
  struct Entry;
  struct TempFile;
  struct Run;
  class Writer;
  class Merger;

  Status fail(Status s);
  void hold(size_t bytes);
  void release(size_t bytes);
  Status map_arena();
  Status spill();
  Status spill_alone(std::string_view record);
  Status ensure_writer();
  Entry* index() const;
  void sort_index();
  Status merge_passes();

  ExternalSortOptions opt_;
  size_t write_buffer_;  // bytes of the run writer's buffer
  size_t arena_cap_;     // bytes of the arena (records at the front, index at the back)
  size_t arena_limit_ = SIZE_MAX;  // set_memory(): spill before the arena holds more
  unsigned fan_in_;      // runs merged at once, lowered for a small budget
  size_t read_buffer_;   // bytes of each merge read buffer

  char* arena_ = nullptr;  // mmap'ed, arena_cap_ bytes
  size_t arena_used_ = 0;  // record bytes at the front
  size_t index_count_ = 0;  // entries at the back

  std::unique_ptr<Writer> writer_;
  std::vector<Run> runs_;                   // spilled runs, in input order
  std::unique_ptr<Merger> merger_;          // the final merge, when something was spilled
  size_t next_entry_ = 0;                   // the in-memory walk, when nothing was

  bool finished_ = false;
  Status failed_;
  uint64_t records_ = 0;
  uint64_t runs_spilled_ = 0;
  uint64_t bytes_spilled_ = 0;
  size_t held_ = 0;
  size_t peak_ = 0;
};

}  // namespace chorus
