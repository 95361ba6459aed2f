
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cacheops' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cacheops'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'cacheops' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('invalidate', 'invalidate', [CompletionResultType]::ParameterValue, 'Invalidate cached data as `./manage.py invalidate` does')
            [CompletionResult]::new('cleanfilecache', 'cleanfilecache', [CompletionResultType]::ParameterValue, 'Remove expired file-cache entries, as `./manage.py cleanfilecache` does, safely')
            [CompletionResult]::new('filecache', 'filecache', [CompletionResultType]::ParameterValue, 'Inspect the file cache (cacheops.file_cache)')
            [CompletionResult]::new('reap', 'reap', [CompletionResultType]::ParameterValue, 'Remove dead cache keys from conj sets, as `./manage.py reapconjs` does')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'List keys (SCAN, never KEYS), one per line')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Sum up the cache: keys by family, and per table its schemes, conj keys, references, dead members, largest sets, TTLs and memory')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check Redis for what silently breaks cacheops: eviction policy, layout and prefix mismatches, huge or immortal conj sets, unreachable entries, ...')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Explain one key: type, TTL, size; a cache entry''s decoded value and the conj keys holding it; a conj key''s conditions and members; a table''s schemes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Live cache statistics per table, from Redis keyspace notifications')
            [CompletionResult]::new('tui', 'tui', [CompletionResultType]::ParameterValue, 'Browse the cache interactively: tables, conditions, entries, decoded values')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Start a throwaway redis-server holding what django-cacheops writes for a small blog, and browse it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cacheops;invalidate' {
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'The row''s field values for an <app>.<Model>.<pk> label, as cacheops serializes them (attname -> value JSON object); without it a pk is invalidated conservatively')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'The application''s database, to read an <app>.<Model>.<pk> row and invalidate it exactly (sqlite:///path, postgres://user@host/db, mysql://user@host/db; also `database:` in the config and DATABASE_URL)')
            [CompletionResult]::new('--if-missing', '--if-missing', [CompletionResultType]::ParameterName, 'What to do when the database has no such row: fail (as manage.py), or invalidate by pk alone')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read changes from stdin, one JSON object a line: {"table": "<db_table>", "obj": {<attname>: value}} (a row''s values as cacheops serializes them: exact) or {"label": "app.Model[.pk]"}')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be deleted; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before `all` (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before `all` (required when stdin is not a terminal)')
            [CompletionResult]::new('--flushdb', '--flushdb', [CompletionResultType]::ParameterName, 'With a prefix, make `all` FLUSHDB the whole db instead of deleting the prefix''s keys')
            [CompletionResult]::new('--missing-ok', '--missing-ok', [CompletionResultType]::ParameterName, 'A label whose tables Redis has never seen is a no-op (with a note), not exit 5')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;cleanfilecache' {
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Seconds (0 to 86400): a file changed this recently is a write in progress and is kept')
            [CompletionResult]::new('--max-delete', '--max-delete', [CompletionResultType]::ParameterName, 'Stop after removing this many files, a safety net for clock jumps: warns and exits 9')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads, 1 to 64 [default: the number of CPUs, at most 4]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count what would be removed; remove nothing')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for another running clean of the same directory instead of exiting')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Clean a directory that does not look like a cacheops file cache, or follow a symlinked one')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;filecache' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Entries, bytes, expired entries, an expiry histogram and the largest entries')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one key''s entry: file, size, expiry')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete one key''s entry, as file_cache.delete(key) does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cacheops;filecache;stats' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Cache directory, as the positional DIR')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'How many of the largest entries to list')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Look into a directory that does not look like a cacheops file cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;filecache;get' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Cache directory, as the positional DIR')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;filecache;delete' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Cache directory, as the positional DIR')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be deleted; delete nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;filecache;help' {
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Entries, bytes, expired entries, an expiry histogram and the largest entries')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one key''s entry: file, size, expiry')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete one key''s entry, as file_cache.delete(key) does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cacheops;filecache;help;stats' {
            break
        }
        'cacheops;filecache;help;get' {
            break
        }
        'cacheops;filecache;help;delete' {
            break
        }
        'cacheops;filecache;help;help' {
            break
        }
        'cacheops;reap' {
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Members looked at per step (one script call, 250 at most)')
            [CompletionResult]::new('--min-conj-set-size', '--min-conj-set-size', [CompletionResultType]::ParameterName, 'Leave conj sets smaller than this alone')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Only this db_table''s conj sets')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count dead members; remove nothing')
            [CompletionResult]::new('--legacy-sets', '--legacy-sets', [CompletionResultType]::ParameterName, 'Insideout layout: drop the classic conj sets left from before the switch (asks first; refused where no insideout conj key exists)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm --legacy-sets without asking (required when not on a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;keys' {
            [CompletionResult]::new('--family', '--family', [CompletionResultType]::ParameterName, 'q | as | asp | c | conj | schemes | signal | lock | other')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Only conj and schemes keys of this db_table')
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'A Redis glob matched against the whole key (prefix included)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Stop after this many keys (0: none)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;inspect' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;doctor' {
            [CompletionResult]::new('--big-set', '--big-set', [CompletionResultType]::ParameterName, 'Report conj sets with at least this many members')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--slowlog', '--slowlog', [CompletionResultType]::ParameterName, 'Also read SLOWLOG and LATENCY: cacheops'' own scripts and commands, with their tables')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;stats' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Seconds between reports')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Stop after this many seconds (with the totals)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after this many reports (with the totals; 0: none, only the setup)')
            [CompletionResult]::new('--serve', '--serve', [CompletionResultType]::ParameterName, 'Serve the counters in Prometheus format at http://ADDR/metrics (a bare port means 127.0.0.1)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--enable-events', '--enable-events', [CompletionResultType]::ParameterName, 'Add the notify-keyspace-events flags that are missing (CONFIG SET; prints how to revert)')
            [CompletionResult]::new('--exact', '--exact', [CompletionResultType]::ParameterName, 'Count hits exactly, per table, with MONITOR (costly on a busy server: every command is copied to us)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;tui' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Offer no action that writes (also `read_only: true` in the config)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;demo' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Stop after this many seconds (at most a year)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--no-tui', '--no-tui', [CompletionResultType]::ParameterName, 'Do not open the TUI: keep the demo up until Ctrl-C, SIGTERM or --for')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;man' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document (JSON lines for keys and stats)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cacheops;help' {
            [CompletionResult]::new('invalidate', 'invalidate', [CompletionResultType]::ParameterValue, 'Invalidate cached data as `./manage.py invalidate` does')
            [CompletionResult]::new('cleanfilecache', 'cleanfilecache', [CompletionResultType]::ParameterValue, 'Remove expired file-cache entries, as `./manage.py cleanfilecache` does, safely')
            [CompletionResult]::new('filecache', 'filecache', [CompletionResultType]::ParameterValue, 'Inspect the file cache (cacheops.file_cache)')
            [CompletionResult]::new('reap', 'reap', [CompletionResultType]::ParameterValue, 'Remove dead cache keys from conj sets, as `./manage.py reapconjs` does')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'List keys (SCAN, never KEYS), one per line')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Sum up the cache: keys by family, and per table its schemes, conj keys, references, dead members, largest sets, TTLs and memory')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check Redis for what silently breaks cacheops: eviction policy, layout and prefix mismatches, huge or immortal conj sets, unreachable entries, ...')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Explain one key: type, TTL, size; a cache entry''s decoded value and the conj keys holding it; a conj key''s conditions and members; a table''s schemes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Live cache statistics per table, from Redis keyspace notifications')
            [CompletionResult]::new('tui', 'tui', [CompletionResultType]::ParameterValue, 'Browse the cache interactively: tables, conditions, entries, decoded values')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Start a throwaway redis-server holding what django-cacheops writes for a small blog, and browse it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cacheops;help;invalidate' {
            break
        }
        'cacheops;help;cleanfilecache' {
            break
        }
        'cacheops;help;filecache' {
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Entries, bytes, expired entries, an expiry histogram and the largest entries')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one key''s entry: file, size, expiry')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete one key''s entry, as file_cache.delete(key) does')
            break
        }
        'cacheops;help;filecache;stats' {
            break
        }
        'cacheops;help;filecache;get' {
            break
        }
        'cacheops;help;filecache;delete' {
            break
        }
        'cacheops;help;reap' {
            break
        }
        'cacheops;help;keys' {
            break
        }
        'cacheops;help;inspect' {
            break
        }
        'cacheops;help;doctor' {
            break
        }
        'cacheops;help;show' {
            break
        }
        'cacheops;help;stats' {
            break
        }
        'cacheops;help;tui' {
            break
        }
        'cacheops;help;demo' {
            break
        }
        'cacheops;help;completions' {
            break
        }
        'cacheops;help;man' {
            break
        }
        'cacheops;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
