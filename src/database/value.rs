//! A database value turned into what cacheops puts in its invalidation dict:
//! the field's `get_prep_value`, then `json.dumps(..., default=str)`.

use serde_json::Value;

/// A column's value as a driver hands it over.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bytes(Vec<u8>),
}

/// cacheops' default CACHEOPS_SKIP_FIELDS: never in an invalidation dict.
pub const SKIP_FIELDS: [&str; 5] = ["FileField", "TextField", "BinaryField", "JSONField", "ArrayField"];

const INTEGER_FIELDS: [&str; 10] = [
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "ForeignKey",
];

/// The dict value of a field of Django internal type `kind`; `None` for a
/// field cacheops leaves out. Errors say what did not fit.
pub fn serialize(
    kind: &str,
    raw: Raw,
    decimal_places: Option<u32>,
    use_tz: bool,
) -> Result<Option<Value>, String> {
    if SKIP_FIELDS.contains(&kind) {
        return Ok(None);
    }
    if raw == Raw::Null {
        return Ok(Some(Value::Null));
    }
    let bad = |raw: &Raw| format!("a {kind} holds {raw:?}");
    let v = match kind {
        "BooleanField" | "NullBooleanField" => match &raw {
            Raw::Int(i) => Value::Bool(*i != 0),
            Raw::Text(t) if ["t", "true", "1"].contains(&t.to_ascii_lowercase().as_str()) => {
                Value::Bool(true)
            }
            Raw::Text(t) if ["f", "false", "0"].contains(&t.to_ascii_lowercase().as_str()) => {
                Value::Bool(false)
            }
            r => return Err(bad(r)),
        },
        k if INTEGER_FIELDS.contains(&k) => match &raw {
            Raw::Int(i) => Value::from(*i),
            Raw::Text(t) => Value::from(t.trim().parse::<i64>().map_err(|_| bad(&raw))?),
            Raw::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(*f as i64),
            r => return Err(bad(r)),
        },
        "FloatField" => match &raw {
            Raw::Float(f) => Value::from(*f),
            Raw::Int(i) => Value::from(*i as f64),
            Raw::Text(t) => Value::from(t.trim().parse::<f64>().map_err(|_| bad(&raw))?),
            r => return Err(bad(r)),
        },
        "DecimalField" => Value::String(decimal(&raw, decimal_places).ok_or_else(|| bad(&raw))?),
        "DateField" => Value::String(text(&raw).ok_or_else(|| bad(&raw))?.trim().to_string()),
        "DateTimeField" => {
            let t = text(&raw).ok_or_else(|| bad(&raw))?;
            let (date, time) = t
                .trim()
                .split_once([' ', 'T'])
                .ok_or_else(|| format!("a DateTimeField holds {t:?}"))?;
            let time = time
                .trim_end_matches('Z')
                .trim_end_matches("+00:00")
                .trim_end_matches("+00");
            let tz = if use_tz { "+00:00" } else { "" };
            Value::String(format!("{date} {}{tz}", clock(time)))
        }
        "TimeField" => Value::String(clock(text(&raw).ok_or_else(|| bad(&raw))?.trim())),
        "UUIDField" => Value::String(uuid(&raw).ok_or_else(|| bad(&raw))?),
        "DurationField" => match &raw {
            Raw::Int(us) => Value::String(timedelta(*us)),
            Raw::Text(t) => Value::String(timedelta(interval_micros(t).ok_or_else(|| bad(&raw))?)),
            r => return Err(bad(r)),
        },
        // Text-like fields (CharField, SlugField, EmailField, ...) and anything else.
        _ => match raw {
            Raw::Text(t) => Value::String(t),
            Raw::Int(i) => Value::from(i),
            Raw::Float(f) => Value::from(f),
            Raw::Bytes(b) => Value::String(String::from_utf8_lossy(&b).into_owned()),
            Raw::Null => Value::Null,
        },
    };
    Ok(Some(v))
}

fn text(raw: &Raw) -> Option<String> {
    match raw {
        Raw::Text(t) => Some(t.clone()),
        Raw::Bytes(b) => String::from_utf8(b.clone()).ok(),
        _ => None,
    }
}

