//! BuildKit's file sync (`moby.filesync.v1.FileSync/DiffCopy`), the way the
//! docker CLI sends a build context: Berth lists every file (path, Go file
//! mode, owner, size, modification time), BuildKit asks only for the files
//! it does not already hold from an earlier build of the same folder, and
//! Berth sends those. A cached rebuild of a large context so sends next to
//! nothing. Two folders are served: `context` (the walked context,
//! `.dockerignore` applied) and `dockerfile` (the Dockerfile's folder).

use std::collections::HashMap;
use std::path::PathBuf;
use std::pin::Pin;

use bollard_buildkit_proto::fsutil::types::packet::PacketType;
use bollard_buildkit_proto::fsutil::types::{Packet, Stat};
use bollard_buildkit_proto::moby::filesync::packet::file_sync_server::FileSync;
use futures_util::{Stream, StreamExt};
use tokio::io::AsyncReadExt;
use tonic::{Request, Response, Status, Streaming};

/// A file offered: its path in the folder and where it is on disk.
#[derive(Debug, Clone)]
pub(crate) struct Offered {
    /// Relative, `/`-separated.
    pub name: String,
    pub path: PathBuf,
}

/// The folders a build's session offers, by BuildKit's name for them.
#[derive(Default, Clone)]
pub(crate) struct Folders(pub HashMap<String, Vec<Offered>>);

/// Go's `os.FileMode`, as fsutil sends it.
fn go_mode(m: &std::fs::Metadata) -> u32 {
    #[cfg(unix)]
    let perm = {
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode()
    };
    #[cfg(not(unix))]
    let perm: u32 = if m.is_dir() { 0o755 } else { 0o644 };
    let mut mode = perm & 0o777;
    let ft = m.file_type();
    if ft.is_dir() {
        mode |= 1 << 31;
    }
    if ft.is_symlink() {
        mode |= 1 << 27;
    }
    if perm & 0o4000 != 0 {
        mode |= 1 << 23;
    }
    if perm & 0o2000 != 0 {
        mode |= 1 << 22;
    }
    if perm & 0o1000 != 0 {
        mode |= 1 << 20;
    }
    mode
}

fn stat_of(o: &Offered) -> std::io::Result<Stat> {
    let m = std::fs::symlink_metadata(&o.path)?;
    let linkname = if m.file_type().is_symlink() {
        std::fs::read_link(&o.path)?.to_string_lossy().into_owned()
    } else {
        String::new()
    };
    #[cfg(unix)]
    let (uid, gid) = {
        use std::os::unix::fs::MetadataExt;
        (m.uid(), m.gid())
    };
    #[cfg(not(unix))]
    let (uid, gid) = (0, 0);
    let mod_time = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0);
    Ok(Stat {
        path: o.name.clone(),
        mode: go_mode(&m),
        uid,
        gid,
        size: if m.is_file() { m.len() as i64 } else { 0 },
        mod_time,
        linkname,
        ..Default::default()
    })
}

/// Whether `name` is selected by fsutil's include patterns (none: all).
/// A pattern selects a path, what lies below it, and the folders above it.
fn included(name: &str, patterns: &[String]) -> bool {
    patterns.is_empty()
        || patterns.iter().any(|p| {
            let p = p.trim_start_matches("./").trim_end_matches('/');
            name == p
                || name.strip_prefix(p).is_some_and(|r| r.starts_with('/'))
                || p.strip_prefix(name).is_some_and(|r| r.starts_with('/'))
        })
}

fn packet(kind: PacketType, id: u32, stat: Option<Stat>, data: Vec<u8>) -> Packet {
    Packet {
        r#type: kind as i32,
        stat,
        id,
        data,
    }
}

type Packets = Pin<Box<dyn Stream<Item = std::result::Result<Packet, Status>> + Send>>;

#[tonic::async_trait]
impl FileSync for Folders {
    type DiffCopyStream = Packets;
    type TarStreamStream = Packets;

