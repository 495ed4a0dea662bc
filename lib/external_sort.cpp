// external_sort.cpp — see external_sort.hpp for what it does and promises.
//
// Why it is built this way:
//  - One mapping holds the records and their index, records growing up from
//    the start and index entries down from the end: the budget is spent on
//    both in whatever proportion the record lengths ask, with no vector
//    doubling (which would hold the old and the new copy at once), and only
//    touched pages become resident, so a small input costs little whatever
//    the budget. MAP_NORESERVE: the budget is a ceiling, not a reservation.
//  - The index is sorted with std::sort, not std::stable_sort: stable_sort
//    allocates a buffer of half the index behind the budget's back. Stability
//    comes from the key instead: two equal records compare by their offset in
//    the arena, which grows in input order, so the order is total and the
//    unstable sort gives the stable result.
//  - Each entry carries 8 of the record's bytes as a big-endian integer,
//    zero-padded: comparing those integers agrees with memcmp-then-length, so
//    the sort compares integers, not records. Groups that tie are sorted again
//    on the next 8 bytes (see sort_entries): records sharing a long key (the
//    usual case in chorus-join, many records to a key) then cost a memory
//    access per record and 8 bytes, where memcmp on the records would cost
//    two cache misses per comparison (10 M records of 76 bytes, 1,000 to a
//    32-byte key, sorted in memory: 8.4 s of CPU with memcmp, 3.7 s so).
//  - Runs are merged only in consecutive groups, and the merge breaks ties by
//    the run's place in the group: a run always holds a consecutive stretch of
//    the input, so the earlier run holds the earlier record. A pass merges no
//    more than it must to leave `fan-in` runs for the final merge.
#include "external_sort.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace chorus {

namespace {

constexpr size_t kMinBuffer = size_t{64} << 10;       // the least read or write buffer
constexpr size_t kMaxWriteBuffer = size_t{1} << 20;   // the run writer's buffer, at most
constexpr size_t kMaxVarint = 10;                     // bytes of a LEB128 uint64
constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kHugeArena = size_t{64} << 20;       // arenas this large use huge pages

// The first 8 bytes, big-endian, zero-padded: a < b as integers implies the
// records compare the same way; equal integers say nothing beyond byte 8
// (or the shorter length).
inline uint64_t prefix_of(const char* p, size_t n) {
  uint64_t v = 0;
  if (n >= 8) {
    std::memcpy(&v, p, 8);
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    return v;
  }
  for (size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<unsigned char>(p[i])} << (56 - 8 * i);
  return v;
}

// memcmp order, the shorter first on a common prefix; 0 for equal records.
inline int compare_records(uint64_t pa, const char* a, size_t na, uint64_t pb, const char* b, size_t nb) {
  if (pa != pb) return pa < pb ? -1 : 1;
  size_t n = std::min(na, nb);
  if (n > 8) {
    if (int c = std::memcmp(a + 8, b + 8, n - 8); c != 0) return c;
  }
  return na < nb ? -1 : (na > nb ? 1 : 0);
}

inline size_t put_varint(char* out, uint64_t v) {
  size_t k = 0;
  while (v >= 0x80) {
    out[k++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out[k++] = static_cast<char>(v);
  return k;
}

// Decodes a LEB128 length from [p, end): the bytes used, or 0 when it is
// incomplete or longer than 10 bytes.
inline size_t get_varint(const char* p, const char* end, uint64_t* v) {
  uint64_t x = 0;
  for (size_t k = 0; k < kMaxVarint && p + k < end; ++k) {
    auto b = static_cast<unsigned char>(p[k]);
    x |= uint64_t{b & 0x7fu} << (7 * k);
    if (b < 0x80) {
      *v = x;
      return k + 1;
    }
  }
  return 0;
}

}  // namespace

struct ExternalSorter::Entry {
  uint64_t prefix;
  uint64_t offset;  // in the arena; grows with input order
  uint64_t len;
};

// A temporary file, unlinked as soon as it is made: it disappears when its
// descriptor is closed, or when the process dies.
struct ExternalSorter::TempFile {
  int fd = -1;
  std::string path;   // the name it had, for messages
  uint64_t size = 0;  // bytes written so far

  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
  }

  static Result<std::shared_ptr<TempFile>> make(const std::string& dir) {
    std::string name = dir;
    if (name.empty() || name.back() != '/') name += '/';
    name += "chorus-sort-XXXXXX";
    auto f = std::make_shared<TempFile>();
    f->fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (f->fd < 0) return Status::error(dir + ": cannot make a temporary file: " + std::strerror(errno));
    f->path = name;
    if (::unlink(name.c_str()) != 0) return Status::error(name + ": cannot unlink: " + std::strerror(errno));
    return f;
  }

  Status read_fully(uint64_t at, char* out, size_t n) const {
    while (n > 0) {
      ssize_t got = ::pread(fd, out, n, static_cast<off_t>(at));
      if (got < 0) {
        if (errno == EINTR) continue;
        return Status::error(path + ": read error: " + std::strerror(errno));
      }
      if (got == 0) return Status::error(path + ": read error: unexpected end of file");
      out += got;
      at += static_cast<uint64_t>(got);
      n -= static_cast<size_t>(got);
    }
    return {};
  }
};

// A run: `bytes` bytes of `file` from `offset`, records in order.
struct ExternalSorter::Run {
  std::shared_ptr<TempFile> file;
  uint64_t offset = 0;
  uint64_t bytes = 0;
};

// Appends records to a temporary file through one buffer.
class ExternalSorter::Writer {
 public:
  Writer(size_t capacity, uint64_t* counter) : buf_(new char[capacity]), cap_(capacity), counter_(counter) {}

