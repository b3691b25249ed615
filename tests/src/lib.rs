//! Integration-tests package (the tests live beside this crate).
