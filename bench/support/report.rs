//! One line per measurement, shared by the benchmarks: median, 99th percentile and maximum.

use std::time::Duration;

pub fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let median = times[times.len() / 2];
    let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];
    let max = times[times.len() - 1];
    println!(
        "{name:<52} median {median:>10.2?}   p99 {p99:>10.2?}   max {max:>10.2?}   ({} runs)",
        times.len()
    );
}
