//! Python-repr-like text of decoded values, bounded in length and in work.
//!
//! A decoded value may share sub-values (memo references), so its naive expansion can be
//! exponentially larger than the pickle. Every visited value writes at least one character and
//! every loop step is counted, so rendering stops at a fixed budget whatever the value.

use std::borrow::Cow;
use std::fmt;

use super::known::{recognize, Known};
use super::value::{Object, Value};

/// How much to show and how; the defaults suit a one-line listing.
#[derive(Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Characters of output kept; the rest is replaced by `…` and a count.
    pub max_len: usize,
    /// Items shown per container (and fields per model instance) before `... N more`.
    pub max_items: usize,
    /// Characters of one `str` (bytes of one `bytes`) shown before `…(+N chars)`, so that one
    /// long text field does not take the whole output.
    pub max_str_len: usize,
    /// One item per line, indented, for containers that do not fit on a line of `width`.
    pub pretty: bool,
    pub indent: usize,
    pub width: usize,
    /// The primary key attname of a Django model, by app label and object name, shown first as
    /// `pk=`; `None` means `id`, Django's default. Comes from the tool's model registry.
    pub pk_field: &'a dyn Fn(&str, &str) -> Option<String>,
}

fn default_pk(_app: &str, _model: &str) -> Option<String> {
    None
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        RenderOptions {
            max_len: 2000,
            max_items: 100,
            max_str_len: 500,
            pretty: false,
            indent: 4,
            width: 100,
            pk_field: &default_pk,
        }
    }
}

impl RenderOptions<'_> {
    /// Settings for a detail view: multi-line, generous limits.
    pub fn detail() -> Self {
        RenderOptions {
            max_len: 200_000,
            max_items: 1000,
            max_str_len: 20_000,
            pretty: true,
            ..Default::default()
        }
    }
}

impl fmt::Debug for RenderOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenderOptions")
            .field("max_len", &self.max_len)
            .field("max_items", &self.max_items)
            .field("max_str_len", &self.max_str_len)
            .field("pretty", &self.pretty)
            .field("indent", &self.indent)
            .field("width", &self.width)
            .finish_non_exhaustive()
    }
}

/// Renders a decoded value as Python-like text that fits the options' budgets; never fails.
pub fn render(v: &Value, opts: &RenderOptions) -> String {
    let keep = opts.max_len.min(HARD_MAX_LEN);
    let mut out = Out::new(keep, keep.saturating_add(COUNT_BEYOND));
    let mut r = Renderer {
        opts,
        pretty: opts.pretty,
        work: 0,
        work_cap: WORK_CAP.saturating_add(keep.saturating_mul(8)),
    };
    let complete = r.value(v, &mut out, 0).is_ok();
    let mut text = std::mem::take(&mut out.buf);
    if out.chars > out.keep {
        let cut = out.chars - out.keep;
        if complete {
            text.push_str(&format!("… ({cut} more chars)"));
        } else {
            text.push_str(&format!("… (over {cut} more chars)"));
        }
    } else if !complete {
        text.push_str("… (stopped: too large to render)");
    }
    text
}

/// Characters counted (not kept) past `max_len` to say how much was cut.
const COUNT_BEYOND: usize = 1_000_000;
const HARD_MAX_LEN: usize = 64 << 20;
const WORK_CAP: usize = 20_000_000;
/// Deeper values show as `…`: each level costs about 2 KiB of stack in debug builds, and this
/// keeps rendering within a quarter of a 2 MiB thread stack.
const MAX_RENDER_DEPTH: usize = 250;

