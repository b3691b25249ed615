//! Examples package (the examples live beside this crate).
