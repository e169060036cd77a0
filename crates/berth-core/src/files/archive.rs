//! Tar in and out of containers (F2, F3), on plain blocking I/O so it can
//! run on a blocking thread fed by the engine's stream.
//!
//! [`extract_safely`] treats the archive as hostile: nothing may land
//! outside the destination (`..`, absolute names, symlinks or hardlinks
//! pointing out, a symlink followed while extracting), device files and
//! FIFOs are skipped, setuid/setgid/sticky bits are dropped, and existing
//! host files are not replaced unless asked. Everything is written into a
//! temporary folder inside the destination and moved into place at the end,
//! so a cancel or a failure leaves nothing half-written.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Serialize;
use specta::Type;

use crate::error::{Error, Result};
use crate::said::Said;

/// What an extraction did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Extracted {
    /// Top-level names placed in the destination.
    pub placed: Vec<String>,
    #[specta(type = crate::JsNumber)]
    pub files: u64,
    #[specta(type = crate::JsNumber)]
    pub bytes: u64,
    /// Entries not written, each with its name and why.
    pub skipped: Vec<Said>,
    /// Entries written with a change (setuid bit dropped...).
    pub notes: Vec<Said>,
}

/// Progress as it goes: bytes and files so far.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

fn cancelled() -> Error {
    Error::cancelled(Said::CopyOutCancelled)
}

/// What [`Watched`] fails a read with once cancelled. Its kind is `Other`
/// on purpose: std's `read_to_end` and `read_exact` (which the tar crate
/// reads GNU long names and PAX headers with) retry `Interrupted` forever.
#[derive(Debug)]
struct CancelledRead;

impl std::fmt::Display for CancelledRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cancelled")
    }
}

impl std::error::Error for CancelledRead {}

pub(crate) fn is_cancel(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<CancelledRead>())
}

/// Why an entry is skipped, said of its shown name.
type Skip = Box<dyn FnOnce(String) -> Said>;

/// An archive name as relative components, or why it cannot be used.
fn clean(name: &Path) -> std::result::Result<PathBuf, Skip> {
    let mut out = PathBuf::new();
    for c in name.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => return Err(Box::new(|path| Said::SkipClimbs { path })),
            Component::RootDir | Component::Prefix(_) => {
                return Err(Box::new(|path| Said::SkipAbsolute { path }))
            }
        }
    }
    if out.as_os_str().is_empty() {
        return Err(Box::new(|path| Said::SkipNoName { path }));
    }
    Ok(out)
}

/// Where a symlink at `at` (archive-relative) pointing to `target` lands,
/// if it stays inside the archive's root.
fn resolve_link(at: &Path, target: &Path) -> Option<PathBuf> {
    if target.is_absolute() {
        return None;
    }
    let mut parts: Vec<&std::ffi::OsStr> =
        at.parent().map(|p| p.iter().collect()).unwrap_or_default();
    for c in target.components() {
        match c {
            Component::Normal(p) => parts.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            _ => return None,
        }
    }
    Some(parts.iter().collect())
}

/// Creates `rel`'s parent folders under `root`, refusing to pass through
/// anything that is not a real folder (a symlink above all).
fn make_parents(root: &Path, rel: &Path) -> std::result::Result<(), Skip> {
    let mut cur = root.to_path_buf();
    if let Some(parent) = rel.parent() {
        for c in parent.components() {
            cur.push(c);
            match std::fs::symlink_metadata(&cur) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(Box::new(|path| Said::SkipFolderIsLink { path }))
                }
                Ok(m) if m.is_dir() => {}
                Ok(_) => return Err(Box::new(|path| Said::SkipFolderIsFile { path })),
                Err(_) => std::fs::create_dir(&cur).map_err(|e| -> Skip {
                    let detail = e.to_string();
                    Box::new(move |path| Said::SkipFailed { path, detail })
                })?,
            }
        }
    }
    Ok(())
}

/// Removes whatever is at `p` (a file or link left by an earlier entry).
fn clear(p: &Path) {
    if let Ok(m) = std::fs::symlink_metadata(p) {
        if m.is_dir() && !m.file_type().is_symlink() {
            let _ = std::fs::remove_dir_all(p);
        } else {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
}
#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

#[cfg(unix)]
fn symlink(target: &Path, at: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, at)
}
#[cfg(not(unix))]
fn symlink(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "symlinks are not made on this system",
    ))
}

