//! The Rust renderers of conj key values agree with Redis' own Lua, which is
//! what cacheops' classic scripts use (`tostring(cjson.decode(...))`).

mod common;

use cacheops::conj::{lua_number, render_classic};
use serde_json::{json, Value};

fn lua_tostring(con: &mut redis::Connection, values: &[Value]) -> Vec<String> {
    let script =
        "local out = {} for i, v in ipairs(cjson.decode(ARGV[1])) do out[i] = tostring(v) end return out";
    redis::cmd("EVAL")
        .arg(script)
        .arg(0)
        .arg(Value::Array(values.to_vec()).to_string())
        .query(con)
        .unwrap()
}

#[test]
fn numbers_match_redis_lua() {
    let server = common::RedisServer::start();
    let mut con = server.con(0);
    let mut values: Vec<f64> = vec![
        0.0,
        1.0,
        -1.0,
        0.1,
        0.5,
        2.5,
        1.0 / 3.0,
        2.0 / 3.0,
        27.0,
        99999999999999.0,
        100000000000000.0,
        123456789012345.0,
        999999999999999.0,
        1e15,
        1e16,
        1e17,
        123456789012345678.0,
        9007199254740993.0,
        0.0001,
        0.00001,
        1.5e-7,
        1e-300,
        1e300,
        0.125,
        1234.5678,
        0.30000000000000004,
        1e21,
        5e-324,
        12345678901234.5,
        1234567890123.45,
        0.000123456789012345,
    ];
    // A deterministic spread of awkward doubles (no rand crate needed).
    let mut x: u64 = 0x9E3779B97F4A7C15;
    for _ in 0..400 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mantissa = (x >> 11) as f64 / (1u64 << 53) as f64;
        let exp = ((x & 0xff) as i32) - 128;
        values.push(mantissa * 10f64.powi(exp / 4));
        values.push(-((x >> 20) as f64)); // large integers
        values.push(((x >> 40) as f64) / 100.0); // two-decimal prices
    }
    let json_values: Vec<Value> = values.iter().map(|v| json!(v)).collect();
    let lua = lua_tostring(&mut con, &json_values);
    for ((v, j), l) in values.iter().zip(&json_values).zip(&lua) {
        assert_eq!(&lua_number(*v), l, "value {v:e}");
        assert_eq!(&render_classic(j), l, "json {j}");
    }
}

#[test]
fn integers_as_json_integers_match_redis_lua() {
    let server = common::RedisServer::start();
    let mut con = server.con(0);
    let ints: Vec<Value> = [
        0i64,
        7,
        -7,
        34,
        99_999_999_999_999,
        100_000_000_000_000,
        123_456_789_012_345_678,
        i64::MAX,
        i64::MIN,
    ]
    .iter()
    .map(|i| json!(i))
    .chain([
        json!(u64::MAX),
        json!(true),
        json!(false),
        json!("2024-05-01 10:00:00+00:00"),
        json!("a&b=c"),
    ])
    .collect();
    let lua = lua_tostring(&mut con, &ints);
    for (j, l) in ints.iter().zip(&lua) {
        assert_eq!(&render_classic(j), l, "json {j}");
    }
}

#[test]
fn null_renders_as_userdata() {
    let server = common::RedisServer::start();
    let mut con = server.con(0);
    let out: String = redis::cmd("EVAL")
        .arg("return tostring(cjson.decode(ARGV[1])['x'])")
        .arg(0)
        .arg(r#"{"x": null}"#)
        .query(&mut con)
        .unwrap();
    assert!(
        cacheops::conj::is_null(cacheops::layout::Layout::Classic, &out),
        "{out}"
    );
}
