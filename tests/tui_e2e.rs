//! The real binary in a real terminal: tmux runs `cacheops tui` against a
//! redis-server filled by real django-cacheops, keys are typed with
//! send-keys, the screen read with capture-pane; then Redis is compared with
//! what cacheops' own invalidate_model leaves.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{assert_same_db, copy_db, RealCacheops, RedisServer};

/// A tmux server of the test's own (`-L`), so that no user session is touched.
struct Tmux {
    socket: String,
    session: String,
    /// Where the shell around the binary writes its exit status.
    status_file: std::path::PathBuf,
}

fn tmux(socket: &str, args: &[&str]) -> std::process::Output {
    Command::new("tmux")
        .arg("-L")
        .arg(socket)
        .args(args)
        .output()
        .expect("tmux is installed (scripts/test.sh)")
}

impl Tmux {
    fn start(cmd: &[&str]) -> Tmux {
        let socket = format!("cacheops-e2e-{}-{}", std::process::id(), common::free_port());
        let session = "tui".to_string();
        let status_file = std::env::temp_dir().join(format!("{socket}.status"));
        // A clean environment (no colours to strip, no user config); the shell
        // records the exit status once the binary is gone.
        let line = format!(
            "env NO_COLOR=1 HOME=/nonexistent TERM=xterm-256color {}; echo $? > {}; sleep 60",
            cmd.iter().map(|a| format!("'{a}'")).collect::<Vec<_>>().join(" "),
            status_file.display()
        );
        let o = tmux(
            &socket,
            &[
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                "120",
                "-y",
                "40",
                &line,
            ],
        );
        assert!(o.status.success(), "tmux: {}", String::from_utf8_lossy(&o.stderr));
        Tmux {
            socket,
            session,
            status_file,
        }
    }

    fn exit_status(&self) -> Option<String> {
        std::fs::read_to_string(&self.status_file)
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        assert!(tmux(&self.socket, &args).status.success());
    }

    /// Types text literally (no key-name lookup).
    fn text(&self, text: &str) {
        assert!(
            tmux(&self.socket, &["send-keys", "-t", &self.session, "-l", text])
                .status
                .success()
        );
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&tmux(&self.socket, &["capture-pane", "-p", "-t", &self.session]).stdout)
            .into_owned()
    }

    /// Waits until the screen shows `what` (the TUI works in the background).
    fn wait_for(&self, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "the screen never showed {what:?}:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = tmux(&self.socket, &["kill-server"]);
        let _ = std::fs::remove_file(&self.status_file);
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
    let status = loop {
        if let Some(st) = t.exit_status() {
            break st;
        }
        assert!(Instant::now() < deadline, "q did not quit:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status, "0");
    // Back on the normal screen (the shell waits in it): the TUI's frame is gone.
    let after = t.screen();
    assert!(
        !after.contains("Tables  Keys  Stats"),
        "the alternate screen was left:\n{after}"
    );
}

#[test]
fn control_chords_from_a_real_terminal_neither_confirm_nor_type() {
    let s = RedisServer::start();
    let rc = RealCacheops::new();
    rc.run(&s.url(0), "classic", &["populate"]);
    let mut con = s.con(0);
    // Dead members, so that the reap dialog has something to confirm.
    let members: Vec<String> = redis::cmd("SMEMBERS")
        .arg("conj:articles_article:")
        .query(&mut con)
        .unwrap();
    let _: () = redis::cmd("DEL").arg(&members[..3]).query(&mut con).unwrap();
    let before = common::dump(&mut con);

    let url = s.url(0);
    let t = Tmux::start(&[env!("CARGO_BIN_EXE_cacheops"), "--redis", &url]);
    t.wait_for("tables with cached data: 10");
    t.keys(&["R"]);
    t.wait_for("y: go ahead");
    // Ctrl-Y (byte 0x19) is not `y`; Ctrl-C closes the dialog, not the TUI.
    t.keys(&["C-y"]);
    t.keys(&["C-c"]);
    t.wait_for("cancelled; nothing was changed");
    assert!(common::dump(&mut con) == before, "Ctrl-Y confirmed the reap");
    // Ctrl-C types no `c` into a field either.
    t.keys(&["I"]);
    t.wait_for("label (all, app");
    t.keys(&["C-c"]);
    t.wait_for("cancelled; nothing was changed");
    assert!(t.exit_status().is_none(), "Ctrl-C quit from a dialog");
    // With nothing open it quits.
    t.keys(&["C-c"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while t.exit_status().is_none() {
        assert!(Instant::now() < deadline, "Ctrl-C did not quit:\n{}", t.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(t.exit_status().as_deref(), Some("0"));
}
