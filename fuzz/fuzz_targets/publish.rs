//! Any text as a `-p` spec: never a panic; every binding has a container
//! port in 1..=65535, and a single host port, when given, too.
#![no_main]

use berth_core::containers::publish;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(bindings) = publish::parse(text) {
        assert!(!bindings.is_empty(), "{text:?} parsed to nothing");
        for b in &bindings {
            assert!(b.container_port >= 1, "{text:?}: {b:?}");
            if !b.host_port.is_empty() && !b.host_port.contains('-') {
                let h: u16 = b.host_port.parse().unwrap_or_else(|_| panic!("{text:?}: {b:?}"));
                assert!(h >= 1, "{text:?}: {b:?}");
            }
        }
    }
});