/// A piece of a recognised value's text: literal text or a nested value shown compactly.
pub(super) enum Piece<'v> {
    Text(String),
    Val(&'v Value),
    /// Items shown as a list.
    Seq(&'v [Value]),
}

/// The output budget ran out; unwinds the renderer.
struct Abort;

type R = Result<(), Abort>;

struct Out {
    buf: String,
    chars: usize,
    keep: usize,
    stop: usize,
}

impl Out {
    fn new(keep: usize, stop: usize) -> Self {
        Out {
            buf: String::new(),
            chars: 0,
            keep,
            stop,
        }
    }

    fn push(&mut self, s: &str) -> R {
        if self.chars.saturating_add(s.len()) <= self.keep {
            self.buf.push_str(s);
            self.chars += s.chars().count();
            return Ok(());
        }
        for c in s.chars() {
            if self.chars < self.keep {
                self.buf.push(c);
            }
            self.chars += 1;
            if self.chars > self.stop {
                return Err(Abort);
            }
        }
        Ok(())
    }

    /// Characters that may still be written before rendering stops.
    fn room(&self) -> usize {
        self.stop.saturating_sub(self.chars).saturating_add(1)
    }
}

type ItemFn<'f, 'o, 'a> = dyn FnMut(&mut Renderer<'o, 'a>, usize, &mut Out, usize) -> R + 'f;

struct Renderer<'o, 'a> {
    opts: &'o RenderOptions<'a>,
    pretty: bool,
    work: usize,
    work_cap: usize,
}

impl<'o, 'a> Renderer<'o, 'a> {
    fn tick(&mut self, n: usize) -> R {
        self.work = self.work.saturating_add(n);
        if self.work > self.work_cap {
            Err(Abort)
        } else {
            Ok(())
        }
    }

    fn value(&mut self, v: &Value, out: &mut Out, level: usize) -> R {
        self.tick(1)?;
        if level > MAX_RENDER_DEPTH {
            return out.push("…");
        }
        match v {
            Value::List(items) => self.seq("[", "]", items, false, out, level),
            Value::Tuple(items) => self.seq("(", ")", items, true, out, level),
            Value::Set(items) if !items.is_empty() => self.seq("{", "}", items, false, out, level),
            Value::FrozenSet(items) if !items.is_empty() => {
                self.seq("frozenset({", "})", items, false, out, level)
            }
            Value::Dict(pairs) => self.dict(pairs, out, level),
            Value::Object(o) => self.object(o, out, level),
            Value::PersistentId(pid) => {
                out.push("<persistent id ")?;
                self.compact(out, |r, out| r.value(pid, out, level + 1))?;
                out.push(">")
            }
            leaf => self.leaf(leaf, out),
        }
    }

    /// Values without nested values; kept out of `value` so that the recursion's frames stay
    /// small (deep values recurse through `value`).
    #[inline(never)]
    fn leaf(&mut self, v: &Value, out: &mut Out) -> R {
        match v {
            Value::None => out.push("None"),
            Value::Bool(b) => out.push(if *b { "True" } else { "False" }),
            Value::Int(n) => out.push(&n.to_string()),
            Value::BigInt(s) => out.push(s),
            Value::Float(f) => out.push(&py_float(*f)),
            Value::Str(s) => self.str(s, out),
            Value::Bytes(b) => self.bytes(b, out),
            Value::ByteArray(b) => {
                out.push("bytearray(")?;
                self.bytes(b, out)?;
                out.push(")")
            }
            Value::Set(_) => out.push("set()"),
            Value::FrozenSet(_) => out.push("frozenset()"),
            Value::Global(g) => out.push(&format!("<global {}.{}>", g.module, g.name)),
            Value::Extension(code) => out.push(&format!("<extension code {code}>")),
            Value::OutOfBandBuffer(n) => out.push(&format!("<out-of-band buffer #{n}>")),
            Value::Recursive(text) => out.push(text),
            Value::List(_) | Value::Tuple(_) | Value::Dict(_) | Value::Object(_) | Value::PersistentId(_) => {
                out.push("…")
            }
        }
    }

    /// Runs `f` in one-line mode.
    fn compact(&mut self, out: &mut Out, f: impl FnOnce(&mut Self, &mut Out) -> R) -> R {
        let saved = self.pretty;
        self.pretty = false;
        let r = f(self, out);
        self.pretty = saved;
        r
    }

    /// One-line text of a value, at most `limit` characters (for labels and non-str keys).
    fn short_text(&mut self, v: &Value, limit: usize) -> Result<String, Abort> {
        let mut tmp = Out::new(limit, limit);
        let r = self.compact(&mut tmp, |r, tmp| r.value(v, tmp, MAX_RENDER_DEPTH / 2));
        if self.work > self.work_cap {
            return Err(Abort);
        }
        let mut text = tmp.buf;
        if r.is_err() {
            text.push('…');
        }
        Ok(text)
    }

    fn pad(&self, out: &mut Out, level: usize) -> R {
        out.push(&" ".repeat(self.opts.indent.saturating_mul(level).min(1000)))
    }

    /// Writes `open item, item, ... close`: on one line, or, in pretty mode when that line would
    /// be wider than `width`, one item per line.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        open: &str,
        close: &str,
        n: usize,
        tuple1: bool,
        out: &mut Out,
        level: usize,
        item: &mut ItemFn<'_, 'o, 'a>,
    ) -> R {
        self.tick(1)?;
        if n == 0 {
            out.push(open)?;
            return out.push(close);
        }
        if self.pretty {
            self.block_pretty(open, close, n, tuple1, out, level, item)
        } else {
            self.block_line(open, close, n, tuple1, out, level, item)
        }
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn block_pretty(
        &mut self,
        open: &str,
        close: &str,
        n: usize,
        tuple1: bool,
        out: &mut Out,
        level: usize,
        item: &mut ItemFn<'_, 'o, 'a>,
    ) -> R {
        let avail = self
            .opts
            .width
            .saturating_sub(self.opts.indent.saturating_mul(level));
        let mut tmp = Out::new(avail, avail);
        self.pretty = false;
        let fits = self
            .block_line(open, close, n, tuple1, &mut tmp, level, item)
            .is_ok();
        self.pretty = true;
        if self.work > self.work_cap {
            return Err(Abort);
        }
        if fits && !tmp.buf.contains('\n') {
            return out.push(&tmp.buf);
        }
        drop(tmp);
        let shown = n.min(self.opts.max_items);
        out.push(open.trim_end())?;
        for i in 0..shown {
            out.push("\n")?;
            self.pad(out, level + 1)?;
            item(self, i, out, level + 1)?;
            out.push(",")?;
        }
        if n > shown {
            out.push("\n")?;
            self.pad(out, level + 1)?;
            out.push(&format!("... {} more", n - shown))?;
        }
        out.push("\n")?;
        self.pad(out, level)?;
        out.push(close)
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn block_line(
        &mut self,
        open: &str,
        close: &str,
        n: usize,
        tuple1: bool,
        out: &mut Out,
        level: usize,
        item: &mut ItemFn<'_, 'o, 'a>,
    ) -> R {
        let shown = n.min(self.opts.max_items);
        out.push(open)?;
        for i in 0..shown {
            if i > 0 {
                out.push(", ")?;
            }
            item(self, i, out, level + 1)?;
        }
        if n > shown {
            out.push(if shown > 0 { ", ... " } else { "... " })?;
            out.push(&format!("{} more", n - shown))?;
        }
        if tuple1 && n == 1 {
            out.push(",")?;
        }
        out.push(close)
    }

    fn seq(
        &mut self,
        open: &str,
        close: &str,
        items: &[Value],
        tuple1: bool,
        out: &mut Out,
        level: usize,
    ) -> R {
        self.block(
            open,
            close,
            items.len(),
            tuple1,
            out,
            level,
            &mut |r, i, out, lvl| match items.get(i) {
                Some(v) => r.value(v, out, lvl),
                None => Ok(()),
            },
        )
    }

    fn dict(&mut self, pairs: &[(Value, Value)], out: &mut Out, level: usize) -> R {
        self.block(
            "{",
            "}",
            pairs.len(),
            false,
            out,
            level,
            &mut |r, i, out, lvl| match pairs.get(i) {
                Some((k, v)) => {
                    r.compact(out, |r, out| r.value(k, out, lvl))?;
                    out.push(": ")?;
                    r.value(v, out, lvl)
                }
                None => Ok(()),
            },
        )
    }

    fn str(&mut self, s: &str, out: &mut Out) -> R {
        let budget = self.opts.max_str_len.min(out.room());
        let cut = s.char_indices().nth(budget).map(|(i, _)| i);
        let (shown, rest) = s.split_at(cut.unwrap_or(s.len()));
        self.tick(shown.len() / 16)?;
        out.push(&py_str(shown))?;
        if !rest.is_empty() {
            self.tick(rest.len() / 8)?;
            out.push(&format!("…(+{} chars)", rest.chars().count()))?;
        }
        Ok(())
    }

    fn bytes(&mut self, b: &[u8], out: &mut Out) -> R {
        let budget = self.opts.max_str_len.min(out.room());
        let (shown, rest) = b.split_at(b.len().min(budget));
        self.tick(shown.len() / 16)?;
        out.push(&py_bytes(shown))?;
        if !rest.is_empty() {
            out.push(&format!("…(+{} bytes)", rest.len()))?;
        }
        Ok(())
    }

    fn object(&mut self, o: &Object, out: &mut Out, level: usize) -> R {
        match recognize(o) {
            Some(Known::Inline(pieces)) => self.compact(out, |r, out| {
                for piece in &pieces {
                    match piece {
                        Piece::Text(t) => out.push(t)?,
                        Piece::Val(v) => r.value(v, out, level + 1)?,
                        Piece::Seq(items) => r.seq("[", "]", items, false, out, level + 1)?,
                    }
                }
                Ok(())
            }),
            Some(Known::Model { app, model, state }) => self.model(app, model, state, out, level),
            Some(Known::Call { name, args, dict }) => {
                let dict = dict.filter(|d| !d.is_empty() || name == "defaultdict");
                let n = args.len() + usize::from(dict.is_some());
                self.block(
                    &format!("{name}("),
                    ")",
                    n,
                    false,
                    out,
                    level,
                    &mut |r, i, out, lvl| match (args.get(i), dict) {
                        (Some(Piece::Text(t)), _) => out.push(t),
                        (Some(Piece::Val(v)), _) => r.value(v, out, lvl),
                        (Some(Piece::Seq(items)), _) => r.seq("[", "]", items, false, out, lvl),
                        (None, Some(d)) => r.dict(d, out, lvl),
                        (None, None) => Ok(()),
                    },
                )
            }
            None => self.generic(o, out, level),
        }
    }

    /// `app.Model(pk=1, field=value, ...)`: Django's private attributes (`_state`,
    /// `_django_version`, caches) are left out.
    fn model(&mut self, app: &str, model: &str, state: &[(Value, Value)], out: &mut Out, level: usize) -> R {
        let pk_name = (self.opts.pk_field)(app, model).unwrap_or_else(|| "id".to_string());
        let pk = state.iter().find(|(k, _)| k.as_str() == Some(pk_name.as_str()));
        let mut fields: Vec<(Cow<str>, &Value)> = Vec::new();
        if let Some((_, v)) = pk {
            fields.push((Cow::Borrowed("pk"), v));
        }
        for (k, v) in state {
            self.tick(1)?;
            match k {
                Value::Str(name) if name.starts_with('_') => {}
                Value::Str(name) if pk.is_some() && **name == *pk_name => {}
                Value::Str(name) => fields.push((Cow::Borrowed(name), v)),
                other => fields.push((Cow::Owned(self.short_text(other, 80)?), v)),
            }
        }
        let open = format!("{app}.{model}(");
        self.block(
            &open,
            ")",
            fields.len(),
            false,
            out,
            level,
            &mut |r, i, out, lvl| match fields.get(i) {
                Some((name, v)) => {
                    out.push(name)?;
                    out.push("=")?;
                    r.value(v, out, lvl)
                }
                None => Ok(()),
            },
        )
    }

    /// `<module.Name object: args=(...), state={...}>` for anything not recognised.
    fn generic(&mut self, o: &Object, out: &mut Out, level: usize) -> R {
        let label = match o.class_path() {
            Some((module, name)) => format!("{module}.{name}"),
            None => self.short_text(&o.callable, 200)?,
        };
        enum Part<'v> {
            Args(&'v [Value]),
            Kwargs(&'v Value),
            State(&'v Value),
            Items(&'v [Value]),
            DictItems(&'v [(Value, Value)]),
        }
        let mut parts = Vec::new();
        if !o.args.is_empty() {
            parts.push(Part::Args(&o.args));
        }
        if let Some(kw) = &o.kwargs {
            parts.push(Part::Kwargs(kw));
        }
        match &o.state {
            None | Some(Value::None) => {}
            Some(state) => parts.push(Part::State(state)),
        }
        if !o.list_items.is_empty() {
            parts.push(Part::Items(&o.list_items));
        }
        if !o.dict_items.is_empty() {
            parts.push(Part::DictItems(&o.dict_items));
        }
        if parts.is_empty() {
            return out.push(&format!("<{label} object>"));
        }
        let open = format!("<{label} object: ");
        self.block(
            &open,
            ">",
            parts.len(),
            false,
            out,
            level,
            &mut |r, i, out, lvl| match parts.get(i) {
                Some(Part::Args(args)) => {
                    out.push("args=")?;
                    r.seq("(", ")", args, true, out, lvl)
                }
                Some(Part::Kwargs(kw)) => {
                    out.push("kwargs=")?;
                    r.value(kw, out, lvl)
                }
                Some(Part::State(state)) => {
                    out.push("state=")?;
                    r.value(state, out, lvl)
                }
                Some(Part::Items(items)) => {
                    out.push("items=")?;
                    r.seq("[", "]", items, false, out, lvl)
                }
                Some(Part::DictItems(items)) => {
                    out.push("dictitems=")?;
                    r.dict(items, out, lvl)
                }
                None => Ok(()),
            },
        )
    }
}

// ---------------------------------------------------------------------- Python reprs

/// Python's `repr(float)`: shortest round-trip digits, scientific below 1e-4 and from 1e16.
pub(super) fn py_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if f < 0.0 { "-" } else { "" };
    let n = digits.len() as i64;
    let body = if (-4..16).contains(&exp) {
        let point = exp + 1;
        if point <= 0 {
            format!("0.{}{}", "0".repeat((-point) as usize), digits)
        } else if point >= n {
            format!("{}{}.0", digits, "0".repeat((point - n) as usize))
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{first}{frac}e{esign}{:02}", exp.unsigned_abs())
    };
    format!("{sign}{body}")
}

/// Python's quote choice: single quotes unless the text has `'` and no `"`.
fn quote_for(has_single: bool, has_double: bool) -> char {
    if has_single && !has_double {
        '"'
    } else {
        '\''
    }
}

/// Close to `str.isprintable()` without Unicode tables: controls, separators other than
/// space, format characters commonly met, private use and noncharacters are escaped.
fn printable(c: char) -> bool {
    let u = u32::from(c);
    !(u < 0x20
        || (0x7F..=0xA0).contains(&u)
        || u == 0xAD
        || u == 0x1680
        || u == 0x180E
        || (0x2000..=0x200F).contains(&u)
        || (0x2028..=0x202F).contains(&u)
        || (0x205F..=0x206F).contains(&u)
        || u == 0x3000
        || u == 0xFEFF
        || (0xFFF9..=0xFFFB).contains(&u)
        || (0xE000..=0xF8FF).contains(&u)
        || (0xFDD0..=0xFDEF).contains(&u)
        || u & 0xFFFE == 0xFFFE
        || u >= 0xF0000
        || (0xE0000..=0xE0FFF).contains(&u))
}

/// Python's `repr(str)`.
pub(super) fn py_str(s: &str) -> String {
    let q = quote_for(s.contains('\''), s.contains('"'));
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if printable(c) => out.push(c),
            c => {
                let u = u32::from(c);
                if u < 0x100 {
                    out.push_str(&format!("\\x{u:02x}"));
                } else if u < 0x10000 {
                    out.push_str(&format!("\\u{u:04x}"));
                } else {
                    out.push_str(&format!("\\U{u:08x}"));
                }
            }
        }
    }
    out.push(q);
    out
}

/// Python's `repr(bytes)`.
pub(super) fn py_bytes(b: &[u8]) -> String {
    let q = quote_for(b.contains(&b'\''), b.contains(&b'"'));
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(q);
    for &byte in b {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if char::from(c) == q => {
                out.push('\\');
                out.push(q);
            }
            0x20..=0x7E => out.push(char::from(byte)),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push(q);
    out
}
