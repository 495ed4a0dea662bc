// chorus-gen — seeded synthetic activity with planted influence networks and
// their ground truth (man/chorus-gen.1).
#include <memory>
#include <string>
#include <tuple>

#include "cli.hpp"
#include "diagnostics.hpp"
#include "exit_status.hpp"
#include "gen.hpp"
#include "output.hpp"
#include "progress.hpp"

namespace {

// Opens `path`, runs `write` on it, closes it; false (reported) on any error.
template <typename Write>
bool write_file(chorus::Diagnostics& diag, const std::string& path, Write write) {
  auto out = chorus::OutputStream::open(path);
  if (!out.ok()) {
    diag.error(out.status().message());
    return false;
  }
  write(**out);
  chorus::Status closed = (*out)->close();
  if (!closed.ok()) diag.error(closed.message());
  return closed.ok();
}

}  // namespace

int main(int argc, char** argv) {
  chorus::restore_sigpipe();
  chorus::CommandLine cli("chorus-gen", "Generate synthetic social-media activity with planted influence networks.");
  chorus::CommonOptions opts;
  chorus::GenConfig cfg;
  std::string events = "100k", accounts, sizes = "10-40", tactics = "all", start = "2024-01-01T00:00:00Z";
  std::string accounts_out, truth_out, campaigns_out;
  std::string networks;
  auto& app = cli.app();
  app.add_option("-n,--events", events, "Number of events (suffixes k, M, G)")->type_name("N")->capture_default_str();
  app.add_option("--accounts", accounts, "Number of accounts [default: events/50, 1000..5M]")->type_name("N");
  app.add_option("--networks", networks, "Number of planted networks [default: one per tactic]")->type_name("N");
  app.add_option("--network-size", sizes, "Accounts per network: N or MIN-MAX")->type_name("N|MIN-MAX")->capture_default_str();
  app.add_option("--tactics", tactics,
                 "Comma-separated: copy-paste, link-amplification, share-ring, paraphrase, hashtag-chain, "
                 "state-media, or all")
      ->type_name("LIST")
      ->capture_default_str();
  app.add_option("--seed", cfg.seed, "Seed of every random choice")->type_name("N")->capture_default_str();
  app.add_option("--start", start, "Start of the time span (RFC 3339)")->type_name("TIME")->capture_default_str();
  app.add_option("--days", cfg.days, "Length of the time span in days (fractions allowed)")->type_name("D")->capture_default_str();
  app.add_option("--accounts-out", accounts_out, "Write the account profiles (JSON-lines) to FILE")->type_name("FILE");
  app.add_option("--truth-out", truth_out, "Write the ground truth (CSV account,network,tactic) to FILE")
      ->type_name("FILE");
  app.add_option("--campaigns-out", campaigns_out,
                 "Write the event-level ground truth (CSV event,network,tactic,campaign,role) to FILE")
      ->type_name("FILE");
  cli.add_common(opts, /*with_inputs=*/false);
  cli.parse(argc, argv);

  auto count = chorus::parse_count(events);
  if (!count.ok()) cli.usage_error("--events: " + count.status().message());
  cfg.events = *count;
  if (!accounts.empty()) {
    auto n = chorus::parse_count(accounts);
    if (!n.ok() || *n == 0) cli.usage_error("--accounts: " + (n.ok() ? "must be positive" : n.status().message()));
    cfg.accounts = *n;
  }
  if (!networks.empty()) {
    auto n = chorus::parse_count(networks);
    if (!n.ok() || *n > 1000) cli.usage_error("--networks: " + (n.ok() ? "at most 1000" : n.status().message()));
    cfg.networks = static_cast<uint32_t>(*n);
  }
  auto range = chorus::parse_size_range(sizes);
  if (!range.ok()) cli.usage_error("--network-size: " + range.status().message());
  std::tie(cfg.network_size_min, cfg.network_size_max) = *range;
  auto list = chorus::parse_tactics(tactics);
  if (!list.ok()) cli.usage_error("--tactics: " + list.status().message());
  cfg.tactics = *list;
  auto t = chorus::parse_timestamp(start);
  if (!t.ok()) cli.usage_error("--start: " + t.status().message());
  cfg.start = *t;
  if (auto s = chorus::resolve(cfg); !s.ok()) cli.usage_error(s.message());

  chorus::Diagnostics diag(cli.prog());
  chorus::Generator gen(cfg);
  if (!truth_out.empty() &&
      !write_file(diag, truth_out, [&](chorus::OutputStream& out) { chorus::write_truth_csv(gen, out); }))
    return chorus::kExitUsageError;
  if (!accounts_out.empty() &&
      !write_file(diag, accounts_out, [&](chorus::OutputStream& out) { chorus::write_accounts_jsonl(gen, out); }))
    return chorus::kExitUsageError;
  // The campaigns are written alongside the events, in the same run.
  std::unique_ptr<chorus::OutputStream> campaigns;
  if (!campaigns_out.empty()) {
    auto c = chorus::OutputStream::open(campaigns_out);
    if (!c.ok()) {
      diag.error(c.status().message());
      return chorus::kExitUsageError;
    }
    campaigns = std::move(*c);
  }
  chorus::Progress progress(diag, chorus::progress_wanted(opts), "events");
  uint64_t written = 0;
  bool ok = write_file(diag, opts.output, [&](chorus::OutputStream& out) {
    written = chorus::write_events_jsonl(gen, out, &progress, campaigns.get());
  });
  progress.finish();
  if (campaigns) {
    chorus::Status closed = campaigns->close();
    if (!closed.ok()) diag.error(closed.message());
    ok = ok && closed.ok();
  }
  if (!ok) return chorus::kExitUsageError;
  if (chorus::progress_wanted(opts))
    diag.note(std::to_string(written) + " events, " + std::to_string(gen.account_count()) + " accounts, " +
              std::to_string(cfg.networks.value_or(0)) + " planted networks");
  return chorus::kExitSuccess;
}
