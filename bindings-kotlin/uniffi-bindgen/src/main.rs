//! `uniffi-bindgen` pinned to the workspace's uniffi version, so the generated
//! foreign code always matches the scaffolding compiled into the cdylib.
//!
//! Usage: see `scripts/test-kotlin.sh`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
