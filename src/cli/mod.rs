//! The command line: argument parsing and dispatch. Each subcommand lives in
//! its own file and calls into the `cacheops` library.

mod cleanfilecache;
mod completions;
mod demo;
mod doctor;
mod filecache;
mod inspect;
mod invalidate;
mod invalidate_stdin;
mod keys;
mod output;
mod reap;
mod show;
mod stats;
mod tui;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use cacheops::config::{Overrides, Settings};
use cacheops::conn::Target;
use cacheops::error::{exit, Error, Result};
use cacheops::layout::Layout;

pub use output::Output;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  a Redis command failed, or part of the work failed
  2  bad command line: malformed label, bad --fields JSON, bad flag
  3  configuration error: missing or invalid config file, bad Redis URL
  4  Redis unreachable, credentials refused, or timed out
  5  unknown: a label neither the config nor Redis knows; no such key or file-cache entry
  6  refused: layout mismatch, a broad action not confirmed (--yes), a path that is not a cache
  7  busy: another cleanfilecache holds the directory's lock
  8  doctor found a critical problem
  9  stopped: cleanfilecache reached --max-delete (has the clock jumped?)
  101  internal error: a bug; please report it";

#[derive(Parser)]
#[command(
    name = "cacheops",
    version,
    about = "Operate django-cacheops' Redis cache without booting Django",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Without a command, on a terminal: the TUI
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every subcommand takes.
#[derive(Args, Clone, Debug)]
pub struct GlobalArgs {
    /// Config file (YAML) [default: ./cacheops.yaml, then $XDG_CONFIG_HOME/cacheops/config.yaml; env: CACHEOPS_CONFIG]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Redis URL: redis://[user:password@]host:port/db, rediss://..., unix:///path?db=N [env: CACHEOPS_REDIS]
    #[arg(long, global = true, value_name = "URL")]
    pub redis: Option<String>,
    /// Key prefix, as CACHEOPS_PREFIX returns it [env: CACHEOPS_PREFIX]
    #[arg(long, global = true, value_name = "STR")]
    pub prefix: Option<String>,
    /// Force the data layout instead of detecting it [env: CACHEOPS_INSIDEOUT=true|false]
    #[arg(long, global = true, value_enum)]
    pub layout: Option<LayoutArg>,
    /// Machine-readable output: one JSON document (JSON lines for keys and stats)
    #[arg(long, global = true)]
    pub json: bool,
    /// Say more: `invalidate --dry-run` lists the keys, `cleanfilecache` reports off a terminal too
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Print nothing on success
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum LayoutArg {
    Classic,
    Insideout,
}

#[derive(Subcommand)]
pub enum Command {
    Invalidate(invalidate::InvalidateArgs),
    Cleanfilecache(cleanfilecache::CleanArgs),
    Filecache(filecache::FilecacheArgs),
    Reap(reap::ReapArgs),
    Keys(keys::KeysArgs),
    Inspect(inspect::InspectArgs),
    Doctor(doctor::DoctorArgs),
    Show(show::ShowArgs),
    Stats(stats::StatsArgs),
    Tui(tui::TuiArgs),
    Demo(demo::DemoArgs),
    Completions(completions::CompletionsArgs),
    /// Write man pages into a directory
    #[command(hide = true)]
    Man(completions::ManArgs),
}

/// Parses arguments, runs, and returns the process exit code.
pub fn run() -> i32 {
    install_panic_hook();
    // `COMPLETE=bash cacheops` prints the dynamic completion script; the
    // shell then calls back here to complete (labels from the registry).
    clap_complete::CompleteEnv::with_factory(Cli::command).complete();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help, --version
            let _ = e.print();
            return exit::OK;
        }
        Err(e) => {
            // Without clap's closing "For more information, try '--help'." a bad
            // flag value is one line, as every other error.
            let text = e.render().to_string();
            let text = text.trim_end();
            let text = text
                .strip_suffix("For more information, try '--help'.")
                .unwrap_or(text)
                .trim_end();
            eprintln!("{text}");
            return exit::USAGE;
        }
    };
    let out = Output::new(&cli.global);
    let Some(command) = &cli.command else {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
            return finish(&out, tui::run(&cli.global, &tui::TuiArgs::default()));
        }
        let _ = Cli::command().print_help();
        return exit::USAGE;
    };
    let result = match command {
        Command::Invalidate(a) => invalidate::run(&cli.global, a, &out),
        Command::Cleanfilecache(a) => cleanfilecache::run(&cli.global, a, &out),
        Command::Filecache(a) => filecache::run(&cli.global, a, &out),
        Command::Reap(a) => reap::run(&cli.global, a, &out),
        Command::Keys(a) => keys::run(&cli.global, a, &out),
        Command::Inspect(a) => inspect::run(&cli.global, a, &out),
        Command::Doctor(a) => doctor::run(&cli.global, a, &out),
        Command::Show(a) => show::run(&cli.global, a, &out),
        Command::Stats(a) => stats::run(&cli.global, a, &out),
        Command::Tui(a) => tui::run(&cli.global, a),
        Command::Demo(a) => demo::run(&cli.global, a, &out),
        Command::Completions(a) => completions::completions(a),
        Command::Man(a) => completions::man(a),
    };
    finish(&out, result)
}

fn finish(out: &Output, result: Result<i32>) -> i32 {
    match result {
        Ok(code) => code,
        Err(e) => {
            out.error(&e);
            e.exit_code()
        }
    }
}

/// Settings from file, env and these flags.
pub fn load_settings(g: &GlobalArgs) -> Result<Settings> {
    Settings::load(&Overrides {
        config: g.config.clone(),
        redis: g.redis.clone(),
        prefix: g.prefix.clone(),
        layout: g.layout.map(|l| match l {
            LayoutArg::Classic => Layout::Classic,
            LayoutArg::Insideout => Layout::InsideOut,
        }),
    })
}

pub fn connect(settings: &Settings) -> Result<(Target, redis::Connection)> {
    let target = Target::from_setting(&settings.redis)?;
    let con = target.connect()?;
    Ok((target, con))
}

/// Value parser of flags in seconds: finite, from a millisecond to a year, so
/// that `inf`, `nan` or `1e300` are usage errors and not a panic in `Duration`.
pub fn parse_seconds(s: &str) -> std::result::Result<std::time::Duration, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("must be a number of seconds, not {s:?}"))?;
    cacheops::units::seconds(v)
}

pub fn stdin_is_tty() -> bool {
    std::io::stdin().is_terminal()
}

/// A broad change asks first: on a terminal the user types `yes` after being
/// told what will go (`describe`, only worked out when asked); off a terminal
/// `--yes` is the only answer.
pub fn confirm(
    yes: bool,
    action: &str,
    bar: &output::Bar,
    describe: impl FnOnce() -> Result<String>,
) -> Result<()> {
    if yes {
        return Ok(());
    }
    if !stdin_is_tty() {
        return Err(Error::Refused(format!(
            "{action} deletes data: pass --yes to confirm when not on a terminal (try --dry-run first)"
        )));
    }
    let what = describe()?;
    let answer = bar.suspend(|| {
        eprint!("This will {what}.\nType yes to continue: ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).map(|_| answer)
    });
    let answer = answer.map_err(|e| Error::Io(format!("cannot read the answer: {e}")))?;
    if answer.trim() != "yes" {
        return Err(Error::Refused("not confirmed; nothing was deleted".into()));
    }
    Ok(())
}

/// A panic is a bug: one line, no backtrace, a distinct exit code.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("cacheops: internal error{at}: {msg} (this is a bug; please report it)");
    }));
}
