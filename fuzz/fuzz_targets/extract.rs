//! Any bytes as a tar from a hostile container, extracted safely: never a
//! panic, and nothing lands outside the destination (the folder around it
//! holds the destination alone, and nothing in the destination is a link
//! that points out of it).
#![no_main]

use std::path::Path;
use std::sync::atomic::AtomicBool;

use berth_core::files::archive::extract_safely;
use libfuzzer_sys::fuzz_target;

fn check_inside(dest: &Path, dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let meta = std::fs::symlink_metadata(&p).unwrap();
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&p).unwrap();
            let resolved = p.parent().unwrap().join(&target);
            let mut depth: i64 = resolved
                .strip_prefix(dest)
                .map(|r| r.components().count() as i64)
                .unwrap_or(-1);
            assert!(target.is_relative(), "{} -> {} is absolute", p.display(), target.display());
            // `..` steps may not climb above the destination.
            for c in resolved.strip_prefix(dest).into_iter().flat_map(|r| r.components()) {
                if matches!(c, std::path::Component::ParentDir) {
                    depth -= 2;
                }
                assert!(depth >= -1, "{} -> {} points out", p.display(), target.display());
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
