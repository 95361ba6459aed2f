//! Recognisers for the classes cacheops values are made of, so that they read like the Python
//! values a developer knows instead of raw reduce tuples.

use super::render::Piece;
use super::value::{Object, Value};

/// How to show a recognised object.
pub(super) enum Known<'v> {
    /// Text and nested values on one line: `datetime(2024-05-01 10:00:00+00:00)`, `Decimal('1')`.
    Inline(Vec<Piece<'v>>),
    /// A Django model instance (`model_unpickle` + `BUILD` of the instance `__dict__`).
    Model {
        app: &'v str,
        model: &'v str,
        state: &'v [(Value, Value)],
    },
    /// A call with positional values and an optional dict: `OrderedDict({...})`.
    Call {
        name: &'static str,
        args: Vec<Piece<'v>>,
        dict: Option<&'v [(Value, Value)]>,
    },
}

pub(super) fn recognize(obj: &Object) -> Option<Known<'_>> {
    let (module, name) = obj.class_path()?;
    let args = obj.args.as_slice();
    let plain = obj.state.as_ref().is_none_or(|s| matches!(s, Value::None))
        && obj.list_items.is_empty()
        && obj.kwargs.is_none();
    match (module, name) {
        ("django.db.models.base", "model_unpickle") => model(obj),
        ("datetime", "datetime") if plain => datetime(args).map(Known::Inline),
        ("datetime", "date") if plain && obj.dict_items.is_empty() => date(args).map(Known::Inline),
        ("datetime", "time") if plain && obj.dict_items.is_empty() => time(args).map(Known::Inline),
        ("datetime", "timedelta") if plain && obj.dict_items.is_empty() => {
            timedelta_us(obj)?;
            Some(Known::Inline(vec![Piece::Text(timedelta_text(args))]))
        }
        ("decimal", "Decimal") if plain => match args {
            [s @ Value::Str(_)] => Some(inline3("Decimal(", s, ")")),
            _ => None,
        },
        ("uuid", "UUID") if args.is_empty() && obj.list_items.is_empty() && obj.dict_items.is_empty() => {
            // {'int': N} and maybe 'is_safe': a bigger dict is not a UUID's (and is not scanned).
            let state = obj.state.as_ref()?;
            if state.as_dict()?.len() > 4 {
                return None;
            }
            let int = state.get("int")?;
            let n = match int {
                Value::Int(n) => u128::try_from(*n).ok()?,
                Value::BigInt(s) => s.parse::<u128>().ok()?,
                _ => return None,
            };
            let h = format!("{n:032x}");
            let text = format!(
                "UUID('{}-{}-{}-{}-{}')",
                h.get(0..8)?,
                h.get(8..12)?,
                h.get(12..16)?,
                h.get(16..20)?,
                h.get(20..32)?
            );
            Some(Known::Inline(vec![Piece::Text(text)]))
        }
        ("collections", "OrderedDict") if plain && args.is_empty() => Some(Known::Call {
            name: "OrderedDict",
            args: Vec::new(),
            dict: Some(&obj.dict_items),
        }),
        ("collections", "defaultdict") if plain => {
            let factory = match args {
                [] => Piece::Text("None".into()),
                [Value::Global(g)] if g.module == "builtins" => Piece::Text(g.name.clone()),
                [Value::Global(g)] => Piece::Text(format!("{}.{}", g.module, g.name)),
                [other] => Piece::Val(other),
                _ => return None,
            };
            Some(Known::Call {
                name: "defaultdict",
                args: vec![factory],
                dict: Some(&obj.dict_items),
            })
        }
        ("collections", "Counter") if plain && obj.dict_items.is_empty() => match args {
            [] => Some(Known::Call {
                name: "Counter",
                args: Vec::new(),
                dict: None,
            }),
            [Value::Dict(items)] => Some(Known::Call {
                name: "Counter",
                args: Vec::new(),
                dict: Some(items),
            }),
            _ => None,
        },
        // deque.__reduce__: deque((), maxlen) or deque(), items appended.
        ("collections", "deque") if obj.kwargs.is_none() && obj.dict_items.is_empty() => {
            if !obj.state.as_ref().is_none_or(|s| matches!(s, Value::None)) {
                return None;
            }
            let maxlen = match args {
                [] => None,
                [Value::Tuple(t)] | [Value::Tuple(t), Value::None] if t.is_empty() => None,
                [Value::Tuple(t), m] if t.is_empty() => Some(int(m)?),
                _ => return None,
            };
            let mut args = vec![Piece::Seq(&obj.list_items)];
            if let Some(m) = maxlen {
                args.push(Piece::Text(format!("maxlen={m}")));
            }
            Some(Known::Call {
                name: "deque",
                args,
                dict: None,
            })
        }
        ("django.utils.safestring", "SafeString" | "SafeText")
            if obj.list_items.is_empty() && obj.dict_items.is_empty() =>
        {
            match args {
                [s @ Value::Str(_)] => Some(inline3("SafeString(", s, ")")),
                _ => None,
            }
        }
        _ if plain && obj.dict_items.is_empty() => tz_object(obj),
        _ => None,
    }
}