  void attach(std::shared_ptr<TempFile> file) { file_ = std::move(file); }
  const std::shared_ptr<TempFile>& file() const { return file_; }
  uint64_t position() const { return file_->size + fill_; }

  Status record(const char* data, size_t n) {
    char len[kMaxVarint];
    if (Status s = put(len, put_varint(len, n)); !s) return s;
    return put(data, n);
  }

  Status flush() {
    Status s = write_out(buf_.get(), fill_);
    fill_ = 0;
    return s;
  }

 private:
  Status put(const char* data, size_t n) {
    if (n <= cap_ - fill_) {
      std::memcpy(buf_.get() + fill_, data, n);
      fill_ += n;
      return {};
    }
    if (Status s = flush(); !s) return s;
    if (n >= cap_) return write_out(data, n);  // a long record goes straight from its bytes
    std::memcpy(buf_.get(), data, n);
    fill_ = n;
    return {};
  }

  Status write_out(const char* data, size_t n) {
    while (n > 0) {
      ssize_t put = ::write(file_->fd, data, n);
      if (put < 0) {
        if (errno == EINTR) continue;
        return Status::error(file_->path + ": write error: " + std::strerror(errno));
      }
      if (put == 0) return Status::error(file_->path + ": write error: nothing written");
      data += put;
      n -= static_cast<size_t>(put);
      file_->size += static_cast<uint64_t>(put);
      *counter_ += static_cast<uint64_t>(put);
    }
    return {};
  }

  std::unique_ptr<char[]> buf_;
  size_t cap_;
  size_t fill_ = 0;
  uint64_t* counter_;
  std::shared_ptr<TempFile> file_;
};

// Merges consecutive runs: a binary heap of readers, each with its own read
// buffer; the current record of each reader is a view into its buffer, or,
// when longer than the buffer, a block of its own held until the reader moves on.
class ExternalSorter::Merger {
 public:
  Merger(ExternalSorter& sorter, std::vector<Run> runs) : sorter_(sorter), runs_(std::move(runs)) {
    const size_t n = runs_.size();
    bookkeeping_ = n * (sizeof(Reader) + sizeof(Reader*) + sizeof(Run));
    buffers_.reset(new char[n * sorter_.read_buffer_]);
    sorter_.hold(n * sorter_.read_buffer_ + bookkeeping_);
    readers_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      Reader& r = readers_[i];
      r.order = i;
      r.pos = runs_[i].offset;
      r.end = runs_[i].offset + runs_[i].bytes;
      r.buf = buffers_.get() + i * sorter_.read_buffer_;
    }
  }

