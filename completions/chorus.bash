# bash completion for chorus(1) and its commands                -*- shell-script -*-
#
# Install as .../bash-completion/completions/chorus, with chorus-parse,
# chorus-hash, chorus-join, chorus-cluster, chorus-score, chorus-report, chorus-gen,
# chorus-eval, chorus-policy and chorus-track as links to it
# (bash-completion loads a file by command name), or source it from ~/.bashrc.
#
# The flags are those of each command's --help; tests/scripts/docs_flags.sh
# fails when they differ, so add a flag here when you add it to a command.

_chorus_commands='parse hash join cluster score report gen eval policy track run demo'
_chorus_presets='canonical twitter-v1 twitter-v2 tiktok io-archive coortweet'
_chorus_map_fields='id= account= ts= type= text= urls= hashtags= mentions= media= parent= lang= audience= platform= views= likes= handle= name= created= followers= following= country= state_affiliated= verified= profile_id='
_chorus_tactics='copy-paste link-amplification share-ring paraphrase hashtag-chain state-media all'
_chorus_signals='share reply text near url domain tag tagseq mention media all'

# _chorus_files WORD: the file names that start with WORD.
_chorus_files() {
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

# _chorus_dirs WORD: the directory names that start with WORD.
_chorus_dirs() {
    compopt -o dirnames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -d -- "$1")
}

# _chorus_words WORD LIST: the words of LIST (separated by spaces) that start with WORD.
_chorus_words() {
    mapfile -t COMPREPLY < <(compgen -W "$2" -- "$1")
}

# _chorus_list WORD LIST: completes the last item of the comma-separated list
# WORD with the words of LIST.
_chorus_list() {
    local done= w words=
    [[ $1 == *,* ]] && done=${1%,*},
    for w in $2; do words+=" $done$w"; done
    compopt -o nospace 2>/dev/null
    _chorus_words "$1" "$words"
}