/// A reader that stops when cancelled, and says every 100 ms how many bytes
/// have passed (a listing through the archive, F1).
pub(crate) struct Metered<R, F> {
    pub inner: R,
    pub cancel: Arc<AtomicBool>,
    pub progress: F,
    pub bytes: u64,
    pub last: std::time::Instant,
}

impl<R: Read, F: FnMut(u64)> Read for Metered<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(std::io::Error::other(CancelledRead));
        }
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        if self.last.elapsed() >= std::time::Duration::from_millis(100) {
            self.last = std::time::Instant::now();
            (self.progress)(self.bytes);
        }
        Ok(n)
    }
}

/// A reader that stops when cancelled and counts what passes.
struct Watched<'a, R> {
    inner: R,
    cancel: &'a AtomicBool,
}

impl<R: Read> Read for Watched<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(std::io::Error::other(CancelledRead));
        }
        self.inner.read(buf)
    }
}

/// Extracts `tar` into `dest` as described in the module docs. `overwrite`
/// lets existing top-level names in `dest` be replaced.
pub fn extract_safely(
    tar: impl Read,
    dest: &Path,
    overwrite: bool,
    cancel: &AtomicBool,
    progress: Progress<'_>,
) -> Result<Extracted> {
    let io = |e: std::io::Error| Error::path("destination", dest, &e);
    if !dest.is_dir() {
        return Err(Error::said(
            "destination",
            Said::NotAFolder {
                path: dest.display().to_string(),
            },
        ));
    }
    let tmp = dest.join(format!(".berth-copy-{}-{}", std::process::id(), unique()));
    std::fs::create_dir(&tmp).map_err(io)?;
    let result = extract_into(tar, &tmp, cancel, progress);
    let mut report = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    // Check every name before moving any, so a refusal changes nothing.
    let mut names: Vec<_> = std::fs::read_dir(&tmp)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    names.sort();
    let taken: Vec<String> = names
        .iter()
        .filter(|n| std::fs::symlink_metadata(dest.join(n)).is_ok())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    if !taken.is_empty() && !overwrite {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(Error::conflict(Said::AlreadyInDestination {
            dest: dest.display().to_string(),
            names: taken.join(", "),
        }));
    }
    for n in &names {
        let to = dest.join(n);
        clear(&to);
        std::fs::rename(tmp.join(n), &to).map_err(io)?;
        report.placed.push(n.to_string_lossy().into_owned());
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(report)
}

fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn extract_into(
    tar: impl Read,
    root: &Path,
    cancel: &AtomicBool,
    progress: Progress<'_>,
) -> Result<Extracted> {
    let mut report = Extracted::default();
    let mut archive = tar::Archive::new(Watched { inner: tar, cancel });
    let mut dirs: Vec<(PathBuf, u32)> = Vec::new();
    // Symlinks not made: nothing may be written "through" them either.
    let mut refused_links: Vec<PathBuf> = Vec::new();
    let read_err = |e: std::io::Error| {
        if is_cancel(&e) {
            cancelled()
        } else {
            Error::failed(Said::ArchiveDamaged {
                detail: e.to_string(),
            })
        }
    };
    for entry in archive.entries().map_err(read_err)? {
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        let mut entry = entry.map_err(read_err)?;
        let raw = entry.path().map_err(read_err)?.into_owned();
        let shown = raw.display().to_string();
        let rel = match clean(&raw) {
            Ok(r) => r,
            Err(why) => {
                report.skipped.push(why(shown));
                continue;
            }
        };
        let skip = |report: &mut Extracted, why: fn(String) -> Said| {
            report.skipped.push(why(shown.clone()))
        };
        if let Some(l) = refused_links
            .iter()
            .find(|l| rel.starts_with(l) && rel != **l)
        {
            report.skipped.push(Said::SkipUnderLink {
                path: shown,
                link: l.display().to_string(),
            });
            continue;
        }
        if let Err(why) = make_parents(root, &rel) {
            report.skipped.push(why(shown));
            continue;
        }
        let at = root.join(&rel);
        let header_mode = entry.header().mode().unwrap_or(0o644);
        let mode = header_mode & 0o777;
        if header_mode & 0o7000 != 0 {
            report.notes.push(Said::ModeBitsRemoved {
                path: shown.clone(),
            });
        }
        let kind = entry.header().entry_type();
        match kind {
            tar::EntryType::Directory => {
                match std::fs::symlink_metadata(&at) {
                    Ok(m) if m.is_dir() && !m.file_type().is_symlink() => {}
                    Ok(_) => {
                        clear(&at);
                        std::fs::create_dir(&at)
                            .map_err(|e| Error::path("destination", &at, &e))?;
                    }
                    Err(_) => {
                        std::fs::create_dir(&at).map_err(|e| Error::path("destination", &at, &e))?
                    }
                }
                dirs.push((at, mode | 0o700));
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                clear(&at);
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&at)
                    .map_err(|e| Error::path("destination", &at, &e))?;
                // The body arrives in small chunks: the disk gets them in MiBs.
                let size = entry.header().size().unwrap_or(0);
                let mut f =
                    std::io::BufWriter::with_capacity(size.clamp(8 << 10, 1 << 20) as usize, f);
                let mut buf = vec![0u8; 256 * 1024];
                loop {
                    let n = entry.read(&mut buf).map_err(read_err)?;
                    if n == 0 {
                        break;
                    }
                    f.write_all(&buf[..n])
                        .map_err(|e| Error::path("destination", &at, &e))?;
                    report.bytes += n as u64;
                    progress(report.bytes, report.files);
                }
                f.flush().map_err(|e| Error::path("destination", &at, &e))?;
                drop(f);
                set_mode(&at, mode);
                if let Ok(Some(mtime)) = entry.header().mtime().map(Some) {
                    let _ = filetime::set_file_mtime(
                        &at,
                        filetime::FileTime::from_unix_time(mtime as i64, 0),
                    );
                }
                report.files += 1;
                progress(report.bytes, report.files);
            }
            tar::EntryType::Symlink => {
                let Some(target) = entry.link_name().map_err(read_err)? else {
                    skip(&mut report, |path| Said::SkipLinkNoTarget { path });
                    continue;
                };
                if resolve_link(&rel, &target).is_none() {
                    refused_links.push(rel.clone());
                    report.skipped.push(Said::SkipLinkOutside {
                        path: shown,
                        target: target.display().to_string(),
                    });
                    continue;
                }
                clear(&at);
                if let Err(e) = symlink(&target, &at) {
                    report.skipped.push(Said::SkipFailed {
                        path: shown,
                        detail: e.to_string(),
                    });
                }
            }
            tar::EntryType::Link => {
                let Some(target) = entry.link_name().map_err(read_err)? else {
                    skip(&mut report, |path| Said::SkipHardlinkNoTarget { path });
                    continue;
                };
                let Ok(trel) = clean(&target) else {
                    report.skipped.push(Said::SkipHardlinkOutside {
                        path: shown,
                        target: target.display().to_string(),
                    });
                    continue;
                };
                let src = root.join(&trel);
                let real_file = make_parents(root, &trel).is_ok()
                    && std::fs::symlink_metadata(&src).is_ok_and(|m| m.is_file());
                if !real_file {
                    report.skipped.push(Said::SkipHardlinkNotFile {
                        path: shown,
                        target: target.display().to_string(),
                    });
                    continue;
                }
                clear(&at);
                std::fs::hard_link(&src, &at).map_err(|e| Error::path("destination", &at, &e))?;
                report.files += 1;
            }
            tar::EntryType::Char | tar::EntryType::Block => {
                skip(&mut report, |path| Said::SkipDevice { path })
            }
            tar::EntryType::Fifo => skip(&mut report, |path| Said::SkipFifo { path }),
            other => report.skipped.push(Said::SkipKind {
                path: shown,
                kind: format!("{other:?}"),
            }),
        }
    }
    // Folder modes last, deepest first, so a read-only folder is filled first.
    for (d, mode) in dirs.into_iter().rev() {
        set_mode(&d, mode);
    }
    Ok(report)
}