  Merger(const Merger&) = delete;
  Merger& operator=(const Merger&) = delete;

  ~Merger() {
    for (Reader& r : readers_) drop_long(r);
    sorter_.release(runs_.size() * sorter_.read_buffer_ + bookkeeping_);
  }

  // Reads every run's first record.
  Status start() {
    heap_.reserve(readers_.size());
    for (Reader& r : readers_) {
      Result<bool> more = advance(r);
      if (!more) return more.status();
      if (*more) heap_.push_back(&r);
    }
    for (size_t i = heap_.size() / 2; i-- > 0;) sift_down(i);
    return {};
  }

  // The next record into *out; false at the end. The view lasts until the next call.
  Result<bool> next(std::string_view* out) {
    if (pending_) {
      Result<bool> more = advance(*pending_);
      if (!more) return more.status();
      if (!*more) {
        heap_.front() = heap_.back();
        heap_.pop_back();
      }
      pending_ = nullptr;
      if (!heap_.empty()) sift_down(0);
    }
    if (heap_.empty()) return false;
    pending_ = heap_.front();
    *out = std::string_view(pending_->data, pending_->len);
    return true;
  }

 private:
  struct Reader {
    size_t order = 0;            // place in the group: ties go to the lower
    uint64_t pos = 0, end = 0;   // the run's bytes not yet read into buf
    char* buf = nullptr;         // read_buffer_ bytes; unread bytes are [head, tail)
    size_t head = 0, tail = 0;
    std::unique_ptr<char[]> long_record;  // a current record longer than buf
    size_t long_len = 0;
    const char* data = nullptr;  // the current record
    size_t len = 0;
    uint64_t prefix = 0;
  };

  static bool before(const Reader* a, const Reader* b) {
    int c = compare_records(a->prefix, a->data, a->len, b->prefix, b->data, b->len);
    return c < 0 || (c == 0 && a->order < b->order);
  }

  void sift_down(size_t i) {
    const size_t n = heap_.size();
    Reader* x = heap_[i];
    for (;;) {
      size_t c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && before(heap_[c + 1], heap_[c])) ++c;
      if (!before(heap_[c], x)) break;
      heap_[i] = heap_[c];
      i = c;
    }
    heap_[i] = x;
  }

  void drop_long(Reader& r) {
    if (!r.long_record) return;
    r.long_record.reset();
    sorter_.release(r.long_len);
    r.long_len = 0;
  }

  // Moves the unread bytes to the front of the buffer and reads more of the run.
  Status refill(Reader& r) {
    const size_t cap = sorter_.read_buffer_;
    if (r.head > 0) {
      std::memmove(r.buf, r.buf + r.head, r.tail - r.head);
      r.tail -= r.head;
      r.head = 0;
    }
    size_t n = static_cast<size_t>(std::min<uint64_t>(cap - r.tail, r.end - r.pos));
    if (Status s = file(r).read_fully(r.pos, r.buf + r.tail, n); !s) return s;
    r.pos += n;
    r.tail += n;
    return {};
  }

  const TempFile& file(const Reader& r) const { return *runs_[r.order].file; }

  Status damaged(const Reader& r) const {
    return Status::error(file(r).path + ": read error: damaged run at byte " + std::to_string(r.pos));
  }

  // The reader's next record; false at the end of its run.
  Result<bool> advance(Reader& r) {
    drop_long(r);
    if (r.tail - r.head < kMaxVarint && r.pos < r.end) {
      if (Status s = refill(r); !s) return s;
    }
    if (r.head == r.tail) return false;
    uint64_t len = 0;
    size_t k = get_varint(r.buf + r.head, r.buf + r.tail, &len);
    if (k == 0) return damaged(r);
    r.head += k;
    size_t avail = r.tail - r.head;
    if (len > avail + (r.end - r.pos)) return damaged(r);
    if (len <= avail) {
      r.data = r.buf + r.head;
      r.head += len;
    } else if (len <= sorter_.read_buffer_) {
      if (Status s = refill(r); !s) return s;
      r.data = r.buf;
      r.head = len;
    } else {
      // Longer than the buffer: a block of its own, what is buffered then the rest from the file.
      r.long_record.reset(new char[len]);
      r.long_len = len;
      sorter_.hold(len);
      std::memcpy(r.long_record.get(), r.buf + r.head, avail);
      if (Status s = file(r).read_fully(r.pos, r.long_record.get() + avail, len - avail); !s) return s;
      r.pos += len - avail;
      r.head = r.tail = 0;
      r.data = r.long_record.get();
    }
    r.len = len;
    r.prefix = prefix_of(r.data, r.len);
    return true;
  }

  ExternalSorter& sorter_;
  std::vector<Run> runs_;
  std::vector<Reader> readers_;
  std::vector<Reader*> heap_;
  std::unique_ptr<char[]> buffers_;
  size_t bookkeeping_ = 0;
  Reader* pending_ = nullptr;  // the reader whose record next() last returned
};

