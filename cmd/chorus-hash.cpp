// chorus-hash — canonical events to marks: one line per (event, fingerprint
// key), the input of chorus-join. Flags, then one EventParser over every input
// with a Fingerprinter as its sink, then the summary and a named exit status.
// See man/chorus-hash.1.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "diagnostics.hpp"
#include "event_parser.hpp"
#include "exit_status.hpp"
#include "field_map.hpp"
#include "fingerprint.hpp"
#include "output.hpp"
#include "parse_report.hpp"
#include "progress.hpp"
#include "stream_header.hpp"

using namespace chorus;

namespace {

std::string mebibytes(size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  restore_sigpipe();
  CommandLine cli("chorus-hash", "Turn canonical events into marks: one line per (event, fingerprint key).");
  CommonOptions common;
  cli.add_common(common);
  std::string signals = "all", exclude, near_memory = "1G", labels_path, max_line = "16M";
  FingerprintOptions fp;
  bool strict = false;
  int64_t max_errors = -1;
  auto& app = cli.app();
  app.add_option("-s,--signals", signals,
                 "Signals to compute, comma-separated: share, reply, text, near, url, domain, tag, tagseq, mention, "
                 "media, or all")
      ->type_name("LIST")
      ->capture_default_str();
  app.add_option("-x,--exclude", exclude, "Signals to leave out (same names)")->type_name("LIST");
  app.add_option("--min-tokens", fp.min_tokens, "Words a normalised text needs for its text: and near: keys")
      ->type_name("N")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--near-threshold", fp.near.threshold,
                 "Least Jaccard similarity of the word 3-shingle sets of near-duplicate texts")
      ->type_name("J")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  app.add_option("--near-memory", near_memory, "Memory bound of the near-duplicate index (k, M, G suffixes)")
      ->type_name("BYTES")
      ->capture_default_str();
  app.add_option("--media-distance", fp.media.max_distance,
                 "Hamming distance within which two phash: media hashes are the same picture (0 to 12)")
      ->type_name("N")
      ->check(CLI::Range(0u, 12u))
      ->capture_default_str();
  app.add_option("--labels", labels_path, "Write a readable label for each key to FILE")->type_name("FILE");
  app.add_flag("--strict", strict, "Stop at the first bad record (exit status 1)");
  app.add_option("--max-errors", max_errors, "Stop with exit status 1 after more than N bad records (default: no limit)")
      ->type_name("N");
  app.add_option("--max-line", max_line, "Longest record accepted, in bytes (k, M, G suffixes)")
      ->type_name("BYTES")
      ->capture_default_str();
  cli.parse(argc, argv);

  Diagnostics diag(cli.prog());
  auto on = parse_signal_list(signals);
  if (!on) cli.usage_error("--signals: " + on.status().message());
  fp.signals = *on;
  if (!exclude.empty()) {
    auto off = parse_signal_list(exclude);
    if (!off) cli.usage_error("--exclude: " + off.status().message());
    fp.signals &= ~*off;
  }
  if (fp.signals == 0) cli.usage_error("no signal left to compute");
  auto near_bytes = parse_bytes(near_memory);
  if (!near_bytes) cli.usage_error("--near-memory: " + near_bytes.status().message());
  fp.near.max_memory = *near_bytes;
  auto line_limit = parse_bytes(max_line);
  if (!line_limit || *line_limit == 0)
    cli.usage_error("--max-line: " + (line_limit ? "must be positive" : line_limit.status().message()));
  fp.labels = !labels_path.empty();
  if (Status st = validate(fp); !st) cli.usage_error(st.message());
  if (common.inputs.empty()) common.inputs.push_back("-");
  ParseOptions opt;
  opt.map = *preset("canonical");
  opt.max_line = *line_limit;
  auto outs = open_outputs({common.output, labels_path}, common.inputs);
  if (!outs) {
    diag.error(outs.status().message());
    return kExitUsageError;
  }
  std::unique_ptr<OutputStream> out = std::move((*outs)[0]), labels = std::move((*outs)[1]);
  if (labels) labels->write(format_stream_header("labels", 1, "{}"));
  Fingerprinter fingerprinter(fp, labels.get());
  out->write(format_stream_header("marks", 1, fingerprinter.parameters_json()));

  Progress progress(diag, progress_wanted(common), "events");
  BadRecordPolicy policy{strict, max_errors};
  EventParser parser(
      std::move(opt), *out, report_bad_records(diag, policy),
      [&](const ParseStats& s) { progress.update_block(s.records, s.bytes); }, &fingerprinter);
  int status = parse_inputs(parser, common.inputs, diag);
  progress.finish();
  for (OutputStream* o : {out.get(), labels.get()}) {
    if (!o) continue;
    if (Status st = o->close(); !st) {
      diag.error(st.message());
      return kExitUsageError;
    }
  }
  const ParseStats& s = parser.stats();
  if (!common.quiet) {
    if (std::string summary = skip_summary(s, parser.stopped()); !summary.empty()) diag.note(summary);
    const NearDuplicateIndex& near = fingerprinter.near_index();
    if (near.frozen())
      diag.warning("the near-duplicate index reached --near-memory (" + mebibytes(fp.near.max_memory) + "): " +
                   std::to_string(near.overflow()) + " texts after it got a near: key of their own");
    const MediaIndex& media = fingerprinter.media_index();
    if (media.frozen())
      diag.warning("the media index reached its memory bound: " + std::to_string(media.overflow()) +
                   " perceptual hashes after it got a media: key of their own");
  }
  if (status != kExitSuccess) return status;
  return data_exit_status(s, policy);
}
