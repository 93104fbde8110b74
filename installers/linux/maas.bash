# bash completion for maas. Commands, verbs and options are read from maas's own --help (once per
# shell for each command), so they never go stale.

_maas_help_words()
{
    # $1: a cache key; the rest: the maas arguments whose --help to read.
    local key=$1 var
    shift
    var="_maas_cache_${key//[^a-zA-Z0-9]/_}"
    if [[ -z ${!var+set} ]]; then
        printf -v "$var" '%s' "$(MAAS_LANGUAGE=en maas "$@" --help 2>/dev/null)"
    fi
    printf '%s' "${!var}"
}

_maas()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local top command verbs verb="" words
    top=$(_maas_help_words top)
    # The commands are the first word of each line of the Commands: section, verbs the a|b|c after it.
    if ((COMP_CWORD == 1)); then
        words=$(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p' <<<"$top")
        mapfile -t COMPREPLY < <(compgen -W "$words --help --version" -- "$cur")
        return
    fi
    command=${COMP_WORDS[1]}
    verbs=$(sed -n "s/^  $command \([a-z]*|[a-z|]*\).*/\1/p" <<<"$top" | tr '|' ' ')
    if [[ -n $verbs ]]; then
        if ((COMP_CWORD == 2)); then
            mapfile -t COMPREPLY < <(compgen -W "$verbs" -- "$cur")
            return
        fi
        verb=${COMP_WORDS[2]}
    fi
    if [[ $cur == -* ]]; then
        words=$(_maas_help_words "$command $verb" "$command" $verb | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
        mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
        return
    fi
    # An option that takes a value (shown as --name <VALUE>) and everything else: files.
    if [[ $prev == --* ]] && _maas_help_words "$command $verb" "$command" $verb | grep -q -- "$prev <"; then
        case $prev in
            --to|--on)
                words=$(maas endpoint list 2>/dev/null | cut -d' ' -f1)
                mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
                ;;
        esac
        ((${#COMPREPLY[@]})) && return
    fi
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

complete -F _maas maas
