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
