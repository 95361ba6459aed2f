//! Conj keys: `P conj:<table>:<f1>=<v1>&<f2>=<v2>`, one per conjunction of
//! equality conditions a cached query depends on.
//!
//! How values are spelled differs by layout (../shared/cacheops-layout.md):
//! classic keys hold Lua's `tostring()` of what cjson decoded from Python's
//! `json.dumps(value, default=str)`; insideout keys hold Python's `str(value)`.
//! Invalidation renders values inside Redis (src/lua/), so it is exact by
//! construction; the renderers here serve parsing, display and the pk-only
//! fallback, and are tested against Redis' own Lua.

use serde_json::Value;

use crate::layout::Layout;

/// How a value of a row appears in a conj key of the given layout.
pub fn render(layout: Layout, v: &Value) -> String {
    match layout {
        Layout::Classic => render_classic(v),
        Layout::InsideOut => render_insideout(v),
    }
}

/// Lua `tostring()` of the cjson-decoded value.
pub fn render_classic(v: &Value) -> String {
    match v {
        // cjson's null is a lightuserdata; its text depends on the server build.
        Value::Null => "userdata: (nil)".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => lua_number(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => s.clone(),
        // Never produced for a model field; Lua would print a table address.
        Value::Array(_) | Value::Object(_) => "table".to_string(),
    }
}

/// Python `str()` of the value `json.loads` would give back.
pub fn render_insideout(v: &Value) -> String {
    match v {
        Value::Null => "None".to_string(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(u) = n.as_u64() {
                u.to_string()
            } else {
                python_float_repr(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => s.clone(),
        Value::Array(_) | Value::Object(_) => v.to_string(),
    }
}

/// Whether a rendered value stands for SQL NULL.
pub fn is_null(layout: Layout, rendered: &str) -> bool {
    match layout {
        Layout::Classic => rendered.starts_with("userdata:"),
        Layout::InsideOut => rendered == "None",
    }
}

/// Lua 5.1's `tostring(number)`: C's `%.14g`.
pub fn lua_number(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    const P: i32 = 14;
    // Round to P significant digits first: the exponent is that of the rounded value.
    let sci = format!("{:.*e}", (P - 1) as usize, f);
    let (mantissa, exp) = sci.split_once('e').expect("exponent form");
    let exp: i32 = exp.parse().expect("integer exponent");
    if !(-4..P).contains(&exp) {
        let m = trim_fraction_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (P - 1 - exp) as usize;
        trim_fraction_zeros(&format!("{:.*}", decimals, f)).to_string()
    }
}

/// Python's `repr(float)` (and `str(float)`): shortest round-trip digits,
/// scientific notation below 1e-4 and from 1e16 on.
pub fn python_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_string();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    let sci = format!("{:e}", f); // shortest digits, e.g. "1.5e-5"
    let (mantissa, exp) = sci.split_once('e').expect("exponent form");
    let exp: i32 = exp.parse().expect("integer exponent");
    if (-4..16).contains(&exp) {
        let s = format!("{}", f); // Rust's Display: shortest digits, no exponent
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    }
}

fn trim_fraction_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// A scheme: the field names of one conjunction shape, in stored order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scheme(pub Vec<String>);

impl Scheme {
    /// Parses a `schemes:` member (`category_id,is_published`; `""` is the empty scheme).
    pub fn parse(member: &str) -> Scheme {
        Scheme(
            member
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    pub fn fields(&self) -> &[String] {
        &self.0
    }

    pub fn contains(&self, field: &str) -> bool {
        self.0.iter().any(|f| f == field)
    }
}

/// One equality condition of a conj key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub field: String,
    pub value: String,
}

/// Builds the conditions part of a conj key (`f1=v1&f2=v2`) for a scheme and
/// rendered values; a missing field renders as Lua's `nil`, as in cacheops.
pub fn conditions_part(scheme: &Scheme, value_of: impl Fn(&str) -> Option<String>) -> String {
    scheme
        .fields()
        .iter()
        .map(|f| format!("{f}={}", value_of(f).unwrap_or_else(|| "nil".to_string())))
        .collect::<Vec<_>>()
        .join("&")
}

/// Every way `part` (the text after `conj:<table>:`) reads as a conj key of
/// `scheme`. Values may contain `&` and `=`, so a key can read several ways.
pub fn parse_with_scheme(part: &str, scheme: &Scheme) -> Vec<Vec<Condition>> {
    let mut out = Vec::new();
    let fields = scheme.fields();
    if fields.is_empty() {
        if part.is_empty() {
            out.push(Vec::new());
        }
        return out;
    }
    let first = format!("{}=", fields[0]);
    if let Some(rest) = part.strip_prefix(first.as_str()) {
        let mut acc = Vec::new();
        split_values(rest, fields, 0, &mut acc, &mut out);
    }
    out
}

fn split_values(
    rest: &str,
    fields: &[String],
    i: usize,
    acc: &mut Vec<Condition>,
    out: &mut Vec<Vec<Condition>>,
) {
    if i + 1 == fields.len() {
        acc.push(Condition {
            field: fields[i].clone(),
            value: rest.to_string(),
        });
        out.push(acc.clone());
        acc.pop();
        return;
    }
    let sep = format!("&{}=", fields[i + 1]);
    let mut from = 0;
    while let Some(pos) = rest[from..].find(sep.as_str()) {
        let at = from + pos;
        acc.push(Condition {
            field: fields[i].clone(),
            value: rest[..at].to_string(),
        });
        split_values(&rest[at + sep.len()..], fields, i + 1, acc, out);
        acc.pop();
        from = at + 1;
    }
}

/// Conditions as a reader would write them: `category_id = 3 AND is_published = true`,
/// `published_on IS NULL`; the empty conjunction is `(every row)`.
pub fn describe_conditions(conds: &[Condition], layout: Layout) -> String {
    if conds.is_empty() {
        return "(every row: a query with no usable equality condition)".to_string();
    }
    conds
        .iter()
        .map(|c| {
            if is_null(layout, &c.value) {
                format!("{} IS NULL", c.field)
            } else {
                format!("{} = {}", c.field, c.value)
            }
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Every reading of `part` under any of the table's schemes, the likeliest
/// first: `is_published=true&category_id=2` reads as one field whose value is
/// `true&category_id=2` under the scheme `is_published`, and as two fields
/// under `is_published,category_id`; values holding `&field=` are rare, so the
/// reading with more conditions, then fewer separators inside values, comes
/// first. The order never depends on the order the schemes were read in.
pub fn parse_with_schemes(part: &str, schemes: &[Scheme]) -> Vec<Vec<Condition>> {
    let mut readings: Vec<Vec<Condition>> = schemes.iter().flat_map(|s| parse_with_scheme(part, s)).collect();
    let separators =
        |r: &Vec<Condition>| -> usize { r.iter().map(|c| c.value.matches(['&', '=']).count()).sum() };
    readings.sort_by(|a, b| {
        b.len()
            .cmp(&a.len())
            .then_with(|| separators(a).cmp(&separators(b)))
            .then_with(|| {
                let key = |r: &Vec<Condition>| {
                    r.iter()
                        .map(|c| (c.field.clone(), c.value.clone()))
                        .collect::<Vec<_>>()
                };
                key(a).cmp(&key(b))
            })
    });
    readings.dedup();
    readings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lua_numbers_follow_percent_14g() {
        let cases: &[(f64, &str)] = &[
            (34.0, "34"),
            (-7.0, "-7"),
            (0.1, "0.1"),
            (1.5, "1.5"),
            (1.0 / 3.0, "0.33333333333333"),
            (99999999999999.0, "99999999999999"),
            (100000000000000.0, "1e+14"),
            (1e15, "1e+15"),
            (123456789012345678.0, "1.2345678901235e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (27.0, "27"),
            (2.5e-7, "2.5e-07"),
        ];
        for (f, want) in cases {
            assert_eq!(lua_number(*f), *want, "{f}");
        }
    }

    #[test]
    fn python_float_repr_matches_python() {
        let cases: &[(f64, &str)] = &[
            (0.1, "0.1"),
            (1.0, "1.0"),
            (1e16, "1e+16"),
            (1234567890123456.0, "1234567890123456.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (-2.5, "-2.5"),
            (1.0 / 3.0, "0.3333333333333333"),
        ];
        for (f, want) in cases {
            assert_eq!(python_float_repr(*f), *want, "{f}");
        }
    }

    #[test]
    fn renders_per_layout() {
        assert_eq!(render_classic(&json!(true)), "true");
        assert_eq!(render_insideout(&json!(true)), "True");
        assert_eq!(render_insideout(&json!(null)), "None");
        assert!(is_null(Layout::Classic, &render_classic(&json!(null))));
        assert_eq!(
            render_classic(&json!(123456789012345678u64)),
            "1.2345678901235e+17"
        );
        assert_eq!(
            render_insideout(&json!(123456789012345678u64)),
            "123456789012345678"
        );
        assert_eq!(render_insideout(&json!(2.0)), "2.0");
        assert_eq!(render_classic(&json!("27.00")), "27.00");
    }

    #[test]
    fn parses_values_with_separators() {
        let s = Scheme::parse("title,category_id");
        let r = parse_with_scheme("title=a&b=c&category_id=3", &s);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0][0].value, "a&b=c");
        assert_eq!(r[0][1].value, "3");

        // A value that itself contains "&category_id=" reads two ways.
        let r = parse_with_scheme("title=x&category_id=1&category_id=2", &s);
        assert_eq!(r.len(), 2);

        assert_eq!(
            parse_with_scheme("", &Scheme::parse("")),
            vec![Vec::<Condition>::new()]
        );
        assert!(parse_with_scheme("id=1", &Scheme::parse("")).is_empty());
        assert!(parse_with_scheme("pk=1", &Scheme::parse("id")).is_empty());
        let all = parse_with_schemes("id=1", &[Scheme::parse(""), Scheme::parse("id")]);
        assert_eq!(
            all,
            vec![vec![Condition {
                field: "id".into(),
                value: "1".into()
            }]]
        );
    }

    #[test]
    fn the_likeliest_reading_comes_first_whatever_the_schemes_order() {
        let narrow = Scheme::parse("is_published");
        let wide = Scheme::parse("is_published,category_id");
        for schemes in [[narrow.clone(), wide.clone()], [wide.clone(), narrow.clone()]] {
            let r = parse_with_schemes("is_published=true&category_id=2", &schemes);
            assert_eq!(r.len(), 2, "{r:?}");
            assert_eq!(
                describe_conditions(&r[0], Layout::Classic),
                "is_published = true AND category_id = 2"
            );
            assert_eq!(r[1][0].value, "true&category_id=2");
        }
        // Same number of conditions: fewer separators inside values wins.
        let s = Scheme::parse("title,category_id");
        let r = parse_with_schemes("title=x&category_id=1&category_id=2", &[s]);
        assert_eq!(r[0][0].value, "x");
        assert_eq!(r[0][1].value, "1&category_id=2");
        assert_eq!(r[1][0].value, "x&category_id=1");
    }

    #[test]
    fn builds_in_scheme_order_with_nil_for_missing() {
        let s = Scheme::parse("is_published,category_id");
        let part = conditions_part(&s, |f| (f == "category_id").then(|| "3".to_string()));
        assert_eq!(part, "is_published=nil&category_id=3");
    }
}