/// Writes host files and folders as a tar (F2), reading each file as it
/// goes. Symlinks are stored as links, not followed. Each path becomes a
/// top-level entry named after its last component.
pub fn pack(
    paths: &[PathBuf],
    out: impl Write,
    cancel: &AtomicBool,
    progress: Progress<'_>,
) -> Result<(u64, u64)> {
    let mut b = tar::Builder::new(out);
    b.follow_symlinks(false);
    let (mut files, mut bytes) = (0u64, 0u64);
    let io = |p: &Path, e: std::io::Error| Error::path("source", p, &e);
    for p in paths {
        let name = p.file_name().ok_or_else(|| {
            Error::said(
                "source",
                Said::PathNoName {
                    path: p.display().to_string(),
                },
            )
        })?;
        for entry in walk(p).map_err(|e| io(p, e))? {
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled());
            }
            let rel = entry.strip_prefix(p).unwrap_or(Path::new(""));
            let in_tar = Path::new(name).join(rel);
            let meta = std::fs::symlink_metadata(&entry).map_err(|e| io(&entry, e))?;
            b.append_path_with_name(&entry, &in_tar)
                .map_err(|e| io(&entry, e))?;
            if meta.is_file() {
                files += 1;
                bytes += meta.len();
                progress(bytes, files);
            }
        }
    }
    b.into_inner().and_then(|mut w| w.flush()).map_err(|e| {
        Error::failed(Said::ArchiveWriteFailed {
            detail: e.to_string(),
        })
    })?;
    Ok((files, bytes))
}

