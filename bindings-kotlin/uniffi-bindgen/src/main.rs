//! `uniffi-bindgen` pinned to the workspace's uniffi version, so the generated
//! foreign code always matches the scaffolding compiled into the cdylib.
//!
//! Usage: see `scripts/test-kotlin.sh` (and docs/android.md).
//!
//! One rewrite after generating Kotlin: UniFFI gives each case of a non-flat
//! error a `message` listing its fields (`code=NOPE, text=unknown tenant
//! "NOPE"`). Every case of `MutualisException` carries the core's message in
//! its last field, `text`; the rewrite makes `message` return it, so
//! `e.message` stays the sentence the core wrote while the typed fields
//! (`e.code`, `e.amount`, `e.line`…) are there for code. The tool fails if it
//! finds a Kotlin file of the binding with no getter to rewrite (a UniFFI
//! upgrade that changed the template), rather than shipping the field dump.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The end of the generated `message` getter of a case whose last field is
/// `text`.
const GETTER_END: &str = "text=${ `text` }\"";
const GETTER_START: &str = "get() = \"";
const REWRITTEN: &str = "get() = `text`";

fn main() -> ExitCode {
    uniffi::uniffi_bindgen_main();
    let args: Vec<String> = std::env::args().collect();
    let value_of = |long: &str, short: &str| {
        args.iter()
            .position(|a| a == long || a == short)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .or_else(|| {
                args.iter()
                    .find_map(|a| a.strip_prefix(&format!("{long}=")).map(str::to_owned))
            })
    };
    let generating = args.get(1).is_some_and(|a| a == "generate");
    let kotlin = value_of("--language", "-l").is_some_and(|l| l == "kotlin");
    let Some(out_dir) = value_of("--out-dir", "-o") else {
        return ExitCode::SUCCESS;
    };
    if !(generating && kotlin) {
        return ExitCode::SUCCESS;
    }
    match rewrite_messages(Path::new(&out_dir)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("uniffi-bindgen (mutualis): {e}");
            ExitCode::FAILURE
        }
    }
}

/// Rewrites the error `message` getters of every generated Kotlin file that
/// declares `MutualisException`.
fn rewrite_messages(dir: &Path) -> Result<(), String> {
    let mut files = Vec::new();
    kotlin_files(dir, &mut files).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for file in files {
        let source = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        if !source.contains("sealed class MutualisException") {
            continue;
        }
        let (rewritten, count) = rewrite(&source);
        if count == 0 {
            return Err(format!(
                "{}: no `message` getter of MutualisException to rewrite; \
                 the UniFFI Kotlin template changed (see bindings-kotlin/uniffi-bindgen)",
                file.display()
            ));
        }
        std::fs::write(&file, rewritten)
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    Ok(())
}

/// The source with every `get() = "…text=${ `text` }"` made `get() = `text``,
/// and how many getters were rewritten.
fn rewrite(source: &str) -> (String, usize) {
    let mut out = String::with_capacity(source.len());
    let mut count = 0;
    for line in source.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        match body.find(GETTER_START) {
            Some(at) if body.ends_with(GETTER_END) => {
                out.push_str(&body[..at]);
                out.push_str(REWRITTEN);
                out.push_str(&line[body.len()..]);
                count += 1;
            }
            _ => out.push_str(line),
        }
    }
    (out, count)
}

fn kotlin_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            kotlin_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "kt") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn the_message_getter_returns_text() {
        let src = "    ) : MutualisException() {\n        override val message\n            get() = \"code=${ `code` }, text=${ `text` }\"\n    }\n";
        let (out, n) = rewrite(src);
        assert_eq!(n, 1);
        assert_eq!(
            out,
            "    ) : MutualisException() {\n        override val message\n            get() = `text`\n    }\n"
        );
    }

    #[test]
    fn other_getters_are_left_alone() {
        let src = "            get() = \"v1=${ v1 }\"\n";
        assert_eq!(rewrite(src), (src.to_owned(), 0));
    }
}