    async fn diff_copy(
        &self,
        request: Request<Streaming<Packet>>,
    ) -> std::result::Result<Response<Packets>, Status> {
        let md = request.metadata();
        let dir = md
            .get("dir-name")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("context")
            .to_string();
        let includes: Vec<String> = md
            .get_all("include-patterns")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        let Some(files) = self.0.get(&dir) else {
            return Err(Status::not_found(format!(
                "no folder {dir} in this session"
            )));
        };
        let files: Vec<Offered> = files
            .iter()
            .filter(|o| included(&o.name, &includes))
            .cloned()
            .collect();
        let mut incoming = request.into_inner();
        let (tx, rx) = tokio::sync::mpsc::channel::<std::result::Result<Packet, Status>>(64);
        tokio::spawn(async move {
            for (id, o) in files.iter().enumerate() {
                let stat = match stat_of(o) {
                    Ok(s) => s,
                    Err(e) => {
                        let _ = tx
                            .send(Err(Status::not_found(format!("{}: {e}", o.name))))
                            .await;
                        return;
                    }
                };
                if tx
                    .send(Ok(packet(
                        PacketType::PacketStat,
                        id as u32,
                        Some(stat),
                        vec![],
                    )))
                    .await
                    .is_err()
                {
                    return;
                }
            }
            // The end of the list.
            if tx
                .send(Ok(packet(PacketType::PacketStat, 0, None, vec![])))
                .await
                .is_err()
            {
                return;
            }
            while let Some(Ok(p)) = incoming.next().await {
                match PacketType::try_from(p.r#type) {
                    Ok(PacketType::PacketReq) => {
                        let Some(o) = files.get(p.id as usize) else {
                            let _ = tx
                                .send(Err(Status::invalid_argument(format!("no file {}", p.id))))
                                .await;
                            return;
                        };
                        let Ok(mut f) = tokio::fs::File::open(&o.path).await else {
                            let _ = tx.send(Err(Status::not_found(o.name.clone()))).await;
                            return;
                        };
                        let mut buf = vec![0u8; 256 * 1024];
                        loop {
                            match f.read(&mut buf).await {
                                Ok(0) => break,
                                Ok(n) => {
                                    let data = buf[..n].to_vec();
                                    if tx
                                        .send(Ok(packet(PacketType::PacketData, p.id, None, data)))
                                        .await
                                        .is_err()
                                    {
                                        return;
                                    }
                                }
                                Err(e) => {
                                    let _ = tx
                                        .send(Err(Status::internal(format!("{}: {e}", o.name))))
                                        .await;
                                    return;
                                }
                            }
                        }
                        // An empty DATA ends the file.
                        if tx
                            .send(Ok(packet(PacketType::PacketData, p.id, None, vec![])))
                            .await
                            .is_err()
                        {
                            return;
                        }
                    }
                    Ok(PacketType::PacketFin) => {
                        let _ = tx
                            .send(Ok(packet(PacketType::PacketFin, 0, None, vec![])))
                            .await;
                        return;
                    }
                    Ok(PacketType::PacketErr) => return,
                    _ => {}
                }
            }
        });
        Ok(Response::new(Box::pin(tokio_stream_of(rx))))
    }

    async fn tar_stream(
        &self,
        _: Request<Streaming<Packet>>,
    ) -> std::result::Result<Response<Packets>, Status> {
        Err(Status::unimplemented("tar_stream"))
    }
}

fn tokio_stream_of<T: Send + 'static>(
    mut rx: tokio::sync::mpsc::Receiver<T>,
) -> impl Stream<Item = T> + Send {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_patterns_select_a_path_its_contents_and_its_parents() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(included("anything", &[]));
        assert!(included(".dockerignore", &p(&[".dockerignore"])));
        assert!(!included("Dockerfile", &p(&[".dockerignore"])));
        assert!(included("sub", &p(&["sub/Dockerfile"])));
        assert!(included("sub/Dockerfile", &p(&["./sub/Dockerfile"])));
        assert!(included("src/a/b.txt", &p(&["src"])));
        assert!(!included("srcx", &p(&["src"])));
    }

    #[test]
    fn modes_are_gos() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), "x").unwrap();
        let d = std::fs::symlink_metadata(dir.path()).unwrap();
        let f = std::fs::symlink_metadata(dir.path().join("f")).unwrap();
        assert_eq!(go_mode(&d) & (1 << 31), 1 << 31);
        assert_eq!(go_mode(&f) >> 9, 0);
    }
}