/// `HH:MM:SS[.ffffff]` as Python's `str(time)`: microseconds only when not zero.
fn clock(t: &str) -> String {
    match t.split_once('.') {
        Some((hms, frac)) => {
            let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
            let micros = format!("{digits:0<6}");
            if micros[..6].chars().all(|c| c == '0') {
                hms.to_string()
            } else {
                format!("{hms}.{}", &micros[..6])
            }
        }
        None => t.to_string(),
    }
}

/// `str(Decimal)` of the value Django reads back: quantized to the field's
/// decimal_places (its converters do that).
fn decimal(raw: &Raw, places: Option<u32>) -> Option<String> {
    let text = match raw {
        Raw::Int(i) => i.to_string(),
        Raw::Float(f) => format!("{}", Context15(*f)),
        Raw::Text(t) => t.trim().to_string(),
        _ => return None,
    };
    let Some(places) = places else { return Some(text) };
    quantize(&text, places as usize)
}

/// A float as `decimal.Context(prec=15).create_decimal_from_float` keeps it.
struct Context15(f64);

impl std::fmt::Display for Context15 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = format!("{:.14e}", self.0);
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let neg = mantissa.starts_with('-');
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        // digits = d.ddddddddddddd (15 significant digits), value = 0.digits * 10^(exp+1)
        let point = exp + 1;
        let out = if point <= 0 {
            format!("0.{}{}", "0".repeat((-point) as usize), digits)
        } else if point as usize >= digits.len() {
            format!("{digits}{}", "0".repeat(point as usize - digits.len()))
        } else {
            format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
        };
        write!(f, "{}{out}", if neg { "-" } else { "" })
    }
}

/// Rounds a plain decimal text to `places` digits, half to even (Python's default).
fn quantize(text: &str, places: usize) -> Option<String> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() && frac.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut digits: Vec<u8> = int
        .bytes()
        .chain(frac.bytes().chain(std::iter::repeat(b'0')).take(places))
        .map(|b| b - b'0')
        .collect();
    let rest: Vec<u8> = frac.bytes().skip(places).map(|b| b - b'0').collect();
    let round_up = match rest.first() {
        Some(&d) if d > 5 => true,
        Some(5) => rest[1..].iter().any(|&d| d > 0) || digits.last().is_some_and(|d| d % 2 == 1),
        _ => false,
    };
    if round_up {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let s: String = digits.iter().map(|d| (b'0' + d) as char).collect();
    let (i, f) = s.split_at(s.len() - places);
    let i = i.trim_start_matches('0');
    let i = if i.is_empty() { "0" } else { i };
    let body = if places == 0 {
        i.to_string()
    } else {
        format!("{i}.{f}")
    };
    Some(if neg { format!("-{body}") } else { body })
}

/// `str(uuid.UUID(...))` of a stored UUID: 32 hex digits (char(32)), the
/// dashed form, or 16 bytes.
fn uuid(raw: &Raw) -> Option<String> {
    let hex: String = match raw {
        Raw::Bytes(b) if b.len() == 16 => b.iter().map(|x| format!("{x:02x}")).collect(),
        Raw::Text(t) => t
            .chars()
            .filter(|c| *c != '-')
            .collect::<String>()
            .to_ascii_lowercase(),
        Raw::Bytes(b) => String::from_utf8(b.clone())
            .ok()?
            .replace('-', "")
            .to_ascii_lowercase(),
        _ => return None,
    };
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    Some(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// PostgreSQL's interval text (`3 days 04:05:06.789`, `-01:00:00`) in microseconds.
fn interval_micros(t: &str) -> Option<i64> {
    let mut days = 0i64;
    let mut rest = t.trim();
    if let Some((d, r)) = rest.split_once(" day") {
        days = d.trim().parse().ok()?;
        rest = r.trim_start_matches('s').trim();
    }
    if rest.is_empty() {
        return Some(days * 86_400_000_000);
    }
    let (neg, hms) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest.strip_prefix('+').unwrap_or(rest)),
    };
    let mut parts = hms.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let s = parts.next()?;
    let (sec, frac) = s.split_once('.').unwrap_or((s, ""));
    let sec: i64 = sec.parse().ok()?;
    let micro: i64 = format!("{frac:0<6}")[..6].parse().ok()?;
    let t = ((h * 60 + m) * 60 + sec) * 1_000_000 + micro;
    Some(days * 86_400_000_000 + if neg { -t } else { t })
}

