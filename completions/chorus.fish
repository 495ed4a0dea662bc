# fish completion for chorus(1) and its commands. Install as chorus.fish in a
# directory of $fish_complete_path, with chorus-parse.fish, chorus-hash.fish,
# chorus-join.fish, chorus-cluster.fish, chorus-score.fish, chorus-report.fish,
# chorus-gen.fish, chorus-eval.fish, chorus-policy.fish and chorus-track.fish
# as links to it (fish loads a file by command name).
#
# The flags are those of each command's --help; tests/scripts/docs_flags.sh
# fails when they differ, so add a flag here when you add it to a command.
# One flag per line: complete -c COMMAND [-s SHORT] -l LONG ...

# chorus COMMAND ...: the commands, then whatever chorus-COMMAND completes.
function __chorus_complete_command
    set -l tokens (commandline -opc)
    set -l args chorus-$tokens[2] $tokens[3..-1]
    complete -C (string join ' ' -- (string escape -- $args) (commandline -ct))
end

complete -c chorus -f
complete -c chorus -n __fish_use_subcommand -s h -l help -d 'Print the usage and the commands and exit'
complete -c chorus -n __fish_use_subcommand -l version -d 'Print the version and exit'
complete -c chorus -n __fish_use_subcommand -a parse -d 'Platform exports (JSON-lines, CSV) to canonical events'
complete -c chorus -n __fish_use_subcommand -a hash -d 'Canonical events to marks, their fingerprint keys'
complete -c chorus -n __fish_use_subcommand -a join -d 'Marks to co-action edges between accounts, with their evidence'
complete -c chorus -n __fish_use_subcommand -a cluster -d 'Edges to clusters: filters, significance, components or Leiden'
complete -c chorus -n __fish_use_subcommand -a score -d 'Clustered edges to scored networks, with a verdict and its reasons'
complete -c chorus -n __fish_use_subcommand -a report -d 'Networks to the transparency report: Markdown, HTML, JSON, GraphML, GEXF'
complete -c chorus -n __fish_use_subcommand -a gen -d 'Synthetic activity with planted networks, and its ground truth'
complete -c chorus -n __fish_use_subcommand -a eval -d 'Networks found against the ground truth: precision, recall, F1, ARI'
complete -c chorus -n __fish_use_subcommand -a policy -d 'Account profiles, events and networks to enforcement actions'
complete -c chorus -n __fish_use_subcommand -a track -d 'Today\'s networks matched to earlier runs: stable ids, returning accounts'
complete -c chorus -n __fish_use_subcommand -a run -d 'The whole pipeline on activity files, into one directory'
complete -c chorus -n __fish_use_subcommand -a demo -d 'Generate a data set, run the pipeline on it, print what was found'
complete -c chorus -n '__fish_seen_subcommand_from parse hash join cluster score report gen eval policy track' -a '(__chorus_complete_command)'

# chorus run (run by chorus itself)
complete -c chorus -n '__fish_seen_subcommand_from run' -s h -l help -d 'Print the options and exit'
complete -c chorus -n '__fish_seen_subcommand_from run' -l version -d 'Print the version and exit'
complete -c chorus -n '__fish_seen_subcommand_from run' -s o -l output -x -a '(__fish_complete_directories)' -d 'Directory for the streams and the networks'
complete -c chorus -n '__fish_seen_subcommand_from run' -s p -l preset -x -a 'canonical twitter-v1 twitter-v2 tiktok io-archive coortweet' -d 'Input schema'
complete -c chorus -n '__fish_seen_subcommand_from run' -s m -l map -x -d 'Field map FIELD=PATH'
complete -c chorus -n '__fish_seen_subcommand_from run' -l accounts -r -F -d 'Account profiles (JSON lines)'
complete -c chorus -n '__fish_seen_subcommand_from run' -s w -l window -x -d 'Co-action window (10s, 5m, 2h)'
complete -c chorus -n '__fish_seen_subcommand_from run' -l min-repeat -x -d 'Least distinct keys per edge'
complete -c chorus -n '__fish_seen_subcommand_from run' -l alpha -x -d 'Significance level of the null models'
complete -c chorus -n '__fish_seen_subcommand_from run' -l method -x -a 'components leiden' -d 'Clustering'
complete -c chorus -n '__fish_seen_subcommand_from run' -l seeds -r -F -d 'Start from these accounts'
complete -c chorus -n '__fish_seen_subcommand_from run' -l memory -x -d 'Memory for sorting (k, M, G)'
complete -c chorus -n '__fish_seen_subcommand_from run' -l state -x -a '(__fish_complete_directories)' -d 'Track the networks across runs in DIR'
complete -c chorus -n '__fish_seen_subcommand_from run' -l run -x -d 'Name of this run in the state'
complete -c chorus -n '__fish_seen_subcommand_from run' -l title -x -d 'The report title'
complete -c chorus -n '__fish_seen_subcommand_from run' -s q -l quiet -d 'No summaries from the steps'

