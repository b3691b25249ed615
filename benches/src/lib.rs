//! Benchmarks package (the criterion benches live beside this crate).