/// A path and everything under it, parents first, not following symlinks.
fn walk(p: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = vec![p.to_path_buf()];
    let m = std::fs::symlink_metadata(p)?;
    if m.is_dir() {
        let mut children: Vec<_> = std::fs::read_dir(p)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        children.sort();
        for c in children {
            out.extend(walk(&c)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A raw tar entry: the name written as given (no checks), so hostile
    /// names can be made.
    fn entry(
        t: &mut Vec<u8>,
        name: &str,
        kind: tar::EntryType,
        mode: u32,
        link: &str,
        data: &[u8],
    ) {
        let mut h = tar::Header::new_gnu();
        {
            let g = h.as_gnu_mut().unwrap();
            g.name[..name.len()].copy_from_slice(name.as_bytes());
            g.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
        h.set_entry_type(kind);
        h.set_mode(mode);
        h.set_size(data.len() as u64);
        h.set_mtime(1_600_000_000);
        h.set_cksum();
        t.extend_from_slice(h.as_bytes());
        t.extend_from_slice(data);
        let pad = (512 - data.len() % 512) % 512;
        t.extend(std::iter::repeat_n(0u8, pad));
    }

    fn finish(mut t: Vec<u8>) -> Vec<u8> {
        t.extend(std::iter::repeat_n(0u8, 1024));
        t
    }

    fn run(tar: Vec<u8>, dest: &Path) -> Result<Extracted> {
        extract_safely(
            &tar[..],
            dest,
            false,
            &AtomicBool::new(false),
            &mut |_, _| {},
        )
    }

    /// Every path under `dir`, relative.
    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = walk(dir)
            .unwrap()
            .into_iter()
            .skip(1)
            .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
            .collect();
        v.sort();
        v
    }

    use tar::EntryType as T;

    #[test]
    fn hostile_names_are_skipped_and_named_and_nothing_lands_outside() {
        let outer = tempfile::tempdir().unwrap();
        let dest = outer.path().join("dest");
        std::fs::create_dir(&dest).unwrap();
        let mut t = Vec::new();
        entry(&mut t, "ok/", T::Directory, 0o755, "", b"");
        entry(&mut t, "ok/file", T::Regular, 0o644, "", b"fine");
        entry(&mut t, "../x", T::Regular, 0o644, "", b"evil");
        entry(&mut t, "/etc/x", T::Regular, 0o644, "", b"evil");
        entry(&mut t, "ok/a/../../../x", T::Regular, 0o644, "", b"evil");
        entry(&mut t, "ok/l", T::Symlink, 0o777, "../../", b"");
        entry(&mut t, "ok/l/f", T::Regular, 0o644, "", b"evil");
        entry(&mut t, "ok/root", T::Symlink, 0o777, "/", b"");
        entry(&mut t, "ok/h", T::Link, 0o644, "../../outside", b"");
        entry(&mut t, "ok/h2", T::Link, 0o644, "/etc/passwd", b"");
        entry(&mut t, "ok/dev", T::Char, 0o644, "", b"");
        entry(&mut t, "ok/fifo", T::Fifo, 0o644, "", b"");
        entry(&mut t, "ok/suid", T::Regular, 0o4755, "", b"#!/bin/sh\n");
        entry(&mut t, "ok/inside", T::Symlink, 0o777, "file", b"");
        entry(&mut t, "ok/hard", T::Link, 0o644, "ok/file", b"");
        let r = run(finish(t), &dest).unwrap();

        // Only what is inside was written, and only inside.
        assert_eq!(
            listing(outer.path()),
            [
                "dest",
                "dest/ok",
                "dest/ok/file",
                "dest/ok/hard",
                "dest/ok/inside",
                "dest/ok/suid"
            ]
        );
        for (name, why) in [
            ("../x", "climbs out"),
            ("/etc/x", "absolute"),
            ("ok/a/../../../x", "climbs out"),
            ("ok/l", "outside the copy (→ ../../)"),
            ("ok/l/f", "skipped symlink `ok/l`"),
            ("ok/root", "outside the copy (→ /)"),
            ("ok/h", "hardlink"),
            ("ok/h2", "hardlink"),
            ("ok/dev", "device file"),
            ("ok/fifo", "FIFO"),
        ] {
            assert!(
                r.skipped
                    .iter()
                    .map(Said::to_string)
                    .any(|s| s.starts_with(&format!("`{name}`")) && s.contains(why)),
                "{name}: {:#?}",
                r.skipped
            );
        }
        assert!(r
            .notes
            .iter()
            .any(|n| n.to_string().starts_with("`ok/suid`")));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = std::fs::metadata(dest.join("ok/suid"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(m & 0o7777, 0o755, "setuid dropped, the rest kept");
        }
        assert_eq!(std::fs::read(dest.join("ok/hard")).unwrap(), b"fine");
        assert_eq!(r.placed, ["ok"]);
    }

    #[test]
    fn prefix_confusion_does_not_leak_between_folders() {
        let dest = tempfile::tempdir().unwrap();
        let mut t = Vec::new();
        entry(&mut t, "dir/", T::Directory, 0o755, "", b"");
        entry(&mut t, "dir2/f", T::Regular, 0o644, "", b"two");
        entry(&mut t, "dir/l", T::Symlink, 0o777, "../dir2", b"");
        entry(&mut t, "dir/l/g", T::Regular, 0o644, "", b"through a link");
        let r = run(finish(t), dest.path()).unwrap();
        assert_eq!(std::fs::read(dest.path().join("dir2/f")).unwrap(), b"two");
        assert!(
            !dest.path().join("dir2/g").exists(),
            "nothing written through the symlink"
        );
        assert!(r
            .skipped
            .iter()
            .any(|s| s.to_string().starts_with("`dir/l/g`")));
    }

    #[test]
    fn existing_files_are_not_replaced_without_asking_and_nothing_half_done_stays() {
        let dest = tempfile::tempdir().unwrap();
        std::fs::write(dest.path().join("a"), "mine").unwrap();
        let mut t = Vec::new();
        entry(&mut t, "a", T::Regular, 0o644, "", b"theirs");
        entry(&mut t, "b", T::Regular, 0o644, "", b"new");
        let tar = finish(t);
        match run(tar.clone(), dest.path()).unwrap_err() {
            Error::Conflict { message, .. } => assert!(message.contains(": a;"), "{message}"),
            e => panic!("{e:?}"),
        }
        assert_eq!(
            listing(dest.path()),
            ["a"],
            "b was not placed either; no temp folder left"
        );
        assert_eq!(
            std::fs::read_to_string(dest.path().join("a")).unwrap(),
            "mine"
        );
        extract_safely(
            &tar[..],
            dest.path(),
            true,
            &AtomicBool::new(false),
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(dest.path().join("a")).unwrap(),
            "theirs"
        );
    }

    #[test]
    fn a_cancel_or_a_damaged_archive_leaves_nothing() {
        let dest = tempfile::tempdir().unwrap();
        let mut t = Vec::new();
        entry(&mut t, "big", T::Regular, 0o644, "", &vec![7u8; 2 << 20]);
        let tar = finish(t);
        let cancel = AtomicBool::new(false);
        let err = extract_safely(&tar[..], dest.path(), false, &cancel, &mut |bytes, _| {
            if bytes > 1 << 20 {
                cancel.store(true, Ordering::Relaxed);
            }
        })
        .unwrap_err();
        assert!(err.to_string().contains("cancelled"), "{err}");
        assert!(listing(dest.path()).is_empty());
        // Cut in the middle of the data.
        let err = run(tar[..700_000].to_vec(), dest.path()).unwrap_err();
        assert!(
            err.to_string().contains("damaged") || err.to_string().contains("failed"),
            "{err}"
        );
        assert!(listing(dest.path()).is_empty());
    }

    /// Sets `cancel` once `after` bytes have been read from it.
    struct CancelAfter<'a> {
        data: &'a [u8],
        at: usize,
        after: usize,
        cancel: &'a AtomicBool,
    }

    impl Read for CancelAfter<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.at >= self.after {
                self.cancel.store(true, Ordering::Relaxed);
            }
            // Short reads, so the long name's data takes several calls.
            let n = buf.len().min(100).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn a_cancel_inside_a_long_name_ends_the_copy_and_does_not_spin() {
        let dest = tempfile::tempdir().unwrap();
        let long = format!("{}/file", "d".repeat(900));
        let mut builder = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(3);
        h.set_mode(0o644);
        h.set_entry_type(T::Regular);
        // A name over 100 bytes goes in a GNU long-name entry before it.
        builder.append_data(&mut h, &long, &b"abc"[..]).unwrap();
        let tar = builder.into_inner().unwrap();
        assert_eq!(
            &tar[156..157],
            b"L",
            "the archive starts with a long-name entry"
        );
        let (tx, rx) = std::sync::mpsc::channel();
        let path = dest.path().to_path_buf();
        std::thread::spawn(move || {
            let cancel = AtomicBool::new(false);
            // Cancelled in the middle of the long name's 900-odd bytes.
            let reader = CancelAfter {
                data: &tar,
                at: 0,
                after: 512 + 300,
                cancel: &cancel,
            };
            let r = extract_safely(reader, &path, false, &cancel, &mut |_, _| {});
            let _ = tx.send(r.map(|_| ()));
        });
        let r = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the extraction still runs 20 s after its cancel: it spins");
        match r {
            Err(Error::Cancelled { message, .. }) => assert!(message.contains("cancelled")),
            other => panic!("{other:?}"),
        }
        assert!(listing(dest.path()).is_empty());
    }

    #[test]
    fn packing_then_extracting_gives_the_same_tree() {
        let src = tempfile::tempdir().unwrap();
        let root = src.path().join("tree");
        std::fs::create_dir_all(root.join("a b/ünï")).unwrap();
        std::fs::create_dir(root.join("empty")).unwrap();
        std::fs::write(root.join("a b/ünï/f.txt"), "hello").unwrap();
        std::fs::write(root.join("top"), vec![1u8; 100_000]).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("top", root.join("link")).unwrap();
        let mut tar = Vec::new();
        let (files, bytes) = pack(
            std::slice::from_ref(&root),
            &mut tar,
            &AtomicBool::new(false),
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!((files, bytes), (2, 100_005));
        let dest = tempfile::tempdir().unwrap();
        let r = run(tar, dest.path()).unwrap();
        assert!(r.skipped.is_empty(), "{:?}", r.skipped);
        assert_eq!(listing(&dest.path().join("tree")), listing(&root));
        assert_eq!(
            std::fs::read(dest.path().join("tree/top")).unwrap(),
            vec![1u8; 100_000]
        );
        #[cfg(unix)]
        assert_eq!(
            std::fs::read_link(dest.path().join("tree/link")).unwrap(),
            Path::new("top")
        );
    }
}
