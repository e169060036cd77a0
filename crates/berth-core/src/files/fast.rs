//! Listing a folder of a running container by asking its own shell (F1's
//! fast path): `stat` of the folder and of each entry one level down
//! (`find -mindepth 1 -maxdepth 1`, busybox's and GNU's), and `readlink`
//! for the links, NUL-separated where a name could hold anything. The
//! archive API sends every byte below a path; this reads only the entries.
//!
//! Anything unexpected (no shell, no `find`, a permission the container's
//! user lacks, a name with a newline, an answer too large) gives None, and
//! the caller reads the archive instead, which always works.

use bollard::container::LogOutput;
use bollard::exec::{CreateExecOptions, StartExecResults};
use futures_util::StreamExt;

use super::{mode_text, FileEntry, FileKind, Listing, LIST_MAX};
use crate::engine::Engine;

/// The script: `$1` is the path. Exit codes above 0 mean "use the archive".
const SCRIPT: &str = r#"p=$1
stat -c '%f %s %u %g %Y' -- "$p" || exit 90
[ -d "$p" ] || exit 0
find "$p" -mindepth 1 -maxdepth 1 -exec stat -c '%f %s %u %g %Y %n' -- {} + || exit 91
printf '\0'
find "$p" -mindepth 1 -maxdepth 1 -type l -exec sh -c 'for l do printf "%s\0%s\0" "$l" "$(readlink -- "$l")"; done' sh {} + || exit 92
"#;

/// The most output read: 20,000 entries of long names fit well below it.
const OUTPUT_MAX: usize = 16 * 1024 * 1024;

fn kind_of(raw: u32) -> FileKind {
    match raw & 0o170000 {
        0o040000 => FileKind::Dir,
        0o100000 => FileKind::File,
        0o120000 => FileKind::Symlink,
        _ => FileKind::Other,
    }
}

/// What `stat -c '%f %s %u %g %Y'` says of one path.
#[derive(Clone, Copy)]
struct Stat {
    raw: u32,
    size: u64,
    uid: u32,
    gid: u32,
    mtime: u64,
}

/// `HEX SIZE UID GID MTIME` and, for an entry, ` PATH`.
fn fields(line: &str, with_path: bool) -> Option<(Stat, Option<&str>)> {
    let mut it = line.splitn(if with_path { 6 } else { 5 }, ' ');
    let raw = u32::from_str_radix(it.next()?, 16).ok()?;
    let size = it.next()?.parse().ok()?;
    let uid = it.next()?.parse().ok()?;
    let gid = it.next()?.parse().ok()?;
    let mtime = it.next()?.parse().ok()?;
    let path = if with_path { Some(it.next()?) } else { None };
    if it.next().is_some() {
        return None;
    }
    Some((
        Stat {
            raw,
            size,
            uid,
            gid,
            mtime,
        },
        path,
    ))
}

fn entry(name: &str, path: &str, f: Stat, link: Option<String>) -> FileEntry {
    let Stat {
        raw,
        size,
        uid,
        gid,
        mtime,
    } = f;
    let kind = kind_of(raw);
    FileEntry {
        name: name.to_string(),
        path: path.to_string(),
        kind,
        // As the archive has them: folders and links have no size of their own.
        size: if matches!(kind, FileKind::Dir | FileKind::Symlink) {
            0
        } else {
            size
        },
        mode: raw & 0o7777,
        mode_text: mode_text(kind, raw),
        uid,
        gid,
        mtime,
        link_target: link,
    }
}

