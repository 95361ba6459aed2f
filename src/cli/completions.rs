//! `cacheops completions SHELL` and `cacheops man DIR`: generated from the
//! same clap definitions as the parser, so they cannot drift (a test checks
//! the committed copies in completions/ and docs/man/).

use std::path::PathBuf;

use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell;

use cacheops::error::{exit, Error, Result};

use super::Cli;

/// Print a shell completion script
#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  cacheops completions bash > /etc/bash_completion.d/cacheops\n  cacheops completions zsh > \"${fpath[1]}/_cacheops\"\n  cacheops completions fish > ~/.config/fish/completions/cacheops.fish"
)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: ShellArg,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

impl ShellArg {
    fn shell(self) -> Shell {
        match self {
            ShellArg::Bash => Shell::Bash,
            ShellArg::Zsh => Shell::Zsh,
            ShellArg::Fish => Shell::Fish,
            ShellArg::Elvish => Shell::Elvish,
            ShellArg::Powershell => Shell::PowerShell,
        }
    }
}

/// Write man pages (cacheops.1 and cacheops-<command>.1) into a directory
#[derive(Args, Debug)]
pub struct ManArgs {
    /// Where to write the pages
    pub dir: PathBuf,
}

pub fn completions(a: &CompletionsArgs) -> Result<i32> {
    let mut cmd = Cli::command();
    clap_complete::generate(a.shell.shell(), &mut cmd, "cacheops", &mut std::io::stdout());
    Ok(exit::OK)
}

pub fn man(a: &ManArgs) -> Result<i32> {
    std::fs::create_dir_all(&a.dir).map_err(|e| Error::Io(format!("{}: {e}", a.dir.display())))?;
    let cmd = Cli::command();
    let write = |name: &str, c: clap::Command| -> Result<()> {
        let mut buf = Vec::new();
        clap_mangen::Man::new(c)
            .render(&mut buf)
            .map_err(|e| Error::Io(e.to_string()))?;
        let path = a.dir.join(format!("{name}.1"));
        std::fs::write(&path, buf).map_err(|e| Error::Io(format!("{}: {e}", path.display())))
    };
    write("cacheops", cmd.clone())?;
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" || sub.is_hide_set() {
            continue;
        }
        let name = format!("cacheops-{}", sub.get_name());
        write(&name, sub.clone().name(name.clone()))?;
    }
    Ok(exit::OK)
}
