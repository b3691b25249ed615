//! Integration-tests package (the tests live beside this crate).

pub mod html;
