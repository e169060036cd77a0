//! Any text as an image reference: never a panic; what parses is lowercase
//! in its name and reads back the same (canonical -> parse -> canonical).
#![no_main]

use berth_core::images::reference;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(r) = reference::parse(text) {
        let again = reference::parse(&r.canonical)
            .unwrap_or_else(|e| panic!("{text:?} gave {:?}, which does not parse: {e}", r.canonical));
        assert_eq!(again.canonical, r.canonical, "from {text:?}");
        assert_eq!(r.path(), r.path().to_lowercase(), "from {text:?}");
    }
});