fn inline3<'v>(open: &str, v: &'v Value, close: &str) -> Known<'v> {
    Known::Inline(vec![
        Piece::Text(open.into()),
        Piece::Val(v),
        Piece::Text(close.into()),
    ])
}

/// Django pickles an instance as `model_unpickle((app_label, object_name))` then `BUILD` with the
/// instance `__dict__`; Django before 1.10 passed the class itself.
fn model(obj: &Object) -> Option<Known<'_>> {
    let (app, model) = match obj.args.first()? {
        Value::Tuple(id) => match id.as_ref() {
            [Value::Str(app), Value::Str(model), ..] => (app.as_ref(), model.as_ref()),
            _ => return None,
        },
        Value::Global(g) => (g.module.as_str(), g.name.as_str()),
        _ => return None,
    };
    let state: &[(Value, Value)] = match &obj.state {
        Some(Value::Dict(items)) => items,
        None => &[],
        Some(_) => return None,
    };
    if !obj.list_items.is_empty() || !obj.dict_items.is_empty() {
        return None;
    }
    Some(Known::Model { app, model, state })
}

/// The packed state of `datetime`/`date`/`time` pickles; Python 2 pickles carry it as an
/// 8-bit string, which protocol 0 readers may see as a Latin-1 `str`.
fn state_bytes<const N: usize>(v: &Value) -> Option<[u8; N]> {
    let bytes: Vec<u8> = match v {
        Value::Bytes(b) if b.len() == N => b.to_vec(),
        // Latin-1 text: at most 2 UTF-8 bytes a character; checked before copying.
        Value::Str(s) if s.len() <= 2 * N => s
            .chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect::<Option<_>>()?,
        _ => return None,
    };
    <[u8; N]>::try_from(bytes).ok()
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(n) => Some(*n),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn ymd(y: i64, m: i64, d: i64) -> Option<String> {
    ((1..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn hms(h: i64, mi: i64, s: i64, us: i64) -> Option<String> {
    if !((0..24).contains(&h)
        && (0..60).contains(&mi)
        && (0..60).contains(&s)
        && (0..1_000_000).contains(&us))
    {
        return None;
    }
    let mut text = format!("{h:02}:{mi:02}:{s:02}");
    if us != 0 {
        text.push_str(&format!(".{us:06}"));
    }
    Some(text)
}

/// Appends the tz of a datetime/time: its offset and zone name when known, else the raw value.
fn push_tz<'v>(pieces: &mut Vec<Piece<'v>>, tz: Option<&'v Value>) {
    match tz {
        None | Some(Value::None) => {}
        Some(tz) => match tz_info(tz) {
            Some(info) => {
                if let Some(offset) = info.offset {
                    pieces.push(Piece::Text(offset));
                }
                if let Some(zone) = info.zone {
                    pieces.push(Piece::Text(format!(" {zone}")));
                }
            }
            None => {
                pieces.push(Piece::Text(" tzinfo=".into()));
                pieces.push(Piece::Val(tz));
            }
        },
    }
}

fn datetime(args: &[Value]) -> Option<Vec<Piece<'_>>> {
    let (date, time, fold, tz) = match args {
        [state] | [state, _] if state_bytes::<10>(state).is_some() => {
            let [y1, y2, m, d, h, mi, s, u1, u2, u3] = state_bytes::<10>(state)?;
            let us = (i64::from(u1) << 16) | (i64::from(u2) << 8) | i64::from(u3);
            let y = (i64::from(y1) << 8) | i64::from(y2);
            let date = ymd(y, i64::from(m & 0x7F), i64::from(d))?;
            let time = hms(i64::from(h), i64::from(mi), i64::from(s), us)?;
            (date, time, m & 0x80 != 0, args.get(1))
        }
        [y, m, d, rest @ ..] if rest.len() <= 5 => {
            let get = |i: usize| rest.get(i).map_or(Some(0), int);
            let date = ymd(int(y)?, int(m)?, int(d)?)?;
            let time = hms(get(0)?, get(1)?, get(2)?, get(3)?)?;
            (date, time, false, rest.get(4))
        }
        _ => return None,
    };
    let mut pieces = vec![Piece::Text(format!("datetime({date} {time}"))];
    push_tz(&mut pieces, tz);
    if fold {
        pieces.push(Piece::Text(", fold=1".into()));
    }
    pieces.push(Piece::Text(")".into()));
    Some(pieces)
}

fn date(args: &[Value]) -> Option<Vec<Piece<'_>>> {
    let date = match args {
        [state] => {
            let [y1, y2, m, d] = state_bytes::<4>(state)?;
            ymd((i64::from(y1) << 8) | i64::from(y2), i64::from(m), i64::from(d))?
        }
        [y, m, d] => ymd(int(y)?, int(m)?, int(d)?)?,
        _ => return None,
    };
    Some(vec![Piece::Text(format!("date({date})"))])
}

fn time(args: &[Value]) -> Option<Vec<Piece<'_>>> {
    let [state, rest @ ..] = args else { return None };
    if rest.len() > 1 {
        return None;
    }
    let [h, mi, s, u1, u2, u3] = state_bytes::<6>(state)?;
    let us = (i64::from(u1) << 16) | (i64::from(u2) << 8) | i64::from(u3);
    let time = hms(i64::from(h & 0x7F), i64::from(mi), i64::from(s), us)?;
    let mut pieces = vec![Piece::Text(format!("time({time}"))];
    push_tz(&mut pieces, rest.first());
    if h & 0x80 != 0 {
        pieces.push(Piece::Text(", fold=1".into()));
    }
    pieces.push(Piece::Text(")".into()));
    Some(pieces)
}

