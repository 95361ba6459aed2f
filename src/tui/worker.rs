//! The TUI's Redis work, on its own thread: the input loop never waits on
//! Redis. Requests go in, responses come out; a table walk advances one SCAN
//! page between requests, so that a request never waits for the walk.

use std::collections::HashMap;
use std::sync::mpsc::{channel, Receiver, Sender, TryRecvError};
use std::time::Duration;

use crate::conn::Target;
use crate::inspect::{show_key, ConjRow, ConjWalk, KeyView, TableSummary, TablesWalk};
use crate::keys::Namespace;

#[derive(Debug, Clone)]
pub enum Request {
    /// Walk the tables from the start (a refresh).
    Tables,
    /// More conj keys of a table; `restart` begins a new walk.
    Conj {
        table: String,
        restart: bool,
    },
    Show(String),
}

#[derive(Debug, Clone)]
pub enum Response {
    Tables {
        tables: Vec<(String, TableSummary)>,
        fraction: f64,
        done: bool,
    },
    Conj {
        table: String,
        rows: Vec<ConjRow>,
        restart: bool,
        done: bool,
    },
    Key(Box<KeyView>),
    Error(String),
    /// The connection was lost; the worker is reconnecting.
    Disconnected(String),
}

pub struct Worker {
    pub tx: Sender<Request>,
    pub rx: Receiver<Response>,
}

/// Rows of conj keys fetched per "load more".
const CONJ_PAGE: usize = 200;

pub fn spawn(target: Target, ns: Namespace) -> Worker {
    let (req_tx, req_rx) = channel::<Request>();
    let (resp_tx, resp_rx) = channel::<Response>();
    std::thread::spawn(move || run(target, ns, req_rx, resp_tx));
    Worker {
        tx: req_tx,
        rx: resp_rx,
    }
}

fn run(target: Target, ns: Namespace, rx: Receiver<Request>, tx: Sender<Response>) {
    let mut con = None;
    let mut walk: Option<TablesWalk> = None;
    let mut conj: HashMap<String, ConjWalk> = HashMap::new();
    loop {
        // Requests first; the walk only moves on when there is none.
        let req = match rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) if walk.as_ref().is_some_and(|w| !w.done) => None,
            Err(TryRecvError::Empty) => match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(r) => Some(r),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
                Err(_) => return,
            },
            Err(TryRecvError::Disconnected) => return,
        };
        if con.is_none() {
            match target.connect() {
                Ok(c) => con = Some(c),
                Err(e) => {
                    // The request is dropped: the UI asks again once Redis is back.
                    let _ = tx.send(Response::Disconnected(e.to_string()));
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            }
        }
        let c = con.as_mut().expect("connected above");
        let result = match req {
            None => {
                let w = walk.as_mut().expect("a walk in progress");
                w.step(c).map(|_| {
                    let _ = tx.send(Response::Tables {
                        tables: w.tables.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                        fraction: w.fraction,
                        done: w.done,
                    });
                })
            }
            Some(Request::Tables) => {
                walk = Some(TablesWalk::new(&ns));
                Ok(())
            }
            Some(Request::Conj { table, restart }) => (|| {
                if restart || !conj.contains_key(&table) {
                    conj.insert(table.clone(), ConjWalk::new(c, &ns, &table)?);
                }
                let w = conj.get_mut(&table).expect("inserted above");
                let rows = w.more(c, CONJ_PAGE)?;
                let _ = tx.send(Response::Conj {
                    table,
                    rows,
                    restart,
                    done: w.done,
                });
                Ok(())
            })(),
            Some(Request::Show(key)) => show_key(c, &ns, &key).map(|v| {
                let _ = tx.send(Response::Key(Box::new(v)));
            }),
        };
        if let Err(e) = result {
            let lost = matches!(e, crate::error::Error::Connect(_));
            if lost {
                con = None;
                let _ = tx.send(Response::Disconnected(e.to_string()));
            } else {
                let _ = tx.send(Response::Error(e.to_string()));
            }
        }
    }
}
