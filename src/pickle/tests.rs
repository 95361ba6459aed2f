//! Unit tests on hand-written pickles; fixture-based tests are in tests/pickle.rs.

use super::*;

fn show(data: &[u8]) -> String {
    match decode(data) {
        Ok(v) => render(&v, &RenderOptions::default()),
        Err(e) => format!("ERR {e}"),
    }
}

#[test]
fn scalars_protocol0() {
    assert_eq!(show(b"N."), "None");
    assert_eq!(show(b"I01\n."), "True");
    assert_eq!(show(b"I42\n."), "42");
    assert_eq!(show(b"L12345678901234567890L\n."), "12345678901234567890");
    assert_eq!(show(b"F1.5\n."), "1.5");
    // Python 2 str: ASCII loads as str (as Python 3 does), anything else stays bytes.
    assert_eq!(show(b"S'ab\\'c'\np0\n."), "\"ab'c\"");
    assert_eq!(show(b"U\x02\xe9t."), "b'\\xe9t'");
    assert_eq!(show(b"Vcaf\xe9\\u20ac\np0\n."), "'café€'");
    assert_eq!(show(b"(lp0\nI1\naI2\na."), "[1, 2]");
    assert_eq!(show(b"(dp0\nS'a'\np1\nI1\ns."), "{'a': 1}");
}

#[test]
fn floats_like_python() {
    use render::py_float;
    for (f, s) in [
        (1.0, "1.0"),
        (-2.5, "-2.5"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (1.5e-7, "1.5e-07"),
        (1e100, "1e+100"),
        (0.1, "0.1"),
        (123456.789, "123456.789"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (f64::NAN, "nan"),
        (-0.0, "-0.0"),
        (f64::MAX, "1.7976931348623157e+308"),
        (5e-324, "5e-324"),
    ] {
        assert_eq!(py_float(f), s);
    }
}

#[test]
fn strings_like_python() {
    assert_eq!(render::py_str("it's"), "\"it's\"");
    assert_eq!(render::py_str("a'b\"c"), "'a\\'b\"c'");
    assert_eq!(
        render::py_str("tab\tnl\n\u{0}\u{7f}é\u{2028}"),
        "'tab\\tnl\\n\\x00\\x7fé\\u2028'"
    );
    assert_eq!(render::py_bytes(b"a\x00'\xff"), "b\"a\\x00'\\xff\"");
}

#[test]
fn insideout_split() {
    let sum = "0123456789abcdef0123456789abcdef01234567";
    let raw = format!("{sum}:N.");
    assert_eq!(split_insideout(raw.as_bytes()), (Some(sum), &b"N."[..]));
    assert_eq!(split_insideout(b"N."), (None, &b"N."[..]));
    let short = format!("{}:N.", &sum[1..]);
    assert_eq!(split_insideout(short.as_bytes()).0, None);
    let bad = format!("{}x:N.", &sum[1..]);
    assert_eq!(split_insideout(bad.as_bytes()).0, None);
    assert_eq!(
        split_insideout(format!("{sum}:").as_bytes()),
        (Some(sum), &b""[..])
    );
}

#[test]
fn recursive_list() {
    // l = []; l.append(l); pickle.dumps(l, 2)
    assert_eq!(show(b"\x80\x02]q\x00h\x00a."), "[[...]]");
}

#[test]
fn errors_are_values() {
    assert_eq!(show(b""), "ERR empty input at byte 0");
    assert_eq!(show(b"\x80\x02]"), "ERR truncated at byte 3");
    assert_eq!(show(b"a."), "ERR stack underflow in APPEND at byte 0");
    assert_eq!(show(b"\x80\x06N."), "ERR unsupported protocol 6 at byte 0");
    assert_eq!(show(b"\xffN."), "ERR unknown opcode 0xff at byte 0");
    assert_eq!(show(b"h\x05."), "ERR memo key 5 not set at byte 0");
    assert_eq!(
        describe(b"LOCK", &RenderOptions::default()),
        "<LOCK: a cacheops client is computing this value>"
    );
    assert_eq!(
        describe(b"zzz", &RenderOptions::default()),
        "<not a pickle (3 bytes): unknown opcode 0x7a at byte 0> b'zzz'"
    );
    // Long foreign values are cut to the string budget.
    let long = describe(
        &[b'k'; 30],
        &RenderOptions {
            max_str_len: 4,
            ..Default::default()
        },
    );
    assert_eq!(
        long,
        "<not a pickle (30 bytes): unknown opcode 0x6b at byte 0> b'kkkk'…(+26 bytes)"
    );
}

#[test]
fn mark_fences_the_stack() {
    // APPEND may not reach below an open MARK.
    assert!(decode(b"](Na.").is_err());
    // POP with nothing above the mark discards the mark.
    assert_eq!(show(b"N(0."), "None");
}
