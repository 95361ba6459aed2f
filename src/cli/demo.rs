//! `cacheops demo`: see the tool work on a throwaway Redis, no setup needed.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;

use cacheops::config::{RedisTarget, Registry};
use cacheops::conn::Target;
use cacheops::demo::Demo;
use cacheops::error::{exit, Error, Result};
use cacheops::keys::Namespace;
use cacheops::tui::{AppConfig, WorkerConfig};

use super::{GlobalArgs, Output};

const EXAMPLES: &str = "\
Examples:
  cacheops demo                    # opens the TUI on the demo; q stops it and removes its files
  cacheops demo --no-tui           # prints the URL and commands to try; Ctrl-C stops it
  cacheops demo --no-tui --for 60  # ... for a minute (scripts, CI)";

/// Start a throwaway redis-server holding what django-cacheops writes for a small blog, and
/// browse it
#[derive(Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct DemoArgs {
    /// Do not open the TUI: keep the demo up until Ctrl-C, SIGTERM or --for
    #[arg(long)]
    pub no_tui: bool,
    /// Stop after this many seconds (at most a year)
    #[arg(long = "for", value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(..=cacheops::units::MAX_SECONDS))]
    pub for_secs: Option<u64>,
}

pub fn run(_g: &GlobalArgs, a: &DemoArgs, out: &Output) -> Result<i32> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&stop)).map_err(|e| Error::Io(e.to_string()))?;
    }
    let demo = Demo::start()?;
    let loaded = demo.load()?;
    let cfg = demo.config_path();
    let cfg = cfg.display();
    let url = demo.url();
    let tui = !a.no_tui && std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    // Said on stderr when the TUI follows (it takes the screen), else on stdout.
    let say = |s: &str| if tui { eprintln!("{s}") } else { out.print(s) };
    say(&format!(
        "cacheops demo: {url} holds {} keys written by django-cacheops 7.2 for a small blog \
         (articles, categories, tags and their M2M table, a shop), with a lock and dead conj members; \
         the file cache {} holds {} entries, some expired.",
        loaded.keys,
        demo.file_cache_dir().display(),
        loaded.files
    ));
    say(&format!(
        "Try, from another terminal (the config names the demo's Redis and file cache):\n\
         \x20 cacheops --config {cfg} inspect\n\
         \x20 cacheops --config {cfg} doctor\n\
         \x20 cacheops --config {cfg} show conj:articles_article:category_id=2\n\
         \x20 cacheops --config {cfg} invalidate articles.Article --dry-run -v\n\
         \x20 cacheops --config {cfg} reap --min-conj-set-size 1 --dry-run\n\
         \x20 cacheops --config {cfg} cleanfilecache --dry-run -v\n\
         \x20 cacheops --config {cfg} stats"
    ));
    if tui {
        let worker = WorkerConfig {
            target: Target::from_setting(&RedisTarget::Url(url.clone()))?,
            ns: Namespace::new(""),
            layout: None,
            file_cache_dir: demo.file_cache_dir(),
            database: None,
            use_tz: true,
            stats: true,
        };
        let config = AppConfig {
            registry: Registry::default(),
            read_only: false,
        };
        cacheops::tui::run_until(worker, config, Some(Arc::clone(&stop)))?;
    } else {
        let deadline = a.for_secs.map(|s| Instant::now() + Duration::from_secs(s));
        if a.for_secs.is_none() {
            say("Ctrl-C stops the demo and removes its files.");
        }
        while !stop.load(Ordering::Relaxed) && deadline.is_none_or(|d| Instant::now() < d) {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    drop(demo);
    if !out.quiet {
        eprintln!("cacheops demo: stopped; its redis-server and files are gone");
    }
    Ok(exit::OK)
}
