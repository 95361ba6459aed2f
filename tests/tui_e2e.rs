//! The real binary in a real terminal: tmux runs `cacheops tui` against a
//! redis-server filled by real django-cacheops, keys are typed with
//! send-keys, the screen read with capture-pane; then Redis is compared with
//! what cacheops' own invalidate_model leaves.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{assert_same_db, copy_db, RealCacheops, RedisServer};

struct Tmux {
    session: String,
}

impl Tmux {
    fn start(cmd: &[&str]) -> Tmux {
        let session = format!("cacheops-e2e-{}-{}", std::process::id(), common::free_port());
        let tmux = |args: &[&str]| {
            let o = Command::new("tmux").args(args).output().expect("tmux is installed (scripts/test.sh)");
            assert!(o.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&o.stderr));
        };
        let mut args = vec!["new-session", "-d", "-s", &session, "-x", "120", "-y", "40"];
        // A clean environment: no colours to strip, no user config.
        args.extend(["env", "NO_COLOR=1", "HOME=/nonexistent", "TERM=xterm-256color"]);
        args.extend_from_slice(cmd);
        tmux(&args);
        // Keep the pane after the program exits, to read its exit status.
        tmux(&["set-option", "-t", &session, "remain-on-exit", "on"]);
        Tmux { session }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        assert!(Command::new("tmux").args(&args).status().unwrap().success());
    }

    /// Types text literally (no key-name lookup).
    fn text(&self, text: &str) {
        assert!(Command::new("tmux")
            .args(["send-keys", "-t", &self.session, "-l", text])
            .status()
            .unwrap()
            .success());
    }

    fn screen(&self) -> String {
        let o = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn display(&self, format: &str) -> String {
        let o = Command::new("tmux")
            .args(["display-message", "-p", "-t", &self.session, format])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }

    /// Waits until the screen shows `what` (the TUI works in the background).
    fn wait_for(&self, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            assert!(Instant::now() < deadline, "the screen never showed {what:?}:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.session]).status();
    }
}

#[test]
fn tables_to_entry_then_invalidate_in_a_real_terminal() {
    let s = RedisServer::start();
    let rc = RealCacheops::new();
    rc.run(&s.url(0), "classic", &["populate"]);
    copy_db(&s, 0, 1);
    rc.run(&s.url(1), "classic", &["reference", "model:articles.Category"]);

    let url = s.url(0);
    let t = Tmux::start(&[env!("CARGO_BIN_EXE_cacheops"), "--redis", &url]);
    t.wait_for("tables with cached data: 10");

    // Tables -> the table (filtered to it) -> a condition -> an entry.
    t.keys(&["/"]);
    t.text("articles_category");
    t.keys(&["Enter"]);
    t.wait_for("filter: articles_category");
    t.keys(&["Enter"]);
    t.wait_for("conditions of articles_category");
    t.keys(&["/"]);
    t.text("title = News");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("condition title = News");
    t.keys(&["Enter"]);
    let screen = t.wait_for("held by");
    assert!(screen.contains("(pk="), "a decoded model instance:\n{screen}");

    // Back to the table, and invalidate it: the name must be typed.
    t.keys(&["Escape", "Escape", "Escape"]);
    t.wait_for("conditions of articles_category");
    t.keys(&["i"]);
    t.wait_for("Type articles_category and Enter");
    t.text("articles_category");
    t.keys(&["Enter"]);
    t.wait_for("deleted 6 conj keys");
    assert_same_db(&s, 0, 1);

    // q quits with status 0, and the terminal is given back.
    t.keys(&["q"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while t.display("#{pane_dead}") != "1" {
        assert!(Instant::now() < deadline, "q did not quit:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(t.display("#{pane_dead_status}"), "0");
    assert_eq!(t.display("#{alternate_on}"), "0", "left the alternate screen");
}
