//! A container's files (F1-F4). A running container's folder is listed by
//! its own shell ([`fast`]: the entries only, whatever lies below them);
//! otherwise, and whenever that cannot answer, through the Engine's archive
//! API, so it works on a stopped container and on an image with no shell:
//! folders are listed from the tar the engine streams (contents skipped, not kept),
//! small files previewed, copies streamed both ways through [`archive`],
//! and the container layer's changes read (`docker diff`).
//!
//! [`archive`]: crate::files::archive

pub mod archive;
pub mod fast;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bollard::query_parameters::{
    ContainerArchiveInfoOptionsBuilder, DownloadFromContainerOptionsBuilder,
    UploadToContainerOptionsBuilder,
};
use futures_util::{StreamExt, TryStreamExt};
use serde::Serialize;
use specta::Type;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::files::archive::Extracted;
use crate::said::Said;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FileKind {
    File,
    Dir,
    Symlink,
    Hardlink,
    /// Device, FIFO, socket...
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileEntry {
    pub name: String,
    /// The full path in the container.
    pub path: String,
    pub kind: FileKind,
    #[specta(type = crate::JsNumber)]
    pub size: u64,
    /// Permission bits and the setuid/setgid/sticky bits.
    pub mode: u32,
    /// `drwxr-xr-x`, as `ls -l` prints it.
    pub mode_text: String,
    pub uid: u32,
    pub gid: u32,
    #[specta(type = crate::JsNumber)]
    pub mtime: u64,
    pub link_target: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Listing {
    pub path: String,
    /// The folder itself (or the file, when `path` is not a folder).
    pub this: Option<FileEntry>,
    pub entries: Vec<FileEntry>,
    /// The listing stopped early (a very large folder tree).
    pub truncated: bool,
    /// Read through the archive API (the container is stopped or its shell
    /// could not list): every byte below the folder was read, so it is
    /// slower for a large tree.
    pub from_archive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub path: String,
    #[specta(type = crate::JsNumber)]
    pub size: u64,
    /// The text, when the start of the file is UTF-8 text.
    pub text: Option<String>,
    /// Only the first [`PREVIEW_MAX`] bytes are shown.
    pub truncated: bool,
}

/// The most of a file shown inline.
pub const PREVIEW_MAX: usize = 64 * 1024;
/// The most entries a listing reads before it stops.
pub(crate) const LIST_MAX: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    Added,
    Changed,
    Deleted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
}

/// Bytes and files copied so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CopyProgress {
    #[specta(type = crate::JsNumber)]
    pub bytes: u64,
    #[specta(type = crate::JsNumber)]
    pub files: u64,
}

pub fn mode_text(kind: FileKind, mode: u32) -> String {
    let t = match kind {
        FileKind::Dir => 'd',
        FileKind::Symlink => 'l',
        FileKind::Other => '?',
        _ => '-',
    };
    let mut s = String::with_capacity(10);
    s.push(t);
    for (i, c) in ['r', 'w', 'x', 'r', 'w', 'x', 'r', 'w', 'x']
        .iter()
        .enumerate()
    {
        let bit = 1 << (8 - i);
        let special = match i {
            2 if mode & 0o4000 != 0 => Some('s'),
            5 if mode & 0o2000 != 0 => Some('s'),
            8 if mode & 0o1000 != 0 => Some('t'),
            _ => None,
        };
        s.push(match (special, mode & bit != 0) {
            (Some(c), true) => c,
            (Some(c), false) => c.to_ascii_uppercase(),
            (None, true) => *c,
            (None, false) => '-',
        });
    }
    s
}

/// A container path checked: absolute, no `..` tricks needed.
fn container_path(field: &str, p: &str) -> Result<String> {
    if !p.starts_with('/') {
        return Err(Error::said(field, Said::PathRelative { path: p.into() }));
    }
    Ok(p.to_string())
}

fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