# chorus demo (run by chorus itself)
complete -c chorus -n '__fish_seen_subcommand_from demo' -s h -l help -d 'Print the options and exit'
complete -c chorus -n '__fish_seen_subcommand_from demo' -l version -d 'Print the version and exit'
complete -c chorus -n '__fish_seen_subcommand_from demo' -s n -l events -x -d 'Events to generate (k, M)'
complete -c chorus -n '__fish_seen_subcommand_from demo' -l seed -x -d 'Seed of the generated data'
complete -c chorus -n '__fish_seen_subcommand_from demo' -l dir -x -a '(__fish_complete_directories)' -d 'Keep the files in DIR'
complete -c chorus -n '__fish_seen_subcommand_from demo' -l keep -d 'Keep all of the temporary directory'
complete -c chorus -n '__fish_seen_subcommand_from demo' -l no-browser -d 'Do not show the report in Chromium'

# chorus-parse
complete -c chorus-parse -s h -l help -d 'Print the options and exit'
complete -c chorus-parse -l version -d 'Print the version and exit'
complete -c chorus-parse -s o -l output -r -F -d 'Write the events to FILE (zstd if it ends in .zst)'
complete -c chorus-parse -l progress -d 'Show a progress line even when standard error is not a terminal'
complete -c chorus-parse -s q -l quiet -d 'Never show the progress line'
complete -c chorus-parse -s p -l preset -x -a 'canonical twitter-v1 twitter-v2 tiktok io-archive coortweet' -d 'Input schema'
complete -c chorus-parse -s m -l map -x -a 'id= account= ts= type= text= urls= hashtags= mentions= media= parent= lang= audience= platform= views= likes= handle= name= created= followers= following= country= state_affiliated= verified= profile_id=' -d 'Map a field to paths: FIELD=PATH'
complete -c chorus-parse -l format -x -a 'json csv' -d 'Input format, overriding the preset\'s'
complete -c chorus-parse -l platform -x -d 'Platform of records that name none'
complete -c chorus-parse -l accounts-out -r -F -d 'Write the account profiles to FILE'
complete -c chorus-parse -l keep-extra -d 'Keep the unmapped members in "extra"'
complete -c chorus-parse -l strict -d 'Stop at the first bad record'
complete -c chorus-parse -l max-errors -x -d 'Stop after more than N bad records'
complete -c chorus-parse -l max-line -x -d 'Longest record accepted, in bytes (k, M, G)'
complete -c chorus-parse -l list-presets -d 'Print every preset\'s field map and exit'

# chorus-hash
function __chorus_signals
    set -l done (string replace -r '[^,]*$' '' -- (commandline -ct))
    for s in share reply text near url domain tag tagseq mention media all
        echo $done$s
    end
end
complete -c chorus-hash -s h -l help -d 'Print the options and exit'
complete -c chorus-hash -l version -d 'Print the version and exit'
complete -c chorus-hash -s o -l output -r -F -d 'Write the marks to FILE (zstd if it ends in .zst)'
complete -c chorus-hash -l progress -d 'Show a progress line even when standard error is not a terminal'
complete -c chorus-hash -s q -l quiet -d 'No progress line and no summary'
complete -c chorus-hash -s s -l signals -x -a '(__chorus_signals)' -d 'Signals to compute (comma-separated)'
complete -c chorus-hash -s x -l exclude -x -a '(__chorus_signals)' -d 'Signals to leave out (comma-separated)'
complete -c chorus-hash -l min-tokens -x -d 'Words a normalised text needs for text: and near: keys'
complete -c chorus-hash -l near-threshold -x -d 'Jaccard similarity of near-duplicates, in (0,1]'
complete -c chorus-hash -l near-memory -x -d 'Memory bound of the near-duplicate index (k, M, G)'
complete -c chorus-hash -l media-distance -x -d 'Hamming distance of the same picture, 0..12 bits'
complete -c chorus-hash -l labels -r -F -d 'Write a readable label for every key to FILE'
complete -c chorus-hash -l strict -d 'Stop at the first bad record'
complete -c chorus-hash -l max-errors -x -d 'Stop after more than N bad records'
complete -c chorus-hash -l max-line -x -d 'Longest record accepted, in bytes (k, M, G)'