ExternalSorter::ExternalSorter(ExternalSortOptions options) : opt_(std::move(options)) {
  if (opt_.temp_dir.empty()) {
    const char* t = std::getenv("TMPDIR");
    opt_.temp_dir = (t != nullptr && *t != '\0') ? t : "/tmp";
  }
  const size_t m = opt_.memory;
  write_buffer_ = std::clamp(m / 16, kMinBuffer, kMaxWriteBuffer);
  arena_cap_ = (m > 2 * write_buffer_ ? m - write_buffer_ : m / 2) & ~size_t{7};
  size_t fan_in = std::max<size_t>(2, opt_.merge_fan_in);
  if (m / (2 * fan_in) < kMinBuffer) fan_in = std::max<size_t>(2, std::min(fan_in, m / (2 * kMinBuffer)));
  fan_in_ = static_cast<unsigned>(fan_in);
  read_buffer_ = std::max(kMinBuffer, m / (2 * fan_in));
}

void ExternalSorter::set_memory(size_t bytes) {
  // The arena is the part that may shrink; the buffers stay as they are.
  const size_t others = opt_.memory > arena_cap_ ? opt_.memory - arena_cap_ : 0;
  arena_limit_ = std::max(kMemoryFloor / 2, bytes > others ? bytes - others : 0);
}

ExternalSorter::~ExternalSorter() {
  merger_.reset();
  writer_.reset();
  runs_.clear();  // the last references to the temporary files: closed, and so gone
  if (arena_ != nullptr) ::munmap(arena_, arena_cap_);
}

Status ExternalSorter::fail(Status s) {
  failed_ = s;
  return s;
}

void ExternalSorter::hold(size_t bytes) {
  held_ += bytes;
  peak_ = std::max(peak_, held_);
}

void ExternalSorter::release(size_t bytes) { held_ -= bytes; }

ExternalSorter::Entry* ExternalSorter::index() const {
  return reinterpret_cast<Entry*>(arena_ + arena_cap_) - index_count_;
}