/// Total microseconds of a `timedelta(days, seconds, microseconds)` object.
fn timedelta_us(obj: &Object) -> Option<i128> {
    if obj.class_path()? != ("datetime", "timedelta") {
        return None;
    }
    let get = |i: usize| obj.args.get(i).map_or(Some(0), int).map(i128::from);
    if obj.args.len() > 3 {
        return None;
    }
    Some(get(0)? * 86_400_000_000 + get(1)? * 1_000_000 + get(2)?)
}

/// Like Python's repr, without the module: `timedelta(days=1, seconds=3600)`.
fn timedelta_text(args: &[Value]) -> String {
    let names = ["days", "seconds", "microseconds"];
    let parts: Vec<String> = names
        .iter()
        .zip(args)
        .filter_map(|(name, v)| match int(v) {
            Some(0) => None,
            Some(n) => Some(format!("{name}={n}")),
            None => None,
        })
        .collect();
    if parts.is_empty() {
        "timedelta(0)".into()
    } else {
        format!("timedelta({})", parts.join(", "))
    }
}

/// `+HH:MM[:SS[.ffffff]]`, as Python's `isoformat` prints a UTC offset.
fn offset_text(total_us: i128) -> String {
    let sign = if total_us < 0 { '-' } else { '+' };
    let us = total_us.unsigned_abs();
    let secs = us / 1_000_000;
    let frac = us % 1_000_000;
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    let mut text = format!("{sign}{h:02}:{m:02}");
    if s != 0 || frac != 0 {
        text.push_str(&format!(":{s:02}"));
    }
    if frac != 0 {
        text.push_str(&format!(".{frac:06}"));
    }
    text
}

struct TzInfo {
    offset: Option<String>,
    zone: Option<String>,
}

/// The tz classes Django projects use: `datetime.timezone` (Django 4+ default UTC), `zoneinfo`
/// and `pytz` (Django before 4).
fn tz_info(v: &Value) -> Option<TzInfo> {
    let utc = || {
        Some(TzInfo {
            offset: Some("+00:00".into()),
            zone: None,
        })
    };
    match v {
        Value::Global(g) => match (g.module.as_str(), g.name.as_str()) {
            ("datetime", "timezone.utc") | ("pytz", "utc" | "UTC") => utc(),
            _ => None,
        },
        Value::Object(obj) => match (obj.class_path()?, obj.args.as_slice()) {
            (("datetime", "timezone"), [Value::Object(td)] | [Value::Object(td), Value::Str(_)]) => {
                Some(TzInfo {
                    offset: Some(offset_text(timedelta_us(td)?)),
                    zone: None,
                })
            }
            (("pytz", "_UTC"), []) => utc(),
            (("pytz", "_p"), [Value::Str(zone)]) => Some(TzInfo {
                offset: None,
                zone: Some(zone.to_string()),
            }),
            (("pytz", "_p"), [Value::Str(zone), off, ..]) => Some(TzInfo {
                offset: int(off).map(|s| offset_text(i128::from(s) * 1_000_000)),
                zone: Some(zone.to_string()),
            }),
            (("zoneinfo", "ZoneInfo._unpickle"), [Value::Str(key), ..]) => Some(TzInfo {
                offset: None,
                zone: Some(key.to_string()),
            }),
            _ => None,
        },
        _ => None,
    }
}

/// A tz object on its own (a timezone field or a value in a dict).
fn tz_object(obj: &Object) -> Option<Known<'_>> {
    let text = |s: String| Some(Known::Inline(vec![Piece::Text(s)]));
    match (obj.class_path()?, obj.args.as_slice()) {
        (("datetime", "timezone"), [Value::Object(td), rest @ ..]) if rest.len() <= 1 => {
            let us = timedelta_us(td)?;
            match rest {
                [] if us == 0 => text("timezone.utc".into()),
                [] => text(format!("timezone({})", offset_text(us))),
                [name] => Some(Known::Inline(vec![
                    Piece::Text(format!("timezone({}, ", offset_text(us))),
                    Piece::Val(name),
                    Piece::Text(")".into()),
                ])),
                _ => None,
            }
        }
        (("pytz", "_UTC"), []) => text("pytz.utc".into()),
        (("pytz", "_p"), [zone @ Value::Str(_), ..]) => Some(inline3("pytz.timezone(", zone, ")")),
        (("zoneinfo", "ZoneInfo._unpickle"), [key @ Value::Str(_), ..]) => {
            Some(inline3("ZoneInfo(", key, ")"))
        }
        _ => None,
    }
}
