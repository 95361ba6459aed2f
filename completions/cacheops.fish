# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cacheops_global_optspecs
    string join \n config= redis= prefix= layout= json v/verbose q/quiet h/help V/version
end

function __fish_cacheops_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cacheops_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cacheops_using_subcommand
    set -l cmd (__fish_cacheops_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cacheops -n "__fish_cacheops_needs_command" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_needs_command" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_needs_command" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_needs_command" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_needs_command" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_needs_command" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_needs_command" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_needs_command" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_needs_command" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "invalidate" -d 'Invalidate cached data as `./manage.py invalidate` does'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "cleanfilecache" -d 'Remove expired file-cache entries, as `./manage.py cleanfilecache` does, safely'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "filecache" -d 'Inspect the file cache (cacheops.file_cache)'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "reap" -d 'Remove dead cache keys from conj sets, as `./manage.py reapconjs` does'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "keys" -d 'List keys (SCAN, never KEYS), one per line'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "inspect" -d 'Sum up the cache: keys by family, and per table its schemes, conj keys, references, dead members, largest sets, TTLs and memory'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "doctor" -d 'Check Redis for what silently breaks cacheops: eviction policy, layout and prefix mismatches, huge or immortal conj sets, unreachable entries, ...'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "show" -d 'Explain one key: type, TTL, size; a cache entry\'s decoded value and the conj keys holding it; a conj key\'s conditions and members; a table\'s schemes'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "stats" -d 'Live cache statistics per table, from Redis keyspace notifications'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "tui" -d 'Browse the cache interactively: tables, conditions, entries, decoded values'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "demo" -d 'Start a throwaway redis-server holding what django-cacheops writes for a small blog, and browse it'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "man" -d 'Write man pages into a directory'
complete -c cacheops -n "__fish_cacheops_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l fields -d 'The row\'s field values for an <app>.<Model>.<pk> label, as cacheops serializes them (attname -> value JSON object); without it a pk is invalidated conservatively' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l database -d 'The application\'s database, to read an <app>.<Model>.<pk> row and invalidate it exactly (sqlite:///path, postgres://user@host/db, mysql://user@host/db; also `database:` in the config and DATABASE_URL)' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l if-missing -d 'What to do when the database has no such row: fail (as manage.py), or invalidate by pk alone' -r -f -a "error\t''
conservative\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l stdin -d 'Read changes from stdin, one JSON object a line: {"table": "<db_table>", "obj": {<attname>: value}} (a row\'s values as cacheops serializes them: exact) or {"label": "app.Model[.pk]"}'
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l dry-run -d 'Show what would be deleted; change nothing'
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -s y -l yes -d 'Do not ask before `all` (required when stdin is not a terminal)'
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l flushdb -d 'With a prefix, make `all` FLUSHDB the whole db instead of deleting the prefix\'s keys'
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l missing-ok -d 'A label whose tables Redis has never seen is a no-op (with a note), not exit 5'
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand invalidate" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -l grace -d 'Seconds (0 to 86400): a file changed this recently is a write in progress and is kept' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -l max-delete -d 'Stop after removing this many files, a safety net for clock jumps: warns and exits 9' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -l threads -d 'Worker threads, 1 to 64 [default: the number of CPUs, at most 4]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -l dry-run -d 'Count what would be removed; remove nothing'
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -l wait -d 'Wait for another running clean of the same directory instead of exiting'
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -l force -d 'Clean a directory that does not look like a cacheops file cache, or follow a symlinked one'
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand cleanfilecache" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -f -a "stats" -d 'Entries, bytes, expired entries, an expiry histogram and the largest entries'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -f -a "get" -d 'Show one key\'s entry: file, size, expiry'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -f -a "delete" -d 'Delete one key\'s entry, as file_cache.delete(key) does'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and not __fish_seen_subcommand_from stats get delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -l dir -d 'Cache directory, as the positional DIR' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -l top -d 'How many of the largest entries to list' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -l force -d 'Look into a directory that does not look like a cacheops file cache'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from get" -l dir -d 'Cache directory, as the positional DIR' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from get" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from get" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from get" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from get" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from get" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from delete" -l dir -d 'Cache directory, as the positional DIR' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from delete" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from delete" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from delete" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from delete" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from delete" -l dry-run -d 'Say what would be deleted; delete nothing'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from delete" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Entries, bytes, expired entries, an expiry histogram and the largest entries'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show one key\'s entry: file, size, expiry'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete one key\'s entry, as file_cache.delete(key) does'
complete -c cacheops -n "__fish_cacheops_using_subcommand filecache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -l chunk-size -d 'Members looked at per step (one script call, 250 at most)' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -l min-conj-set-size -d 'Leave conj sets smaller than this alone' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -l table -d 'Only this db_table\'s conj sets' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -l dry-run -d 'Count dead members; remove nothing'
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -l legacy-sets -d 'Insideout layout: drop the classic conj sets left from before the switch (asks first; refused where no insideout conj key exists)'
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -l yes -d 'Confirm --legacy-sets without asking (required when not on a terminal)'
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand reap" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -l family -d 'q | as | asp | c | conj | schemes | signal | lock | other' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -l table -d 'Only conj and schemes keys of this db_table' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -l match -d 'A Redis glob matched against the whole key (prefix included)' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -l limit -d 'Stop after this many keys (0: none)' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand keys" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand inspect" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand inspect" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand inspect" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand inspect" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand inspect" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand inspect" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand inspect" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand doctor" -l big-set -d 'Report conj sets with at least this many members' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand doctor" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand doctor" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand doctor" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand doctor" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand doctor" -l slowlog -d 'Also read SLOWLOG and LATENCY: cacheops\' own scripts and commands, with their tables'
complete -c cacheops -n "__fish_cacheops_using_subcommand doctor" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand doctor" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand doctor" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand show" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand show" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand show" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand show" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand show" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand show" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand show" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand show" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand show" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -l interval -d 'Seconds between reports' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -l duration -d 'Stop after this many seconds (with the totals)' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -l count -d 'Stop after this many reports (with the totals; 0: none, only the setup)' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -l serve -d 'Serve the counters in Prometheus format at http://ADDR/metrics (a bare port means 127.0.0.1)' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -l enable-events -d 'Add the notify-keyspace-events flags that are missing (CONFIG SET; prints how to revert)'
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -l exact -d 'Count hits exactly, per table, with MONITOR (costly on a busy server: every command is copied to us)'
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand stats" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand tui" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand tui" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand tui" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand tui" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand tui" -l read-only -d 'Offer no action that writes (also `read_only: true` in the config)'
complete -c cacheops -n "__fish_cacheops_using_subcommand tui" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand tui" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand tui" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand tui" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand tui" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand demo" -l for -d 'Stop after this many seconds (at most a year)' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand demo" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand demo" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand demo" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand demo" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand demo" -l no-tui -d 'Do not open the TUI: keep the demo up until Ctrl-C, SIGTERM or --for'
complete -c cacheops -n "__fish_cacheops_using_subcommand demo" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand demo" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand demo" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand demo" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand demo" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand completions" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand completions" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand completions" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand completions" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand completions" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand completions" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand completions" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand completions" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand completions" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand man" -l config -d 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]' -r -F
complete -c cacheops -n "__fish_cacheops_using_subcommand man" -l redis -d 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand man" -l prefix -d 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]' -r
complete -c cacheops -n "__fish_cacheops_using_subcommand man" -l layout -d 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]' -r -f -a "classic\t''
insideout\t''"
complete -c cacheops -n "__fish_cacheops_using_subcommand man" -l json -d 'Machine-readable output: one JSON document (JSON lines for keys and stats)'
complete -c cacheops -n "__fish_cacheops_using_subcommand man" -s v -l verbose -d 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too'
complete -c cacheops -n "__fish_cacheops_using_subcommand man" -s q -l quiet -d 'Print nothing on success'
complete -c cacheops -n "__fish_cacheops_using_subcommand man" -s h -l help -d 'Print help'
complete -c cacheops -n "__fish_cacheops_using_subcommand man" -s V -l version -d 'Print version'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "invalidate" -d 'Invalidate cached data as `./manage.py invalidate` does'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "cleanfilecache" -d 'Remove expired file-cache entries, as `./manage.py cleanfilecache` does, safely'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "filecache" -d 'Inspect the file cache (cacheops.file_cache)'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "reap" -d 'Remove dead cache keys from conj sets, as `./manage.py reapconjs` does'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "keys" -d 'List keys (SCAN, never KEYS), one per line'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "inspect" -d 'Sum up the cache: keys by family, and per table its schemes, conj keys, references, dead members, largest sets, TTLs and memory'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "doctor" -d 'Check Redis for what silently breaks cacheops: eviction policy, layout and prefix mismatches, huge or immortal conj sets, unreachable entries, ...'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "show" -d 'Explain one key: type, TTL, size; a cache entry\'s decoded value and the conj keys holding it; a conj key\'s conditions and members; a table\'s schemes'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "stats" -d 'Live cache statistics per table, from Redis keyspace notifications'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "tui" -d 'Browse the cache interactively: tables, conditions, entries, decoded values'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "demo" -d 'Start a throwaway redis-server holding what django-cacheops writes for a small blog, and browse it'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "man" -d 'Write man pages into a directory'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and not __fish_seen_subcommand_from invalidate cleanfilecache filecache reap keys inspect doctor show stats tui demo completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and __fish_seen_subcommand_from filecache" -f -a "stats" -d 'Entries, bytes, expired entries, an expiry histogram and the largest entries'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and __fish_seen_subcommand_from filecache" -f -a "get" -d 'Show one key\'s entry: file, size, expiry'
complete -c cacheops -n "__fish_cacheops_using_subcommand help; and __fish_seen_subcommand_from filecache" -f -a "delete" -d 'Delete one key\'s entry, as file_cache.delete(key) does'
