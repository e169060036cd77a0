//! glibc's malloc raises its mmap threshold each time a large block is
//! freed (up to 32 MiB), so the next large blocks (the engine's answer for a
//! long container list, its JSON for the window) come from the heap and are
//! kept there once freed: with 10,000 containers listed, the UI process held
//! 35 MB more at idle (e2e/bench_app.py, one launch each: 153 and 157 MB
//! PSS without, 119 and 119 MB with it).
//! A fixed threshold, glibc's own starting 128 KiB, gives such blocks back
//! when they are freed. glibc reads it only as a process starts, and the
//! crate has no `unsafe` for `mallopt`, so Berth starts itself once more
//! with it set (the same process id, before any thread). Its children
//! (WebKit's processes, terminals, ssh) do not inherit it.
//! `BERTH_MALLOC=0`, or the user's own malloc settings, leave it alone.

const MALLOC_VAR: &str = "MALLOC_MMAP_THRESHOLD_";
const MALLOC_MARK: &str = "BERTH_MALLOC_SET";
const MALLOC_THRESHOLD: &str = "131072";

/// What the start does about malloc's threshold, from the environment.
#[derive(Debug, PartialEq, Eq)]
enum MallocStart {
    /// Not set: start again with it set (and marked as Berth's).
    Restart,
    /// Set by Berth's own restart: keep it from the children.
    Forget,
    /// The user's own malloc settings, or `BERTH_MALLOC=0`: left alone.
    Leave,
}

fn malloc_start(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> MallocStart {
    if var(MALLOC_MARK).is_some() {
        return MallocStart::Forget;
    }
    let tunables = var("GLIBC_TUNABLES").is_some_and(|t| t.to_string_lossy().contains("malloc"));
    if var(MALLOC_VAR).is_some() || tunables || var("BERTH_MALLOC").is_some_and(|v| v == "0") {
        return MallocStart::Leave;
    }
    MallocStart::Restart
}

/// Starts Berth again with malloc's threshold fixed (see the module's note),
/// or forgets it once started so. A restart that fails (the binary moved
/// by an upgrade) goes on as it is. Call first, before any thread.
pub fn tune() {
    use std::os::unix::process::CommandExt;
    match malloc_start(|k| std::env::var_os(k)) {
        MallocStart::Leave => {}
        MallocStart::Forget => {
            std::env::remove_var(MALLOC_VAR);
            std::env::remove_var(MALLOC_MARK);
        }
        MallocStart::Restart => {
            let Ok(exe) = std::env::current_exe() else {
                return;
            };
            let mut again = std::process::Command::new(exe);
            again
                .args(std::env::args_os().skip(1))
                .env(MALLOC_VAR, MALLOC_THRESHOLD)
                .env(MALLOC_MARK, "1");
            if let Some(arg0) = std::env::args_os().next() {
                again.arg0(arg0);
            }
            // Only returns if the restart failed.
            let _ = again.exec();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn mallocs_threshold_is_set_once_and_the_users_own_is_kept() {
        use super::{malloc_start, MallocStart};
        use std::ffi::OsString;
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(name, _)| *name == k)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        assert_eq!(malloc_start(env(&[])), MallocStart::Restart);
        assert_eq!(
            malloc_start(env(&[("GLIBC_TUNABLES", "glibc.rtld.nns=2")])),
            MallocStart::Restart
        );
        assert_eq!(
            malloc_start(env(&[("BERTH_MALLOC", "1")])),
            MallocStart::Restart
        );
        // Started again by Berth: the mark says the setting is its own.
        assert_eq!(
            malloc_start(env(&[
                ("MALLOC_MMAP_THRESHOLD_", "131072"),
                ("BERTH_MALLOC_SET", "1")
            ])),
            MallocStart::Forget
        );
        // The user's own, in either of glibc's ways, or turned off.
        for user in [
            &[("MALLOC_MMAP_THRESHOLD_", "65536")][..],
            &[("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=65536")][..],
            &[("BERTH_MALLOC", "0")][..],
        ] {
            assert_eq!(malloc_start(env(user)), MallocStart::Leave, "{user:?}");
        }
    }
}