/// Python's `str(timedelta(microseconds=us))`.
fn timedelta(us: i64) -> String {
    let days = us.div_euclid(86_400_000_000);
    let rest = us.rem_euclid(86_400_000_000);
    let (s, micro) = (rest / 1_000_000, rest % 1_000_000);
    let hms = format!("{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60);
    let hms = if micro > 0 {
        format!("{hms}.{micro:06}")
    } else {
        hms
    };
    match days {
        0 => hms,
        1 | -1 => format!("{days} day, {hms}"),
        d => format!("{d} days, {hms}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(kind: &str, raw: Raw, places: Option<u32>) -> Value {
        serialize(kind, raw, places, true).unwrap().unwrap()
    }

    #[test]
    fn values_as_cacheops_serializes_them() {
        assert_eq!(s("BooleanField", Raw::Int(1), None), Value::Bool(true));
        assert_eq!(s("BooleanField", Raw::Text("f".into()), None), Value::Bool(false));
        assert_eq!(
            s("BigIntegerField", Raw::Int(123456789012345678), None).to_string(),
            "123456789012345678"
        );
        assert_eq!(s("FloatField", Raw::Float(2.0), None).to_string(), "2.0");
        assert_eq!(
            s("DecimalField", Raw::Int(27), Some(2)),
            Value::String("27.00".into())
        );
        assert_eq!(
            s("DecimalField", Raw::Float(-3.25), Some(2)),
            Value::String("-3.25".into())
        );
        assert_eq!(
            s("DecimalField", Raw::Float(0.0), Some(2)),
            Value::String("0.00".into())
        );
        assert_eq!(
            s("DecimalField", Raw::Float(1.005), Some(2)),
            Value::String("1.00".into())
        );
        assert_eq!(
            s("DecimalField", Raw::Text("2.675".into()), Some(2)),
            Value::String("2.68".into())
        );
        assert_eq!(
            s("DecimalField", Raw::Float(9.999), Some(2)),
            Value::String("10.00".into())
        );
        assert_eq!(
            s("DecimalField", Raw::Float(0.1), Some(1)),
            Value::String("0.1".into())
        );
        assert_eq!(
            s(
                "DateTimeField",
                Raw::Text("2024-05-02 11:30:00.123456".into()),
                None
            ),
            Value::String("2024-05-02 11:30:00.123456+00:00".into())
        );
        assert_eq!(
            s("DateTimeField", Raw::Text("2024-05-01 10:00:00".into()), None),
            Value::String("2024-05-01 10:00:00+00:00".into())
        );
        assert_eq!(
            serialize(
                "DateTimeField",
                Raw::Text("2024-05-01T10:00:00.5".into()),
                None,
                false
            )
            .unwrap(),
            Some(Value::String("2024-05-01 10:00:00.500000".into()))
        );
        assert_eq!(
            s(
                "UUIDField",
                Raw::Text("6F1C2A9E3B4D4C5E8F60718293A4B5C6".into()),
                None
            ),
            Value::String("6f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6".into())
        );
        assert_eq!(
            s("DurationField", Raw::Int(90_061_000_001), None),
            Value::String("1 day, 1:01:01.000001".into())
        );
        assert_eq!(
            s("DurationField", Raw::Int(-1), None),
            Value::String("-1 day, 23:59:59.999999".into())
        );
        assert_eq!(
            s("CharField", Raw::Text("a&b=c".into()), None),
            Value::String("a&b=c".into())
        );
        assert_eq!(s("DateField", Raw::Null, None), Value::Null);
        assert_eq!(
            serialize("TextField", Raw::Text("x".into()), None, true),
            Ok(None)
        );
        assert!(serialize("IntegerField", Raw::Text("x".into()), None, true).is_err());
    }
}
