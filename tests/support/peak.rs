//! Peak memory of a check, measured in a child process of the test binary itself: the parent starts
//! the binary again with only the child's test (an ignored one) and an environment variable naming
//! what to check; the child prints its `VmHWM`. Linux only.

use std::path::Path;

/// The peak resident size, in bytes, that the child test `entry` reports when it checks `dir`
/// (handed to it in the environment variable `env`).
pub fn of_a_child(entry: &str, env: &str, dir: &Path) -> u64 {
    let output = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([entry, "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(env, dir)
        .output()
        .expect("the child runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The harness prints the test's name on the line before what the test prints.
    let peak = stdout.lines().find_map(|line| line.split("peak-kib=").nth(1));
    peak.and_then(|kib| kib.trim().parse::<u64>().ok()).unwrap_or_else(|| {
        panic!("the child printed no peak:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr))
    }) * 1024
}

/// In the child: prints this process's peak resident size for [`of_a_child`].
pub fn print() {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let peak = status.lines().find_map(|line| line.strip_prefix("VmHWM:")).expect("VmHWM");
    println!("peak-kib={}", peak.trim().trim_end_matches("kB").trim());
}