fn entry_of(e: &tar::Entry<'_, impl std::io::Read>, parent: &str) -> Option<FileEntry> {
    let h = e.header();
    let path = e.path().ok()?;
    let name = path.file_name()?.to_string_lossy().into_owned();
    let kind = match h.entry_type() {
        tar::EntryType::Regular | tar::EntryType::Continuous => FileKind::File,
        tar::EntryType::Directory => FileKind::Dir,
        tar::EntryType::Symlink => FileKind::Symlink,
        tar::EntryType::Link => FileKind::Hardlink,
        _ => FileKind::Other,
    };
    let mode = h.mode().unwrap_or(0) & 0o7777;
    Some(FileEntry {
        path: join(parent, &name),
        mode_text: mode_text(kind, mode),
        name,
        kind,
        size: h.size().unwrap_or(0),
        mode,
        uid: h.uid().unwrap_or(0) as u32,
        gid: h.gid().unwrap_or(0) as u32,
        mtime: h.mtime().unwrap_or(0),
        link_target: e
            .link_name()
            .ok()
            .flatten()
            .map(|l| l.to_string_lossy().into_owned()),
    })
}

/// A body read ahead by a task of its own, a few chunks at most, into a
/// blocking reader: the socket is read while the blocking thread writes the
/// disk, instead of one after the other. Dropping the reader stops the task.
struct Prefetched {
    rx: tokio::sync::mpsc::Receiver<std::io::Result<bytes::Bytes>>,
    chunk: bytes::Bytes,
}

impl Prefetched {
    fn new(
        stream: impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static,
    ) -> Self {
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        tokio::spawn(async move {
            let mut stream = std::pin::pin!(stream);
            while let Some(item) = stream.next().await {
                if tx.send(item).await.is_err() {
                    return;
                }
            }
        });
        Prefetched {
            rx,
            chunk: bytes::Bytes::new(),
        }
    }
}

impl std::io::Read for Prefetched {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.chunk.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(b)) => self.chunk = b,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        Ok(n)
    }
}