# _chorus_command CMD FIRST: completes the current word for chorus-CMD, whose
# arguments start at COMP_WORDS[FIRST].
_chorus_command() {
    local cmd=$1 first=$2
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    ((COMP_CWORD > first)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # "--flag=value": bash splits it at '=' (COMP_WORDBREAKS).
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD - 2 >= first)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi
    local flags='' inputs=0
    case $cmd in
    parse)
        flags='-h --help --version -o --output --progress -q --quiet -p --preset -m --map --format --platform --accounts-out --keep-extra --strict --max-errors --max-line --list-presets'
        inputs=1
        case $prev in
        -p | --preset) _chorus_words "$cur" "$_chorus_presets"; return ;;
        -m | --map)
            compopt -o nospace 2>/dev/null
            _chorus_words "$cur" "$_chorus_map_fields"
            return
            ;;
        --format) _chorus_words "$cur" 'json csv'; return ;;
        -o | --output | --accounts-out) _chorus_files "$cur"; return ;;
        --platform | --max-errors | --max-line) return ;;
        esac
        ;;
    hash)
        flags='-h --help --version -o --output --progress -q --quiet -s --signals -x --exclude --min-tokens --near-threshold --near-memory --media-distance --labels --strict --max-errors --max-line'
        inputs=1
        case $prev in
        -s | --signals | -x | --exclude) _chorus_list "$cur" "$_chorus_signals"; return ;;
        -o | --output | --labels) _chorus_files "$cur"; return ;;
        --min-tokens | --near-threshold | --near-memory | --media-distance | --max-errors | --max-line) return ;;
        esac
        ;;
    join)
        flags='-h --help --version -o --output --progress -q --quiet -w --window --weight --min-repeat --min-participation --max-accounts --hot --evidence --memory --temp-dir --sorted --shard --partial --merge --strict --max-errors --max-line'
        inputs=1
        case $prev in
        --weight) _chorus_words "$cur" 'coactions keys own-events'; return ;;
        --hot) _chorus_words "$cur" 'cap skip'; return ;;
        -o | --output | --evidence) _chorus_files "$cur"; return ;;
        --temp-dir) _chorus_dirs "$cur"; return ;;
        -w | --window | --min-repeat | --min-participation | --max-accounts | --memory | --shard | --max-errors | --max-line) return ;;
        esac
        ;;
    cluster)
        flags='-h --help --version -o --output --progress -q --quiet --min-weight --quantile --quantile-rule --marks --alpha --rounds --max-shift --method --resolution --seed --seeds --hops --min-size --strict --max-errors --max-line'
        inputs=1
        case $prev in
        --quantile-rule) _chorus_words "$cur" 'gt ge'; return ;;
        --method) _chorus_words "$cur" 'components leiden'; return ;;
        -o | --output | --marks | --seeds) _chorus_files "$cur"; return ;;
        --min-weight | --quantile | --alpha | --rounds | --max-shift | --resolution | --seed | --hops | --min-size | --max-errors | --max-line) return ;;
        esac
        ;;
    score)
        flags='-h --help --version -o --output --progress -q --quiet --evidence --labels --accounts --events --top --coordinated --review --strict --max-errors --max-line'
        inputs=1
        case $prev in
        -o | --output | --evidence | --labels | --accounts | --events) _chorus_files "$cur"; return ;;
        --top | --coordinated | --review | --max-errors | --max-line) return ;;
        esac
        ;;
    report)
        flags='-h --help --version -o --output --progress -q --quiet -f --format --markdown --html --json --graphml --gexf --clusters --accounts --events --verdict --title --top --max-nodes --seed --strict --max-errors --max-line'
        inputs=1
        case $prev in
        -f | --format) _chorus_words "$cur" 'md html json graphml gexf'; return ;;
        --verdict) _chorus_list "$cur" 'coordinated review benign'; return ;;
        -o | --output | --markdown | --html | --json | --graphml | --gexf | --clusters | --accounts | --events) _chorus_files "$cur"; return ;;
        --title | --top | --max-nodes | --seed | --max-errors | --max-line) return ;;
        esac
        ;;
    policy)
        flags='-h --help --version -o --output --progress -q --quiet --accounts --events --networks --rules --min-foreign-events --min-foreign-share --min-score --no-label --no-abroad --no-remove --strict --max-errors --max-line'
        case $prev in
        -o | --output | --accounts | --events | --networks | --rules) _chorus_files "$cur"; return ;;
        --min-foreign-events | --min-foreign-share | --min-score | --max-errors | --max-line) return ;;
        esac
        ;;
    gen)
        flags='-h --help --version -n --events --accounts --networks --network-size --tactics --seed --start --days --accounts-out --truth-out --campaigns-out -o --output --progress -q --quiet'
        case $prev in
        --tactics)
            # A comma-separated list: complete its last item.
            local done=
            [[ $cur == *,* ]] && done=${cur%,*},
            local t words=
            for t in $_chorus_tactics; do words+=" $done$t"; done
            compopt -o nospace 2>/dev/null
            _chorus_words "$cur" "$words"
            return
            ;;
        -o | --output | --accounts-out | --truth-out | --campaigns-out) _chorus_files "$cur"; return ;;
        -n | --events | --accounts | --networks | --network-size | --seed | --start | --days) return ;;
        esac
        ;;
    eval)
        flags='-h --help --version -o --output --progress -q --quiet --truth --verdict --format --json --strict --max-errors --max-line'
        inputs=1
        case $prev in
        --verdict) _chorus_words "$cur" 'coordinated review any'; return ;;
        --format) _chorus_words "$cur" 'table json'; return ;;
        -o | --output | --truth | --json) _chorus_files "$cur"; return ;;
        --max-errors | --max-line) return ;;
        esac
        ;;
    track)
        flags='-h --help --version -o --output --progress -q --quiet --state --run --min-overlap --accounts --strict --max-errors --max-line'
        inputs=1
        case $prev in
        --state) _chorus_dirs "$cur"; return ;;
        -o | --output | --accounts) _chorus_files "$cur"; return ;;
        --run | --min-overlap | --max-errors | --max-line) return ;;
        esac
        ;;
    run)
        flags='-h --help --version -o --output -p --preset -m --map --accounts -w --window --min-repeat --alpha --method --seeds --memory --state --run --title -q --quiet'
        case $prev in
        -o | --output | --state) _chorus_dirs "$cur"; return ;;
        -p | --preset) _chorus_words "$cur" "$_chorus_presets"; return ;;
        --method) _chorus_words "$cur" 'components leiden'; return ;;
        --accounts | --seeds) _chorus_files "$cur"; return ;;
        -m | --map | -w | --window | --min-repeat | --alpha | --memory | --run | --title) return ;;
        esac
        ;;
    demo)
        flags='-h --help --version -n --events --seed --dir --keep --no-browser'
        case $prev in
        --dir) _chorus_dirs "$cur"; return ;;
        -n | --events | --seed) return ;;
        esac
        ;;
    *)
        _chorus_files "$cur"
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        _chorus_words "$cur" "$flags"
    elif ((inputs)); then
        _chorus_files "$cur"
    fi
}

_chorus() {
    COMPREPLY=()
    local name=${COMP_WORDS[0]##*/}
    if [[ $name == chorus-* ]]; then
        _chorus_command "${name#chorus-}" 1
        return
    fi
    if ((COMP_CWORD == 1)); then
        local cur=${COMP_WORDS[1]}
        if [[ $cur == -* ]]; then
            _chorus_words "$cur" '-h --help --version'
        else
            _chorus_words "$cur" "$_chorus_commands"
        fi
        return
    fi
    _chorus_command "${COMP_WORDS[1]}" 2
}

complete -F _chorus chorus chorus-parse chorus-hash chorus-join chorus-cluster chorus-score chorus-report chorus-gen chorus-eval chorus-policy chorus-track