/// Reads the script's output into a listing of `dir`; None when it is not
/// what the script writes.
pub fn parse(dir: &str, out: &[u8]) -> Option<Listing> {
    let (stats, links) = match out.iter().position(|b| *b == 0) {
        Some(i) => (&out[..i], &out[i + 1..]),
        None => (out, &[][..]),
    };
    let stats = std::str::from_utf8(stats).ok()?;
    let mut lines = stats.lines();
    let (stat, _) = fields(lines.next()?, false)?;
    let name = match dir.rsplit_once('/') {
        Some((_, n)) if !n.is_empty() => n,
        _ => "/",
    };
    let this = entry(name, dir, stat, None);
    if this.kind != FileKind::Dir {
        return Some(Listing {
            path: dir.to_string(),
            this: Some(this),
            entries: Vec::new(),
            truncated: false,
            from_archive: false,
        });
    }
    let mut targets = std::collections::HashMap::new();
    let mut parts = links.split(|b| *b == 0);
    while let (Some(l), Some(t)) = (parts.next(), parts.next()) {
        if l.is_empty() {
            break;
        }
        targets.insert(
            String::from_utf8_lossy(l).into_owned(),
            String::from_utf8_lossy(t).into_owned(),
        );
    }
    let prefix = if dir == "/" {
        "/".to_string()
    } else {
        format!("{dir}/")
    };
    let mut entries = Vec::new();
    let mut truncated = false;
    for line in lines {
        if entries.len() >= LIST_MAX {
            truncated = true;
            break;
        }
        let (stat, path) = fields(line, true)?;
        let path = path?;
        // A name with a newline splits its line: the archive reads it whole.
        let name = path
            .strip_prefix(&prefix)
            .filter(|n| !n.is_empty() && !n.contains('/'))?;
        let link = targets.remove(path);
        entries.push(entry(name, path, stat, link));
    }
    entries.sort_by(|a, b| {
        (a.kind != FileKind::Dir, a.name.to_lowercase())
            .cmp(&(b.kind != FileKind::Dir, b.name.to_lowercase()))
    });
    Some(Listing {
        path: dir.to_string(),
        this: Some(this),
        entries,
        truncated,
        from_archive: false,
    })
}

impl Engine {
    /// The fast path: None when the container is not running or its shell
    /// cannot answer (the caller reads the archive).
    pub(crate) async fn list_by_exec(&self, id: &str, dir: &str) -> Option<Listing> {
        let running = self
            .inspect(id, false)
            .await
            .ok()?
            .state
            .and_then(|s| s.running)
            .unwrap_or(false);
        if !running {
            return None;
        }
        let exec = self
            .docker
            .create_exec(
                id,
                CreateExecOptions {
                    attach_stdout: Some(true),
                    attach_stderr: Some(true),
                    cmd: Some(vec!["sh", "-c", SCRIPT, "sh", dir]),
                    ..Default::default()
                },
            )
            .await
            .ok()?;
        let StartExecResults::Attached { mut output, .. } =
            self.docker.start_exec(&exec.id, None).await.ok()?
        else {
            return None;
        };
        let mut out = Vec::new();
        while let Some(chunk) = output.next().await {
            match chunk.ok()? {
                LogOutput::StdOut { message } => {
                    if out.len() + message.len() > OUTPUT_MAX {
                        return None;
                    }
                    out.extend_from_slice(&message);
                }
                _ => continue,
            }
        }
        let code = self.docker.inspect_exec(&exec.id).await.ok()?.exit_code;
        if code != Some(0) {
            return None;
        }
        parse(dir, &out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busybox_and_gnu_answers_are_read() {
        let out = b"41ed 4096 0 0 1796150860\n41ed 4096 0 0 1796150860 /tmp/a b\na1ff 5 0 0 1796150860 /tmp/link\n81a4 12 1000 1000 1796150861 /tmp/x y\n\0/tmp/link\0/data\0";
        let l = parse("/tmp", out).unwrap();
        let names: Vec<_> = l
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("a b", FileKind::Dir),
                ("link", FileKind::Symlink),
                ("x y", FileKind::File)
            ]
        );
        assert_eq!(l.entries[1].link_target.as_deref(), Some("/data"));
        assert_eq!(l.entries[2].size, 12);
        assert_eq!(l.entries[2].uid, 1000);
        assert_eq!(l.entries[2].mode_text, "-rw-r--r--");
        assert_eq!(l.this.unwrap().kind, FileKind::Dir);
    }

    #[test]
    fn the_root_and_a_file_are_read() {
        let l = parse("/", b"41ed 4096 0 0 1\n41ed 4096 0 0 1 /bin\n\0").unwrap();
        assert_eq!(l.entries[0].name, "bin");
        assert_eq!(l.this.unwrap().name, "/");
        let l = parse("/data/what", b"81a4 6 0 0 1796114791\n").unwrap();
        assert!(l.entries.is_empty());
        assert_eq!(l.this.unwrap().kind, FileKind::File);
    }

    #[test]
    fn anything_unexpected_falls_back_to_the_archive() {
        // A name with a newline splits its line.
        assert!(parse("/tmp", b"41ed 4096 0 0 1\n81a4 1 0 0 1 /tmp/a\nb\n\0").is_none());
        // Not the script's answer at all.
        assert!(parse("/tmp", b"sh: find: not found\n").is_none());
        assert!(parse("/tmp", b"").is_none());
        // An entry outside the folder.
        assert!(parse("/tmp", b"41ed 4096 0 0 1\n81a4 1 0 0 1 /etc/passwd\n\0").is_none());
    }
}
