//! Quantities as people read them.

pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// The longest span a seconds setting may name: a year. More is a typo, and
/// `Duration::from_secs_f64` panics on infinite, NaN or huge values.
pub const MAX_SECONDS: u64 = 365 * 86_400;
/// The shortest: a millisecond (a zero interval would spin).
pub const MIN_SECONDS: f64 = 0.001;

/// A number of seconds as a `Duration`: finite, from a millisecond to a year.
pub fn seconds(v: f64) -> Result<std::time::Duration, String> {
    if v.is_finite() && (MIN_SECONDS..=MAX_SECONDS as f64).contains(&v) {
        Ok(std::time::Duration::from_secs_f64(v))
    } else {
        Err(format!(
            "must be a number of seconds from {MIN_SECONDS} to {MAX_SECONDS} (a year)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_finite_positive_and_bounded() {
        assert_eq!(seconds(1.5), Ok(std::time::Duration::from_millis(1500)));
        assert!(seconds(MAX_SECONDS as f64).is_ok());
        for bad in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1e300, -1.0, 0.0, 1e-9] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }
}