# chorus-join
complete -c chorus-join -s h -l help -d 'Print the options and exit'
complete -c chorus-join -l version -d 'Print the version and exit'
complete -c chorus-join -s o -l output -r -F -d 'Write the edges to FILE (zstd if it ends in .zst)'
complete -c chorus-join -l progress -d 'Show a progress line even when standard error is not a terminal'
complete -c chorus-join -s q -l quiet -d 'No progress line and no summary'
complete -c chorus-join -s w -l window -x -d 'Longest time between two co-actions (s, m, h, d)'
complete -c chorus-join -l weight -x -a 'coactions keys own-events' -d 'Edge weight'
complete -c chorus-join -l min-repeat -x -d 'Keep pairs that co-acted on at least N distinct keys'
complete -c chorus-join -l min-participation -x -d 'CooRTweet\'s rule: marks an account needs (0: off)'
complete -c chorus-join -l max-accounts -x -d 'Accounts in a window beyond which it is hot (0: no limit)'
complete -c chorus-join -l hot -x -a 'cap skip' -d 'What a hot window does'
complete -c chorus-join -l evidence -r -F -d 'Write the co-actions behind the edges to FILE'
complete -c chorus-join -l memory -x -d 'Memory for sorting (k, M, G)'
complete -c chorus-join -l temp-dir -x -a '(__fish_complete_directories)' -d 'Directory for spilled runs'
complete -c chorus-join -l sorted -d 'Input is sorted by key then time (LC_ALL=C sort)'
complete -c chorus-join -l shard -x -d 'Join only the keys of shard I of N: I/N'
complete -c chorus-join -l partial -d 'Write a partial stream for a later --merge'
complete -c chorus-join -l merge -d 'Inputs are partial streams: merge them into the edges'
complete -c chorus-join -l strict -d 'Stop at the first bad line'
complete -c chorus-join -l max-errors -x -d 'Stop after more than N bad lines'
complete -c chorus-join -l max-line -x -d 'Longest line accepted, in bytes (k, M, G)'

# chorus-cluster
complete -c chorus-cluster -s h -l help -d 'Print the options and exit'
complete -c chorus-cluster -l version -d 'Print the version and exit'
complete -c chorus-cluster -s o -l output -r -F -d 'Write the clustered edges to FILE (zstd if it ends in .zst)'
complete -c chorus-cluster -l progress -d 'Show a progress line even when standard error is not a terminal'
complete -c chorus-cluster -s q -l quiet -d 'No progress line and no summary'
complete -c chorus-cluster -l min-weight -x -d 'Keep edges of weight at least N'
complete -c chorus-cluster -l quantile -x -d 'Keep edges whose weight passes the Q quantile of the weights'
complete -c chorus-cluster -l quantile-rule -x -a 'gt ge' -d 'Keep weight > the quantile (gt, CooRTweet) or >= it (ge)'
complete -c chorus-cluster -l marks -r -F -d 'The marks the edges were joined from, for the null model'
complete -c chorus-cluster -l alpha -x -d 'Keep edges significant at level A against the null model'
complete -c chorus-cluster -l rounds -x -d 'Rounds of the null model'
complete -c chorus-cluster -l max-shift -x -d 'Largest shift of an account\'s activity (s, m, h, d)'
complete -c chorus-cluster -l method -x -a 'components leiden' -d 'Clustering method'
complete -c chorus-cluster -l resolution -x -d 'Leiden\'s resolution: higher gives smaller clusters'
complete -c chorus-cluster -l seed -x -d 'Seed of the null model\'s shifts and of Leiden'
complete -c chorus-cluster -l seeds -r -F -d 'Start from the accounts of FILE, one per line'
complete -c chorus-cluster -l hops -x -d 'With --seeds: how many edges out from a seed'
complete -c chorus-cluster -l min-size -x -d 'Drop clusters of fewer accounts'
complete -c chorus-cluster -l strict -d 'Stop at the first bad line'
complete -c chorus-cluster -l max-errors -x -d 'Stop after more than N bad lines'
complete -c chorus-cluster -l max-line -x -d 'Longest line accepted, in bytes (k, M, G)'

