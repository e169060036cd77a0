//! Any bytes as a tar from a hostile container, extracted safely: never a
//! panic, and nothing lands outside the destination (the folder around it
//! holds the destination alone, and nothing in the destination is a link
//! that points out of it).
#![no_main]

use std::path::{Component, Path};
use std::sync::atomic::AtomicBool;

use berth_core::files::archive::extract_safely;
use libfuzzer_sys::fuzz_target;

/// Every link under `dir` stays inside `dest`, read lexically as the
/// extractor reads it: from the link's folder, `..` climbing one level.
fn check_inside(dest: &Path, dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let meta = std::fs::symlink_metadata(&p).unwrap();
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&p).unwrap();
            let folder = p.parent().unwrap().strip_prefix(dest).unwrap();
            let mut depth: i64 = 0;
            for c in folder.join(&target).components() {
                match c {
                    Component::Normal(_) => depth += 1,
                    Component::ParentDir => depth -= 1,
                    Component::CurDir => {}
                    Component::RootDir | Component::Prefix(_) => depth = -1,
                }
                assert!(depth >= 0, "{} -> {} points out", p.display(), target.display());
            }
        } else if meta.is_dir() {
            check_inside(dest, &p);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let around = tempfile::tempdir().unwrap();
    let dest = around.path().join("dest");
    std::fs::create_dir(&dest).unwrap();
    let _ = extract_safely(data, &dest, false, &AtomicBool::new(false), &mut |_, _| {});
    let names: Vec<_> = std::fs::read_dir(around.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["dest"], "something was written beside the destination");
    check_inside(&dest, &dest);
});