impl Engine {
    /// The engine's tar of `path`, as a blocking reader for a blocking
    /// thread, read ahead while the thread writes (see [`Prefetched`]).
    /// Over a unix socket or TCP the body comes from the raw client, as for
    /// logs; elsewhere through bollard.
    fn archive_reader(&self, id: &str, path: &str) -> Box<dyn std::io::Read + Send + 'static> {
        use crate::engine::endpoint::Address;
        use crate::engine::raw;
        if matches!(self.address, Address::Unix(_) | Address::Tcp { .. }) {
            enum State {
                Start,
                Body(raw::Driven),
                Done,
            }
            let (address, version) = (self.address.clone(), self.api_version());
            let uri = format!(
                "/containers/{}/archive?path={}",
                raw::percent(id),
                raw::percent(path)
            );
            let io = |e: String| std::io::Error::other(e);
            let stream = futures_util::stream::unfold(State::Start, move |state| {
                let (address, version, uri) = (address.clone(), version.clone(), uri.clone());
                async move {
                    let mut body = match state {
                        State::Done => return None,
                        State::Body(b) => b,
                        State::Start => match raw::get(&address, &version, &uri).await {
                            Ok((_, resp, driver)) => raw::Driven {
                                body: resp.into_body(),
                                driver,
                            },
                            Err(e) => return Some((Err(io(e.to_string())), State::Done)),
                        },
                    };
                    loop {
                        match body.frame().await {
                            Some(Ok(f)) => {
                                if let Ok(data) = f.into_data() {
                                    return Some((Ok(data), State::Body(body)));
                                }
                            }
                            Some(Err(e)) => return Some((Err(io(e.to_string())), State::Done)),
                            None => return None,
                        }
                    }
                }
            });
            return Box::new(Prefetched::new(stream));
        }
        let stream = self
            .docker
            .download_from_container(
                id,
                Some(
                    DownloadFromContainerOptionsBuilder::new()
                        .path(path)
                        .build(),
                ),
            )
            .map_err(|e| std::io::Error::other(Error::from(e).to_string()));
        Box::new(Prefetched::new(stream))
    }

    /// Whether the engine's stat of a path (`HEAD /containers/ID/archive`,
    /// what `docker cp` asks first) says it is a folder and not a link:
    /// one round trip, where a listing execs in the container. Any other
    /// answer, a refusal included, is false (a HEAD's refusal has no words).
    async fn is_plain_dir(&self, id: &str, path: &str) -> bool {
        const GO_MODE_DIR: u32 = 1 << 31;
        const GO_MODE_SYMLINK: u32 = 1 << 27;
        let opts = ContainerArchiveInfoOptionsBuilder::new().path(path).build();
        matches!(
            self.docker.get_container_archive_info(id, Some(opts)).await,
            Ok(s) if s.file_mode & GO_MODE_DIR != 0 && s.file_mode & GO_MODE_SYMLINK == 0
        )
    }

    /// The engine's refusal for a path, checked before a blocking read so
    /// that "no such file" arrives as NotFound with the engine's words.
    async fn check_exists(&self, id: &str, path: &str) -> Result<()> {
        let mut s = self.docker.download_from_container(
            id,
            Some(
                DownloadFromContainerOptionsBuilder::new()
                    .path(path)
                    .build(),
            ),
        );
        match s.next().await {
            // Podman's 404 says only "no such file or directory": the path
            // is named, the engine's words kept.
            Some(Err(e)) => Err(match Error::from(e) {
                Error::NotFound { message, .. }
                    if !message.contains(path)
                        && !message.to_ascii_lowercase().contains("container") =>
                {
                    Error::not_found(Said::ContainerNoSuchPath {
                        path: path.to_string(),
                        detail: message,
                    })
                }
                e => e,
            }),
            _ => Ok(()),
        }
    }

    /// The entries of a folder (F1): by the container's own shell when it
    /// runs, else from the archive's headers.
    pub async fn list_dir(&self, id: &str, path: &str) -> Result<Listing> {
        self.list_dir_watched(id, path, Arc::default(), |_| {})
            .await
    }

    /// [`list_dir`](Self::list_dir) that can be cancelled, and says how far
    /// it has read when it goes through the archive: bytes below the folder
    /// and entries seen, every 100 ms.
    pub async fn list_dir_watched(
        &self,
        id: &str,
        path: &str,
        cancel: Arc<AtomicBool>,
        progress: impl FnMut(CopyProgress) + Send + 'static,
    ) -> Result<Listing> {
        let path = container_path("path", path)?;
        if let Some(l) = self.list_by_exec(id, &path).await {
            return Ok(l);
        }
        self.list_dir_from_archive_watched(id, &path, cancel, progress)
            .await
    }

    /// The entries of a folder from the archive's headers: works on any
    /// container, reads every byte below the folder.
    pub async fn list_dir_from_archive(&self, id: &str, path: &str) -> Result<Listing> {
        self.list_dir_from_archive_watched(id, path, Arc::default(), |_| {})
            .await
    }

    async fn list_dir_from_archive_watched(
        &self,
        id: &str,
        path: &str,
        cancel: Arc<AtomicBool>,
        mut progress: impl FnMut(CopyProgress) + Send + 'static,
    ) -> Result<Listing> {
        let path = container_path("path", path)?;
        self.check_exists(id, &path).await?;
        let seen = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counted = seen.clone();
        let reader = archive::Metered {
            inner: self.archive_reader(id, &path),
            cancel,
            progress: move |bytes| {
                progress(CopyProgress {
                    bytes,
                    files: counted.load(Ordering::Relaxed),
                })
            },
            bytes: 0,
            last: std::time::Instant::now(),
        };
        let dir = path.clone();
        tokio::task::spawn_blocking(move || {
            let mut a = tar::Archive::new(reader);
            let mut this = None;
            let mut entries = Vec::new();
            let mut truncated = false;
            let damaged = |e: std::io::Error| {
                if archive::is_cancel(&e) {
                    return Error::cancelled(Said::ListCancelled { path: dir.clone() });
                }
                Error::failed(Said::ContainerPathUnreadable {
                    path: dir.clone(),
                    detail: e.to_string(),
                })
            };
            let parent_of_root = dir
                .rsplit_once('/')
                .map(|(p, _)| if p.is_empty() { "/" } else { p })
                .unwrap_or("/");
            for (n, e) in a.entries().map_err(damaged)?.enumerate() {
                if n >= LIST_MAX {
                    truncated = true;
                    break;
                }
                let e = e.map_err(damaged)?;
                seen.store(n as u64 + 1, Ordering::Relaxed);
                let raw = e.path().map_err(damaged)?.to_string_lossy().into_owned();
                let parts: Vec<&str> = raw
                    .split('/')
                    .filter(|s| !s.is_empty() && *s != ".")
                    .collect();
                // `/` arrives as `/`, `/x`...; `/www` as `www/`, `www/x`...
                let depth = if dir == "/" {
                    parts.len()
                } else {
                    parts.len().saturating_sub(1)
                };
                if depth == 0 {
                    this = if dir == "/" {
                        Some(FileEntry {
                            name: "/".into(),
                            path: "/".into(),
                            kind: FileKind::Dir,
                            size: 0,
                            mode: e.header().mode().unwrap_or(0o755) & 0o7777,
                            mode_text: mode_text(FileKind::Dir, e.header().mode().unwrap_or(0o755)),
                            uid: 0,
                            gid: 0,
                            mtime: e.header().mtime().unwrap_or(0),
                            link_target: None,
                        })
                    } else {
                        entry_of(&e, parent_of_root)
                    };
                } else if depth == 1 {
                    if let Some(f) = entry_of(&e, &dir) {
                        entries.push(f);
                    }
                }
            }
            entries.sort_by(|a, b| {
                (a.kind != FileKind::Dir, a.name.to_lowercase())
                    .cmp(&(b.kind != FileKind::Dir, b.name.to_lowercase()))
            });
            Ok(Listing {
                path: dir,
                this,
                entries,
                truncated,
                from_archive: true,
            })
        })
        .await
        .map_err(Error::task)?
    }

    /// The start of a file, as text when it is text (F1).
    pub async fn preview_file(&self, id: &str, path: &str) -> Result<Preview> {
        let path = container_path("path", path)?;
        self.check_exists(id, &path).await?;
        let reader = self.archive_reader(id, &path);
        let p = path.clone();
        tokio::task::spawn_blocking(move || {
            use std::io::Read;
            let mut a = tar::Archive::new(reader);
            let bad = |e: std::io::Error| {
                Error::failed(Said::ContainerPathUnreadable {
                    path: p.clone(),
                    detail: e.to_string(),
                })
            };
            let mut entries = a.entries().map_err(bad)?;
            let Some(e) = entries.next() else {
                return Err(Error::not_found(Said::EngineSentNothing { path: p }));
            };
            let e = e.map_err(bad)?;
            if e.header().entry_type() != tar::EntryType::Regular {
                return Err(Error::said("path", Said::NotRegularFile { path: p }));
            }
            let size = e.header().size().unwrap_or(0);
            let mut buf = Vec::new();
            e.take(PREVIEW_MAX as u64)
                .read_to_end(&mut buf)
                .map_err(bad)?;
            let text = if buf.contains(&0) {
                None
            } else {
                match String::from_utf8(buf) {
                    Ok(s) => Some(s),
                    // Cut in the middle of a character at the limit: keep the valid part.
                    Err(e) if e.utf8_error().error_len().is_none() => {
                        let n = e.utf8_error().valid_up_to();
                        let mut b = e.into_bytes();
                        b.truncate(n);
                        String::from_utf8(b).ok()
                    }
                    Err(_) => None,
                }
            };
            Ok(Preview {
                path: p,
                size,
                text,
                truncated: size > PREVIEW_MAX as u64,
            })
        })
        .await
        .map_err(Error::task)?
    }

    /// Which of these names already exist in the container folder `dest`.
    pub async fn existing_in(&self, id: &str, dest: &str, names: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for n in names {
            match self.check_exists(id, &join(dest, n)).await {
                Ok(()) => out.push(n.clone()),
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// `docker container cp HOST... ID:DEST` (F2): host files and folders
    /// streamed as a tar straight from disk, never held whole.
    pub async fn copy_in(
        &self,
        id: &str,
        sources: Vec<PathBuf>,
        dest: &str,
        cancel: Arc<AtomicBool>,
        progress: impl FnMut(CopyProgress) + Send + 'static,
    ) -> Result<CopyProgress> {
        let dest = container_path("destination", dest)?;
        for s in &sources {
            if std::fs::symlink_metadata(s).is_err() {
                return Err(Error::said(
                    "source",
                    Said::NoSuchPath {
                        path: s.display().to_string(),
                    },
                ));
            }
        }
        if !self.is_plain_dir(id, &dest).await {
            // Not answered as a folder: the listing says what it is, or
            // the engine's own words for why not.
            match self.list_dir(id, &dest).await {
                Ok(l) if l.this.as_ref().is_some_and(|t| t.kind == FileKind::Dir) => {}
                Ok(_) => return Err(Error::said("destination", Said::NotAFolder { path: dest })),
                Err(e) => return Err(e),
            }
        }
        let (chunks, stopped_reading, body) = chunk_channel(4);
        let mut progress = progress;
        let packer = {
            let cancel = cancel.clone();
            tokio::task::spawn_blocking(move || {
                // Tar writes a 512-byte header and then each small file on
                // its own; they are gathered into 256 KiB chunks, each
                // handed to the body as it is.
                let failed = chunks.clone();
                let w = std::io::BufWriter::with_capacity(CHUNK, chunks);
                let mut last = std::time::Instant::now();
                let packed = archive::pack(&sources, w, &cancel, &mut |bytes, files| {
                    if last.elapsed() >= std::time::Duration::from_millis(100) {
                        last = std::time::Instant::now();
                        progress(CopyProgress { bytes, files });
                    }
                });
                if let Err(e) = &packed {
                    // The body ends with the failure, so the request fails
                    // (the tar's own trailer, written as it is dropped, has
                    // gone ahead of it).
                    failed.fail(e.to_string());
                }
                packed
            })
        };
        let upload = self.docker.upload_to_container(
            id,
            Some(UploadToContainerOptionsBuilder::new().path(&dest).build()),
            bollard::body_try_stream(body),
        );
        let (up, packed) = tokio::join!(upload, packer);
        let packed = packed.map_err(Error::task)?;
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::cancelled(Said::CopyInCancelled));
        }
        // A host file that could not be read is named by the packer; an
        // engine that stopped reading, in its own words.
        let (files, bytes) = match (packed, up) {
            (Ok(p), Ok(())) => p,
            (Ok(_), Err(e)) => return Err(e.into()),
            (Err(_), Err(up)) if stopped_reading.load(Ordering::Relaxed) => return Err(up.into()),
            (Err(e), _) => return Err(e),
        };
        Ok(CopyProgress { bytes, files })
    }

    /// `docker container cp ID:PATH... HOST_DIR` (F3): each path streamed
    /// and extracted safely (see [`archive::extract_safely`]).
    pub async fn copy_out(
        &self,
        id: &str,
        paths: Vec<String>,
        dest: PathBuf,
        overwrite: bool,
        cancel: Arc<AtomicBool>,
        progress: impl FnMut(CopyProgress) + Send + 'static,
    ) -> Result<Extracted> {
        // Refuse before copying anything if a name is taken.
        if !overwrite {
            let taken: Vec<String> = paths
                .iter()
                .filter_map(|p| p.rsplit('/').find(|s| !s.is_empty()))
                .filter(|n| std::fs::symlink_metadata(dest.join(n)).is_ok())
                .map(str::to_string)
                .collect();
            if !taken.is_empty() {
                return Err(Error::conflict(Said::AlreadyInDestination {
                    dest: dest.display().to_string(),
                    names: taken.join(", "),
                }));
            }
        }
        let progress = Arc::new(std::sync::Mutex::new(progress));
        let mut total = Extracted::default();
        let (mut done_bytes, mut done_files) = (0u64, 0u64);
        for p in paths {
            let p = container_path("path", &p)?;
            self.check_exists(id, &p).await?;
            let reader = self.archive_reader(id, &p);
            let dest = dest.clone();
            let cancel = cancel.clone();
            let progress = progress.clone();
            let (b0, f0) = (done_bytes, done_files);
            let r = tokio::task::spawn_blocking(move || {
                let mut last = std::time::Instant::now();
                archive::extract_safely(reader, &dest, overwrite, &cancel, &mut |bytes, files| {
                    if last.elapsed() >= std::time::Duration::from_millis(100) {
                        last = std::time::Instant::now();
                        if let Ok(mut f) = progress.lock() {
                            f(CopyProgress {
                                bytes: b0 + bytes,
                                files: f0 + files,
                            });
                        }
                    }
                })
            })
            .await
            .map_err(Error::task)??;
            done_bytes += r.bytes;
            done_files += r.files;
            total.placed.extend(r.placed);
            total.skipped.extend(r.skipped);
            total.notes.extend(r.notes);
        }
        total.bytes = done_bytes;
        total.files = done_files;
        Ok(total)
    }

    /// `docker container diff ID` (F4).
    pub async fn changes(&self, id: &str) -> Result<Vec<Change>> {
        let list = self.docker.container_changes(id).await?.unwrap_or_default();
        let mut out: Vec<Change> = list
            .into_iter()
            .map(|c| Change {
                path: c.path,
                kind: match c.kind {
                    bollard::models::ChangeType::_0 => ChangeKind::Changed,
                    bollard::models::ChangeType::_1 => ChangeKind::Added,
                    _ => ChangeKind::Deleted,
                },
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }
}

/// The size of the chunks a copy in sends.
const CHUNK: usize = 256 * 1024;

/// What a chunk writer's error says when the body's reader has gone.
const ENGINE_STOPPED_READING: &str = "the engine stopped reading the archive";

/// A blocking thread's `Write` whose every write becomes one body chunk
/// (behind a `BufWriter`, 256 KiB each): the bytes are copied once more,
/// not twice as through a duplex pipe and a reader's buffer. `depth`
/// chunks wait at most, so memory stays flat. The flag turns true when a
/// write found the body's reader gone: the engine stopped reading, so its
/// own answer says why, not the packer's broken pipe. (The flag is kept
/// apart from the writer: a kept sender would hold the body open.)
fn chunk_channel(
    depth: usize,
) -> (
    ChunkWriter,
    Arc<AtomicBool>,
    impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static,
) {
    let (tx, rx) = tokio::sync::mpsc::channel(depth);
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let gone = Arc::new(AtomicBool::new(false));
    let writer = ChunkWriter {
        tx,
        gone: gone.clone(),
    };
    (writer, gone, body)
}

#[derive(Clone)]
struct ChunkWriter {
    tx: tokio::sync::mpsc::Sender<std::io::Result<bytes::Bytes>>,
    gone: Arc<AtomicBool>,
}

impl ChunkWriter {
    /// Ends the body with an error, so the request fails.
    fn fail(&self, why: String) {
        let _ = self.tx.blocking_send(Err(std::io::Error::other(why)));
    }
}

impl std::io::Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if data.is_empty() {
            return Ok(0);
        }
        self.tx
            .blocking_send(Ok(bytes::Bytes::copy_from_slice(data)))
            .map_err(|_| {
                self.gone.store(true, Ordering::Relaxed);
                std::io::Error::new(std::io::ErrorKind::BrokenPipe, ENGINE_STOPPED_READING)
            })?;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy in's body: every byte in order, no chunk over the size, and
    /// a packer's failure ends the body with that failure (the request
    /// fails) rather than as a shorter archive.
    #[tokio::test]
    async fn chunks_arrive_in_order_and_a_failure_ends_the_body() {
        use std::io::Write;
        let (w, gone, body) = chunk_channel(2);
        let expected: Vec<u8> = (0..1000u32)
            .flat_map(|i| i.to_le_bytes().repeat(300))
            .collect();
        let sent = expected.clone();
        let writer = std::thread::spawn(move || {
            let mut b = std::io::BufWriter::with_capacity(CHUNK, w.clone());
            for piece in sent.chunks(1200) {
                b.write_all(piece).unwrap();
            }
            b.flush().unwrap();
            w.fail("the disk said no".into());
        });
        let items: Vec<std::io::Result<bytes::Bytes>> = body.collect().await;
        writer.join().unwrap();
        let (last, chunks) = items.split_last().unwrap();
        let got: Vec<u8> = chunks
            .iter()
            .flat_map(|c| {
                let c = c.as_ref().unwrap();
                assert!(c.len() <= CHUNK, "{}", c.len());
                c.to_vec()
            })
            .collect();
        assert_eq!(got.len(), expected.len());
        assert!(got == expected, "the bytes arrive as written");
        assert!(chunks.len() >= 5, "{} chunks", chunks.len());
        let e = last.as_ref().unwrap_err();
        assert_eq!(e.to_string(), "the disk said no");
        assert!(
            !gone.load(Ordering::Relaxed),
            "the body was read to its end"
        );
    }

    /// The engine gone (the body dropped): the packer's next write fails,
    /// saying so, instead of waiting forever.
    #[test]
    fn a_write_after_the_body_is_gone_fails() {
        use std::io::Write;
        let (mut w, gone, body) = chunk_channel(1);
        drop(body);
        assert!(!gone.load(Ordering::Relaxed));
        let e = w.write(b"tar header").unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe);
        assert!(e.to_string().contains(ENGINE_STOPPED_READING), "{e}");
        assert!(
            gone.load(Ordering::Relaxed),
            "the copy in knows the engine left"
        );
    }

    #[test]
    fn modes_read_like_ls() {
        assert_eq!(mode_text(FileKind::Dir, 0o755), "drwxr-xr-x");
        assert_eq!(mode_text(FileKind::File, 0o4755), "-rwsr-xr-x");
        assert_eq!(mode_text(FileKind::Dir, 0o1777), "drwxrwxrwt");
        assert_eq!(mode_text(FileKind::File, 0o2644), "-rw-r-Sr--");
        assert_eq!(mode_text(FileKind::Symlink, 0o777), "lrwxrwxrwx");
    }
}