# chorus-gen
function __chorus_tactics
    set -l done (string replace -r '[^,]*$' '' -- (commandline -ct))
    for t in copy-paste link-amplification share-ring paraphrase hashtag-chain state-media all
        echo $done$t
    end
end
complete -c chorus-gen -f
complete -c chorus-gen -s h -l help -d 'Print the options and exit'
complete -c chorus-gen -l version -d 'Print the version and exit'
complete -c chorus-gen -s n -l events -x -d 'Number of events (k, M, G)'
complete -c chorus-gen -l accounts -x -d 'Number of accounts'
complete -c chorus-gen -l networks -x -d 'Number of planted networks'
complete -c chorus-gen -l network-size -x -d 'Accounts per network: N or MIN-MAX'
complete -c chorus-gen -l tactics -x -a '(__chorus_tactics)' -d 'Tactics to plant (comma-separated)'
complete -c chorus-gen -l seed -x -d 'Seed of every random choice'
complete -c chorus-gen -l start -x -d 'Start of the time span (RFC 3339)'
complete -c chorus-gen -l days -x -d 'Length of the time span in days'
complete -c chorus-gen -l accounts-out -r -F -d 'Write the account profiles to FILE'
complete -c chorus-gen -l truth-out -r -F -d 'Write the ground truth to FILE'
complete -c chorus-gen -l campaigns-out -r -F -d 'Write the event-level ground truth to FILE'
complete -c chorus-gen -s o -l output -r -F -d 'Write the events to FILE (zstd if it ends in .zst)'
complete -c chorus-gen -l progress -d 'Show a progress line even when standard error is not a terminal'
complete -c chorus-gen -s q -l quiet -d 'No progress line and no summary'

# chorus-eval
complete -c chorus-eval -s h -l help -d 'Print the options and exit'
complete -c chorus-eval -l version -d 'Print the version and exit'
complete -c chorus-eval -s o -l output -r -F -d 'Write the report to FILE (zstd if it ends in .zst)'
complete -c chorus-eval -l progress -d 'Show a progress line even when standard error is not a terminal'
complete -c chorus-eval -s q -l quiet -d 'No progress line and no summary'
complete -c chorus-eval -l truth -r -F -d 'Ground truth: CSV account,network,tactic'
complete -c chorus-eval -l verdict -x -a 'coordinated review any' -d 'Networks counted as flagged'
complete -c chorus-eval -l format -x -a 'table json' -d 'Output format'
complete -c chorus-eval -l json -r -F -d 'Also write the JSON line to FILE'
complete -c chorus-eval -l strict -d 'Stop at the first bad line'
complete -c chorus-eval -l max-errors -x -d 'Stop after more than N bad lines'
complete -c chorus-eval -l max-line -x -d 'Longest line accepted, in bytes (k, M, G)'

# chorus-score
complete -c chorus-score -s h -l help -d 'Print the options and exit'
complete -c chorus-score -l version -d 'Print the version and exit'
complete -c chorus-score -s o -l output -r -F -d 'Write the networks to FILE (zstd if it ends in .zst)'
complete -c chorus-score -l progress -d 'Show a progress line even when standard error is not a terminal'
complete -c chorus-score -s q -l quiet -d 'No progress line and no summary'
complete -c chorus-score -l evidence -r -F -d 'chorus-join\'s evidence: keys and events of each network'
complete -c chorus-score -l labels -r -F -d 'chorus-hash\'s labels: a readable label for each top key'
complete -c chorus-score -l accounts -r -F -d 'Account profiles (JSON lines)'
complete -c chorus-score -l events -r -F -d 'Canonical events (JSON lines)'
complete -c chorus-score -l top -x -d 'Top keys per network'
complete -c chorus-score -l coordinated -x -d 'Score from which the verdict is coordinated'
complete -c chorus-score -l review -x -d 'Score from which the verdict is review'
complete -c chorus-score -l strict -d 'Stop at the first bad line'
complete -c chorus-score -l max-errors -x -d 'Stop after more than N bad lines'
complete -c chorus-score -l max-line -x -d 'Longest line accepted, in bytes (k, M, G)'

# chorus-report
function __chorus_verdicts
    set -l done (string replace -r '[^,]*$' '' -- (commandline -ct))
    for v in coordinated review benign
        echo $done$v
    end
