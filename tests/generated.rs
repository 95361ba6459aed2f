//! The committed completion scripts (completions/) and man pages (docs/man/)
//! are what the current CLI generates: this fails when they are stale.
//! Regenerate with scripts/gen-docs.sh.

mod common;

use std::path::Path;

use common::{cacheops, stderr};

const SHELLS: [(&str, &str); 5] = [
    ("bash", "cacheops.bash"),
    ("zsh", "_cacheops"),
    ("fish", "cacheops.fish"),
    ("elvish", "cacheops.elvish"),
    ("powershell", "cacheops.ps1"),
];

fn repo(p: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

#[test]
fn completions_are_current() {
    for (shell, file) in SHELLS {
        let o = cacheops(&["completions", shell]);
        assert!(o.status.success(), "{}", stderr(&o));
        let committed = std::fs::read(repo(&format!("completions/{file}"))).unwrap_or_default();
        assert!(
            o.stdout == committed,
            "completions/{file} is stale: run scripts/gen-docs.sh and commit the result"
        );
    }
}

#[test]
fn man_pages_are_current() {
    let dir = std::env::temp_dir().join(format!("cacheops-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = cacheops(&["man", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names = |d: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    let generated = names(&dir);
    assert_eq!(
        generated,
        names(&repo("docs/man")),
        "docs/man is stale: run scripts/gen-docs.sh"
    );
    assert!(generated.contains(&"cacheops-invalidate.1".to_string()));
    for n in generated {
        let a = std::fs::read(dir.join(&n)).unwrap();
        let b = std::fs::read(repo(&format!("docs/man/{n}"))).unwrap();
        assert!(
            a == b,
            "docs/man/{n} is stale: run scripts/gen-docs.sh and commit the result"
        );
    }
}

/// Dynamic completion (`source <(COMPLETE=bash cacheops)`): the shell calls
/// back with the words typed; labels come from the config's registry.
#[test]
fn labels_complete_from_the_registry() {
    let dir = std::env::temp_dir().join(format!("cacheops-complete-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("cacheops.yaml");
    std::fs::write(
        &cfg,
        "models:\n  articles.Article: {}\n  articles.Tag: {}\n  shop.Product: {}\n",
    )
    .unwrap();
    let complete = |word: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_cacheops"))
            .args(["--", "cacheops", "invalidate", word])
            .env("COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", "2")
            .env("_CLAP_IFS", "\n")
            .env("CACHEOPS_CONFIG", &cfg)
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8(o.stdout).unwrap()
    };
    assert_eq!(complete("art"), "articles\narticles.Article\narticles.Tag");
    assert_eq!(complete("shop.p"), "shop.Product");
    assert!(complete("").starts_with("all\narticles\n"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every subcommand's --help (at clap's 100 columns, the width off a
/// terminal): each example is one line, never wrapped mid-command.
#[test]
fn help_examples_fit_on_one_line() {
    let commands: [&[&str]; 14] = [
        &["invalidate"],
        &["cleanfilecache"],
        &["filecache"],
        &["filecache", "stats"],
        &["reap"],
        &["keys"],
        &["inspect"],
        &["doctor"],
        &["show"],
        &["stats"],
        &["tui"],
        &["demo"],
        &["completions"],
        &[],
    ];
    for cmd in commands {
        let mut args = cmd.to_vec();
        args.push("--help");
        let o = common::cacheops_in(&args, &[("COLUMNS", "100")]);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let help = String::from_utf8_lossy(&o.stdout).into_owned();
        let Some(examples) = help.split("\nExamples:\n").nth(1) else {
            continue;
        };
        for line in examples.lines().take_while(|l| !l.is_empty()) {
            let first = line.split_whitespace().next().unwrap_or("");
            assert!(
                ["cacheops", "#", "*/10"].contains(&first),
                "{args:?}: an example wrapped at 100 columns: {line:?}\n{help}"
            );
        }
    }
}

/// The --help footer lists every exit code docs/exit-codes.md documents.
#[test]
fn help_footer_lists_every_documented_exit_code() {
    let o = cacheops(&["--help"]);
    let help = String::from_utf8_lossy(&o.stdout).into_owned();
    let footer = help.split("Exit codes:").nth(1).unwrap_or("");
    let doc = std::fs::read_to_string(repo("docs/exit-codes.md")).unwrap();
    let codes: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| ")?.split(' ').next())
        .filter(|c| c.parse::<u32>().is_ok())
        .collect();
    assert!(codes.contains(&"101"), "{codes:?}");
    for c in codes {
        assert!(
            footer
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{c} "))),
            "exit code {c} is documented but not in the --help footer:\n{footer}"
        );
    }
}
