//! Any `.dockerignore` against any path: never a panic, and an answer in
//! time linear in the input (libFuzzer's -timeout catches a slow match; the
//! old backtracking matcher was exponential in a pattern's `*`s).
#![no_main]

use berth_core::build::dockerignore::Ignore;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The last line is the path to match; the others are the file.
    let (file, path) = text.rsplit_once('\n').unwrap_or((text, "a/b.txt"));
    let ignore = Ignore::parse(file);
    let _ = ignore.excluded(path);
    // `keep` makes sure a path is sent (the Dockerfile): afterwards it is,
    // whatever the patterns say, for any plain relative path.
    let plain = !path.is_empty()
        && path.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
        && !path.contains(['*', '?', '[', '\\', '!', '#'])
        && path.trim() == path;
    if plain {
        let mut kept = ignore.clone();
        kept.keep(path);
        assert!(!kept.excluded(path), "{path:?} still left out after keep");
    }
});