end
complete -c chorus-report -s h -l help -d 'Print the options and exit'
complete -c chorus-report -l version -d 'Print the version and exit'
complete -c chorus-report -s o -l output -r -F -d 'Write the report to FILE instead of standard output (zstd if it ends in .zst)'
complete -c chorus-report -l progress -d 'Accepted, as by every command'
complete -c chorus-report -s q -l quiet -d 'No summary'
complete -c chorus-report -s f -l format -x -a 'md html json graphml gexf' -d 'Format of standard output (or -o)'
complete -c chorus-report -l markdown -r -F -d 'Also write the Markdown report to FILE'
complete -c chorus-report -l html -r -F -d 'Also write the HTML page to FILE'
complete -c chorus-report -l json -r -F -d 'Also write the JSON report to FILE'
complete -c chorus-report -l graphml -r -F -d 'Also write the graph as GraphML to FILE'
complete -c chorus-report -l gexf -r -F -d 'Also write the graph as GEXF to FILE'
complete -c chorus-report -l clusters -r -F -d 'chorus-cluster\'s clustered edges: the edges drawn and exported'
complete -c chorus-report -l accounts -r -F -d 'Account profiles (JSON lines): node attributes'
complete -c chorus-report -l events -r -F -d 'Canonical events (JSON lines): timelines and shared texts'
complete -c chorus-report -l verdict -x -a '(__chorus_verdicts)' -d 'Report only networks with these verdicts (comma-separated)'
complete -c chorus-report -l title -x -d 'Title of the report'
complete -c chorus-report -l top -x -d 'Top texts, links and hashtags per network'
complete -c chorus-report -l max-nodes -x -d 'Accounts drawn per network in the HTML graph'
complete -c chorus-report -l seed -x -d 'Seed of the graph layout'
complete -c chorus-report -l strict -d 'Stop at the first bad line'
complete -c chorus-report -l max-errors -x -d 'Stop after more than N bad lines'
complete -c chorus-report -l max-line -x -d 'Longest line accepted, in bytes (k, M, G)'

# chorus-policy
complete -c chorus-policy -s h -l help -d 'Print the options and exit'
complete -c chorus-policy -l version -d 'Print the version and exit'
complete -c chorus-policy -s o -l output -r -F -d 'Write the actions to FILE (zstd if it ends in .zst)'
complete -c chorus-policy -l progress -d 'Accepted; there is no progress line'
complete -c chorus-policy -s q -l quiet -d 'No summary'
complete -c chorus-policy -l accounts -r -F -d 'Account profiles (JSON lines)'
complete -c chorus-policy -l events -r -F -d 'Canonical events (JSON lines)'
complete -c chorus-policy -l networks -r -F -d 'chorus-score\'s networks (JSON lines)'
complete -c chorus-policy -l rules -r -F -d 'Rules file of key = value lines'
complete -c chorus-policy -l min-foreign-events -x -d 'state-media-abroad: foreign events, at least'
complete -c chorus-policy -l min-foreign-share -x -d 'state-media-abroad: share of foreign events, at least'
complete -c chorus-policy -l min-score -x -d 'coordinated-network: network score, at least'
complete -c chorus-policy -l no-label -d 'Switch the rule state-affiliated-label off'
complete -c chorus-policy -l no-abroad -d 'Switch the rule state-media-abroad off'
complete -c chorus-policy -l no-remove -d 'Switch the rule coordinated-network off'
complete -c chorus-policy -l strict -d 'Stop at the first bad line'
complete -c chorus-policy -l max-errors -x -d 'Stop after more than N bad lines'
complete -c chorus-policy -l max-line -x -d 'Longest line accepted, in bytes (k, M, G)'
# chorus-track
complete -c chorus-track -s h -l help -d 'Print the options and exit'
complete -c chorus-track -l version -d 'Print the version and exit'
complete -c chorus-track -s o -l output -r -F -d 'Write the tracked networks to FILE (zstd if it ends in .zst)'
complete -c chorus-track -l progress -d 'Show a progress line even when standard error is not a terminal'
complete -c chorus-track -s q -l quiet -d 'No progress line and no summary'
complete -c chorus-track -l state -x -a '(__fish_complete_directories)' -d 'State directory'
complete -c chorus-track -l run -x -d 'Name of this run (default: today\'s UTC date)'
complete -c chorus-track -l min-overlap -x -d 'Least Jaccard index to keep an id'
complete -c chorus-track -l accounts -r -F -d 'Today\'s account profiles (JSON lines)'
complete -c chorus-track -l strict -d 'Stop at the first bad line'
complete -c chorus-track -l max-errors -x -d 'Stop after more than N bad lines'
complete -c chorus-track -l max-line -x -d 'Longest line accepted, in bytes (k, M, G)'
