//! Any text as a Dockerfile: never a panic; every instruction's lines lie
//! within the file and in order.
#![no_main]

use berth_core::build::dockerfile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = dockerfile::parse(text) {
        let lines = text.lines().count().max(1) as u32;
        let mut last = 0;
        for i in &d.instructions {
            let (first, end) = (i.first_line, i.last_line);
            assert!(first >= 1 && first <= end && end <= lines, "{i:?} of {lines}");
            assert!(first > last, "{i:?} after line {last}");
            last = end;
        }
    }
});