namespace {

// Bytes compared 8 at a time before sort_entries falls back to memcmp: a
// group of records equal that far (long duplicates) is sorted by comparing
// the records themselves.
constexpr uint64_t kMaxChunkDepth = 64;

// Sorts entries that share bytes [0, depth), each entry's prefix holding
// bytes [depth, depth + 8), zero-padded. Entries are ordered by that chunk,
// then by min(len, depth + 8) (a record that ends inside the chunk goes
// before one that goes on), then by offset (input order). A group equal in
// all of that and going on past the chunk gets the next 8 bytes loaded into
// its prefixes and is sorted again one level deeper: a group of records
// sharing a long key costs one memory access per record and level, not two
// per comparison.
template <typename Entry>
void sort_entries(Entry* first, Entry* last, const char* base, uint64_t depth) {
  const uint64_t chunk_end = depth + 8;
  if (depth >= kMaxChunkDepth) {
    std::sort(first, last, [base, depth](const Entry& a, const Entry& b) {
      // Both share bytes [0, depth) and are at least depth long.
      if (int c = std::memcmp(base + a.offset + depth, base + b.offset + depth, std::min(a.len, b.len) - depth); c != 0) {
        return c < 0;
      }
      return a.len != b.len ? a.len < b.len : a.offset < b.offset;
    });
    return;
  }
  std::sort(first, last, [chunk_end](const Entry& a, const Entry& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    uint64_t la = std::min(a.len, chunk_end), lb = std::min(b.len, chunk_end);
    return la != lb ? la < lb : a.offset < b.offset;
  });
  for (Entry* i = first; i != last;) {
    Entry* j = i + 1;
    if (i->len < chunk_end) {  // ended within the chunk: its equals are already in input order
      while (j != last && j->prefix == i->prefix && j->len == i->len) ++j;
    } else {
      while (j != last && j->prefix == i->prefix && j->len >= chunk_end) ++j;
      if (j - i > 1) {
        for (Entry* e = i; e != j; ++e) e->prefix = prefix_of(base + e->offset + chunk_end, e->len - chunk_end);
        sort_entries(i, j, base, chunk_end);
      }
    }
    i = j;
  }
}

}  // namespace

void ExternalSorter::sort_index() { sort_entries(index(), index() + index_count_, arena_, 0); }

// A large arena is 2 MiB-aligned and advised to use transparent huge pages:
// filling it then takes a page fault per 2 MiB instead of per 4 KiB (halving
// the time to take in 10 M records into a 1 GiB arena, measured), and the
// random accesses of the sort miss the TLB less. Resident memory may then pass
// what is counted by the two partly used huge pages at the ends, under 7 % of
// such an arena.
Status ExternalSorter::map_arena() {
  const bool huge = arena_cap_ >= kHugeArena;
  const size_t extra = huge ? kHugePage : 0;
  void* p = ::mmap(nullptr, arena_cap_ + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    return Status::error("cannot map " + std::to_string(arena_cap_) + " bytes to sort in: " + std::strerror(errno));
  }
  auto start = reinterpret_cast<uintptr_t>(p);
  if (huge) {
    // Keep the aligned part, give the ends back.
    uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
    if (aligned > start) ::munmap(p, aligned - start);
    if (size_t tail = start + arena_cap_ + extra - (aligned + arena_cap_); tail > 0) {
      ::munmap(reinterpret_cast<void*>(aligned + arena_cap_), tail);
    }
#ifdef MADV_HUGEPAGE
    ::madvise(reinterpret_cast<void*>(aligned), arena_cap_, MADV_HUGEPAGE);
#endif
    start = aligned;
  }
  arena_ = reinterpret_cast<char*>(start);
  return {};
}

Status ExternalSorter::ensure_writer() {
  if (writer_) return {};
  auto file = TempFile::make(opt_.temp_dir);
  if (!file) return file.status();
  writer_ = std::make_unique<Writer>(write_buffer_, &bytes_spilled_);
  writer_->attach(std::move(*file));
  hold(write_buffer_);
  return {};
}

Status ExternalSorter::add(std::string_view record) {
  if (!failed_.ok()) return failed_;
  if (finished_) return fail(Status::error("external sort: add() after finish()"));
  const size_t need = record.size() + sizeof(Entry);
  if (need > arena_cap_) {
    // It would not fit even an empty arena: spilled alone, after what came before it.
    if (index_count_ > 0) {
      if (Status s = spill(); !s) return fail(s);
    }
    if (Status s = spill_alone(record); !s) return fail(s);
    ++records_;
    return {};
  }
  if (arena_used_ + (index_count_ + 1) * sizeof(Entry) + record.size() > std::min(arena_cap_, arena_limit_)) {
    if (Status s = spill(); !s) return fail(s);
  }
  if (arena_ == nullptr) {
    if (Status s = map_arena(); !s) return fail(s);
  }
  if (!record.empty()) std::memcpy(arena_ + arena_used_, record.data(), record.size());
  ++index_count_;
  *index() = Entry{prefix_of(record.data(), record.size()), arena_used_, record.size()};
  arena_used_ += record.size();
  hold(need);
  ++records_;
  return {};
}

