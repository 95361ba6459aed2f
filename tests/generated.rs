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
