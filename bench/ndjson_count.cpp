// ndjson_count: the reference program of bench/parse_bench.sh — a bare simdjson NDJSON document
// count, the yardstick SPEC §11 measures chorus-parse against.
//
// What it does, and nothing more: reads FILE (or standard input for "-") in chunks into one reused,
// padded buffer; hands each chunk, cut after its last newline, to the On-Demand parser's
// iterate_many (stage 1 finds every structural character of a batch, then the documents are visited
// one by one); for every document reads the string field "id" — the first field of a canonical
// event, so the lookup is one key comparison — and prints the number of documents. Reading "id" is
// the least work that proves each document was parsed as an object: the id lengths are summed and
// checked, so the compiler cannot skip the walk. A parse error, a document that is not an object, a
// missing or non-string "id", or a document spread over several lines is an error.
//
// Why chunks and not simdjson::padded_string::load: loading 1 GB whole means faulting in 1 GB of
// fresh pages, which on a virtual machine can take far longer than the parse (on the machine in
// bench/README.md: 3.2 s to load and 0.75 s to parse whole, against 0.35 s in all in 4 MiB chunks,
// which also stay in cache). A streaming tool never pays that, and the reference should measure
// simdjson, not the kernel's page allocator; a slow reference would flatter chorus-parse.
//
// simdjson's lookahead thread is off by default: the benchmark runs on one core, where a second
// thread only adds context switches. --threaded turns it back on.
//
// Exit status: 0 success, 1 a JSON error in FILE, 2 usage or I/O error.

#include <simdjson.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

namespace {

constexpr int exit_success = 0;
constexpr int exit_data_error = 1;
constexpr int exit_usage = 2;

constexpr const char *usage =
    "usage: ndjson_count [--batch-size BYTES] [--chunk-size BYTES] [--threaded] [--verbose] FILE\n";

// Stage 1 runs in libsimdjson, dispatched at run time to the best kernel of the CPU; the On-Demand
// walk is compiled into this file, for the kernel the compiler flags allow (fallback unless -march
// or -mavx2 and friends say more). --verbose prints both.
#define NDJSON_COUNT_STRINGIFY_(x) #x
#define NDJSON_COUNT_STRINGIFY(x) NDJSON_COUNT_STRINGIFY_(x)
constexpr const char *on_demand_kernel = NDJSON_COUNT_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION);

int usage_error(const char *message) {
    std::fprintf(stderr, "ndjson_count: %s\n%s", message, usage);
    return exit_usage;
}

bool parse_size(const char *text, size_t &size) {
    char *end = nullptr;
    errno = 0;
    unsigned long long value = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value == 0) return false;
    size = static_cast<size_t>(value);
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    size_t batch_size = size_t{1} << 20;   // 1 MiB: a batch's index stays in L2; events are far smaller
    size_t chunk_size = size_t{4} << 20;   // 4 MiB per read(2): 1-4 MiB measured alike, 16 MiB slower
    bool threaded = false;
    bool verbose = false;
    const char *path = nullptr;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--batch-size" || arg == "--chunk-size") {
            if (i + 1 == argc || !parse_size(argv[++i], arg == "--batch-size" ? batch_size : chunk_size)) {
                return usage_error("--batch-size and --chunk-size need a positive number of bytes");
            }
        } else if (arg == "--threaded") {
            threaded = true;
        } else if (arg == "--verbose" || arg == "-v") {
            verbose = true;
        } else if (arg == "--help" || arg == "-h") {
            std::fputs(usage, stdout);
            return exit_success;
        } else if (arg.size() > 1 && arg[0] == '-') {
            return usage_error("unknown option");
        } else if (path == nullptr) {
            path = argv[i];
        } else {
            return usage_error("one FILE only");
        }
    }
    if (path == nullptr) return usage_error("missing FILE");

    int fd = std::strcmp(path, "-") == 0 ? STDIN_FILENO : ::open(path, O_RDONLY);
    if (fd < 0) {
        std::fprintf(stderr, "ndjson_count: %s: %s\n", path, std::strerror(errno));
        return exit_usage;
    }
    simdjson::ondemand::parser parser;
#ifdef SIMDJSON_THREADS_ENABLED
    parser.threaded = threaded;
#else
    (void)threaded;
#endif
    auto start = std::chrono::steady_clock::now();
    // iterate_many needs SIMDJSON_PADDING readable bytes after the input it is given.
    std::vector<char> buffer(chunk_size + simdjson::SIMDJSON_PADDING);
    size_t held = 0;  // bytes in buffer: the unfinished line of the last chunk, then new input
    uint64_t bytes = 0;
    uint64_t count = 0;
    uint64_t id_bytes = 0;
    for (bool eof = false; !eof;) {
        size_t room = buffer.size() - simdjson::SIMDJSON_PADDING - held;
        if (room == 0) {  // one line fills the buffer: grow it (simdjson will then refuse the
                          // document unless --batch-size is raised to match)
            buffer.resize(2 * buffer.size());
            continue;
        }
        ssize_t got = ::read(fd, buffer.data() + held, room);
        if (got < 0) {
            if (errno == EINTR) continue;
            std::fprintf(stderr, "ndjson_count: %s: %s\n", path, std::strerror(errno));
            return exit_usage;
        }
        eof = got == 0;
        bytes += static_cast<uint64_t>(got);
        held += static_cast<size_t>(got);
        // Parse up to the last newline; at the end of the input, whatever is left.
        size_t whole = held;
        if (!eof) {
            const void *newline = ::memrchr(buffer.data(), '\n', held);
            if (newline == nullptr) continue;
            whole = static_cast<size_t>(static_cast<const char *>(newline) - buffer.data()) + 1;
        }
        simdjson::ondemand::document_stream docs;
        auto error = parser.iterate_many(buffer.data(), whole, batch_size).get(docs);
        for (auto it = docs.begin(); !error && it != docs.end(); ++it) {
            simdjson::ondemand::document_reference doc;
            std::string_view id;
            error = (*it).get(doc);
            if (!error) error = doc["id"].get_string().get(id);
            if (error) break;
            id_bytes += id.size();
            ++count;
        }
        if (!error && docs.truncated_bytes() != 0) error = simdjson::INCOMPLETE_ARRAY_OR_OBJECT;
        if (error) {
            std::fprintf(stderr, "ndjson_count: %s: after document %llu: %s\n", path,
                         static_cast<unsigned long long>(count), simdjson::error_message(error));
            return exit_data_error;
        }
        std::memmove(buffer.data(), buffer.data() + whole, held - whole);
        held -= whole;
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    // Every canonical event has a non-empty id; checking the sum keeps the id reads live.
    if (count != 0 && id_bytes == 0) {
        std::fprintf(stderr, "ndjson_count: %s: every id is empty\n", path);
        return exit_data_error;
    }
    std::printf("%llu\n", static_cast<unsigned long long>(count));
    if (verbose) {
        std::fprintf(stderr,
                     "ndjson_count: %llu bytes, %llu documents, %llu id bytes in %.3f s (%.0f MB/s); "
                     "stage 1 kernel %s, On-Demand kernel %s, batch %zu, chunk %zu, %s\n",
                     static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(count),
                     static_cast<unsigned long long>(id_bytes), seconds,
                     static_cast<double>(bytes) / 1e6 / seconds,
                     simdjson::get_active_implementation()->name().c_str(), on_demand_kernel, batch_size,
                     chunk_size, threaded ? "threaded" : "one thread");
    }
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        std::fprintf(stderr, "ndjson_count: write error: %s\n", std::strerror(errno));
        return exit_usage;
    }
    return exit_success;
}