Status ExternalSorter::spill() {
  if (Status s = ensure_writer(); !s) return s;
  sort_index();
  const char* base = arena_;
  Entry* first = index();
  Entry* last = first + index_count_;
  const uint64_t start = writer_->position();
  for (Entry* e = first; e != last; ++e) {
    if (Status s = writer_->record(base + e->offset, e->len); !s) return s;
  }
  if (Status s = writer_->flush(); !s) return s;
  runs_.push_back(Run{writer_->file(), start, writer_->position() - start});
  ++runs_spilled_;
  release(arena_used_ + index_count_ * sizeof(Entry));
  arena_used_ = 0;
  index_count_ = 0;
  return {};
}

Status ExternalSorter::spill_alone(std::string_view record) {
  if (Status s = ensure_writer(); !s) return s;
  const uint64_t start = writer_->position();
  if (Status s = writer_->record(record.data(), record.size()); !s) return s;
  if (Status s = writer_->flush(); !s) return s;
  runs_.push_back(Run{writer_->file(), start, writer_->position() - start});
  ++runs_spilled_;
  return {};
}

Status ExternalSorter::merge_passes() {
  while (runs_.size() > fan_in_) {
    auto file = TempFile::make(opt_.temp_dir);
    if (!file) return file.status();
    writer_->attach(std::move(*file));
    std::vector<Run> merged;
    size_t excess = runs_.size() - fan_in_;  // runs to merge away before the final merge
    size_t i = 0;
    while (i < runs_.size()) {
      size_t group = excess == 0 ? 1 : std::min({size_t{fan_in_}, runs_.size() - i, excess + 1});
      if (group == 1) {
        merged.push_back(std::move(runs_[i++]));
        continue;
      }
      std::vector<Run> members(std::make_move_iterator(runs_.begin() + static_cast<ptrdiff_t>(i)),
                               std::make_move_iterator(runs_.begin() + static_cast<ptrdiff_t>(i + group)));
      i += group;
      excess -= group - 1;
      Merger merger(*this, std::move(members));
      if (Status s = merger.start(); !s) return s;
      const uint64_t start = writer_->position();
      std::string_view rec;
      for (;;) {
        Result<bool> more = merger.next(&rec);
        if (!more) return more.status();
        if (!*more) break;
        if (Status s = writer_->record(rec.data(), rec.size()); !s) return s;
      }
      if (Status s = writer_->flush(); !s) return s;
      merged.push_back(Run{writer_->file(), start, writer_->position() - start});
    }
    runs_ = std::move(merged);
  }
  return {};
}

Status ExternalSorter::finish() {
  if (!failed_.ok()) return failed_;
  if (finished_) return fail(Status::error("external sort: finish() called twice"));
  finished_ = true;
  if (runs_.empty()) {
    // Everything fits: sort the index and let next() walk it.
    if (index_count_ > 0) sort_index();
    return {};
  }
  if (index_count_ > 0) {
    if (Status s = spill(); !s) return fail(s);
  }
  if (arena_ != nullptr) {
    ::munmap(arena_, arena_cap_);
    arena_ = nullptr;
  }
  if (Status s = merge_passes(); !s) return fail(s);
  writer_.reset();
  release(write_buffer_);
  merger_ = std::make_unique<Merger>(*this, std::move(runs_));
  runs_.clear();
  if (Status s = merger_->start(); !s) return fail(s);
  return {};
}

Result<std::optional<std::string_view>> ExternalSorter::next() {
  using Next = std::optional<std::string_view>;
  if (!failed_.ok()) return failed_;
  if (!finished_) return fail(Status::error("external sort: next() before finish()"));
  if (merger_) {
    std::string_view rec;
    Result<bool> more = merger_->next(&rec);
    if (!more) return fail(more.status());
    return *more ? Next(rec) : Next();
  }
  if (next_entry_ == index_count_) return Next();
  const Entry& e = index()[next_entry_++];
  return Next(std::string_view(arena_ + e.offset, e.len));
}

}  // namespace chorus
