//! Our Lua scripts (src/lua/) and their replies, typed.

use redis::{Connection, Value};

use crate::error::{Error, Result};
use crate::layout::Layout;
use crate::lua::Lua;

/// Reply of invalidate_dict.lua.
#[derive(Debug)]
pub enum DictReply {
    Done {
        layout: Layout,
        conj: u64,
        cache: u64,
        keys: Vec<String>,
    },
    Nothing,
    Big {
        layout: Layout,
        keys: Vec<String>,
    },
    Conflict {
        what: String,
        detail: Vec<String>,
    },
}

pub struct DictCall<'a> {
    pub prefix: &'a str,
    pub table: &'a str,
    pub classic_json: &'a str,
    pub insideout_json: &'a str,
    pub expected: Option<Layout>,
    pub max_members: usize,
    pub dry_run: bool,
}

impl DictCall<'_> {
    fn invocation(&self) -> redis::ScriptInvocation<'static> {
        let mut inv = Lua::InvalidateDict.script().prepare_invoke();
        inv.key(self.prefix)
            .arg(self.table)
            .arg(self.classic_json)
            .arg(self.insideout_json)
            .arg(self.expected.map(Layout::name).unwrap_or("auto"))
            .arg(self.max_members)
            .arg(if self.dry_run { "1" } else { "0" });
        inv
    }
}

pub fn invalidate_dict(con: &mut Connection, c: &DictCall) -> Result<DictReply> {
    let reply: Vec<Value> = c.invocation().invoke(con)?;
    parse_dict_reply(&reply)
}

/// Many calls in one round trip (the script loaded first, in the same pipeline).
pub fn invalidate_dicts(con: &mut Connection, calls: &[DictCall]) -> Result<Vec<DictReply>> {
    let script = Lua::InvalidateDict.script();
    let mut pipe = redis::pipe();
    pipe.load_script(script).ignore();
    let invocations: Vec<_> = calls.iter().map(DictCall::invocation).collect();
    for inv in &invocations {
        pipe.invoke_script(inv);
    }
    let replies: Vec<Vec<Value>> = pipe.query(con)?;
    replies.iter().map(|r| parse_dict_reply(r)).collect()
}

fn parse_dict_reply(reply: &[Value]) -> Result<DictReply> {
    let status = text(reply, 0)?;
    let layout = Layout::parse(&text(reply, 1)?);
    let rest: Vec<String> = (4..reply.len()).map(|i| text(reply, i)).collect::<Result<_>>()?;
    Ok(match status.as_str() {
        "ok" => Done {
            layout: layout.ok_or_else(|| bad_reply("layout"))?,
            conj: int(reply, 2)?,
            cache: int(reply, 3)?,
            keys: rest,
        },
        "none" => DictReply::Nothing,
        "big" => DictReply::Big {
            layout: layout.ok_or_else(|| bad_reply("layout"))?,
            keys: rest,
        },
        "conflict" => DictReply::Conflict {
            what: text(reply, 1)?,
            detail: rest,
        },
        other => return Err(bad_reply(other)),
    })
}

use DictReply::Done;

/// Reply of drain_conj.lua.
#[derive(Debug)]
pub enum DrainReply {
    /// `done` keys handled; when `partial`, call again from `keys[done..]`.
    /// `layout` is that of the keys, `None` when none of them exists.
    Progress {
        done: usize,
        partial: bool,
        conj: u64,
        cache: u64,
        layout: Option<Layout>,
    },
    /// A key of another layout than expected, or keys of both: nothing changed.
    Conflict { key: String, found_type: String },
}

/// Drops `keys` (at most `budget` cache keys deleted); `expected: None` lets
/// the keys' type decide the layout.
pub fn drain(
    con: &mut Connection,
    keys: &[String],
    expected: Option<Layout>,
    budget: usize,
) -> Result<DrainReply> {
    let mut inv = Lua::DrainConj.script().prepare_invoke();
    for k in keys {
        inv.key(k);
    }
    let reply: Vec<Value> = inv
        .arg(expected.map(Layout::name).unwrap_or("auto"))
        .arg(budget)
        .invoke(con)?;
    let status = text(&reply, 0)?;
    Ok(match status.as_str() {
        "ok" | "partial" => DrainReply::Progress {
            done: int(&reply, 1)? as usize,
            partial: status == "partial",
            conj: int(&reply, 2)?,
            cache: int(&reply, 3)?,
            layout: Layout::parse(&text(&reply, 4)?),
        },
        "conflict" => DrainReply::Conflict {
            key: text(&reply, 5)?,
            found_type: text(&reply, 6)?,
        },
        other => return Err(bad_reply(other)),
    })
}

fn bad_reply(what: &str) -> Error {
    Error::Redis(format!("unexpected reply from a cacheops script: {what}"))
}

fn text(v: &[Value], i: usize) -> Result<String> {
    match v.get(i) {
        Some(Value::BulkString(b)) => Ok(String::from_utf8_lossy(b).into_owned()),
        Some(Value::SimpleString(s)) => Ok(s.clone()),
        Some(Value::Int(n)) => Ok(n.to_string()),
        other => Err(bad_reply(&format!("{other:?}"))),
    }
}

fn int(v: &[Value], i: usize) -> Result<u64> {
    match v.get(i) {
        Some(Value::Int(n)) => Ok((*n).max(0) as u64),
        other => Err(bad_reply(&format!("{other:?}"))),
    }
}
