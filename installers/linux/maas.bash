# bash completion for maas. Commands, verbs and options are read from maas's own --help (once per
# shell for each command), so they never go stale. What the user typed is only ever compared with
# those words, never put into a pattern or a command.

declare -gA _maas_help_cache

# Sets _maas_help to the --help text of `maas ARGS...`, from the cache after the first time.
_maas_read_help()
{
    local key="maas $*"
    if [[ -z ${_maas_help_cache[$key]+set} ]]; then
        _maas_help_cache[$key]=$(MAAS_LANGUAGE=en command maas "$@" --help 2>/dev/null)
    fi
    _maas_help=${_maas_help_cache[$key]}
}

# Sets _maas_commands (the first word of each line of the Commands: section) and _maas_verbs[COMMAND]
# (the a|b|c after a command, as words).
_maas_read_commands()
{
    local _maas_help line inside=0 re='^  ([a-z][a-z-]*)( ([a-z]+(\|[a-z]+)+))?'
    _maas_read_help
    _maas_commands=()
    declare -gA _maas_verbs=()
    while IFS= read -r line; do
        if [[ $line != " "* ]]; then
            [[ $line == "Commands:" ]] && inside=1 || inside=0
        elif ((inside)) && [[ $line =~ $re ]]; then
            _maas_commands+=("${BASH_REMATCH[1]}")
            _maas_verbs[${BASH_REMATCH[1]}]=${BASH_REMATCH[3]//|/ }
        fi
    done <<<"$_maas_help"
}

_maas()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local command verb known=0 c _maas_help _maas_commands
    local -a args words
    COMPREPLY=()
    _maas_read_commands
    if ((COMP_CWORD == 1)); then
        mapfile -t COMPREPLY < <(compgen -W "${_maas_commands[*]} --help --version" -- "$cur")
        return
    fi
    command=${COMP_WORDS[1]}
    for c in "${_maas_commands[@]}"; do [[ $c == "$command" ]] && known=1; done
    ((known)) || return # an unknown command: nothing to offer
    args=("$command")
    if [[ -n ${_maas_verbs[$command]} ]]; then
        if ((COMP_CWORD == 2)); then
            mapfile -t COMPREPLY < <(compgen -W "${_maas_verbs[$command]}" -- "$cur")
            return
        fi
        verb=${COMP_WORDS[2]}
        for c in ${_maas_verbs[$command]}; do [[ $c == "$verb" ]] && args+=("$verb"); done
    fi
    _maas_read_help "${args[@]}"
    if [[ $cur == -* ]]; then
        mapfile -t words < <(grep -o -- '--[a-z][a-z0-9-]*' <<<"$_maas_help" | sort -u)
        mapfile -t COMPREPLY < <(compgen -W "${words[*]}" -- "$cur")
        return
    fi
    # After an option that takes a value ("--name <VALUE>" in the help): endpoint names for --to and
    # --on; files for the others and for arguments.
    if [[ $prev == --to || $prev == --on ]]; then
        mapfile -t words < <(command maas endpoint list 2>/dev/null | cut -d' ' -f1)
        mapfile -t COMPREPLY < <(compgen -W "${words[*]}" -- "$cur")
        ((${#COMPREPLY[@]})) && return
    fi
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

complete -F _maas maas
