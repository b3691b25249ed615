//! The README's Rust tour is `examples/readme_tour.rs` verbatim, and it
//! prints what its comments say: each `println!` line ends with
//! `// <the exact line printed>`.

use std::process::Command;

const TOUR: &str = include_str!("../readme_tour.rs");
const README: &str = include_str!("../../README.md");

/// The first ```rust block of the README.
fn readme_block() -> &'static str {
    let start = README
        .find("```rust\n")
        .expect("the README has a Rust block")
        + "```rust\n".len();
    let len = README[start..]
        .find("```\n")
        .expect("the Rust block is closed");
    &README[start..start + len]
}

#[test]
fn the_readme_shows_the_tour_verbatim() {
    assert_eq!(
        readme_block(),
        TOUR,
        "README.md's Rust block differs from examples/readme_tour.rs"
    );
}

#[test]
fn the_tour_prints_what_its_comments_say() {
    let expected: Vec<&str> = TOUR
        .lines()
        .filter(|l| l.trim_start().starts_with("println!"))
        .map(|l| {
            l.rsplit_once("// ")
                .expect("a println! line ends with the line it prints")
                .1
        })
        .collect();
    assert!(expected.len() >= 3);
    let out = Command::new(env!("CARGO_BIN_EXE_readme_tour"))
        .output()
        .expect("the tour runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert_eq!(printed.lines().collect::<Vec<_>>(), expected);
    // codes, never dense ids
    assert!(
        !printed.contains("TenantId") && !printed.contains("AssetId"),
        "{printed}"
    );
}
