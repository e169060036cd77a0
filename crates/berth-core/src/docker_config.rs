//! The docker CLI's `config.json`, read and written whole: a missing file is
//! empty, a damaged one is refused (never overwritten), and a write goes
//! through a temporary file readable by its owner only. Used by logins (B4)
//! and context switching (E5).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub(crate) fn config_path(dir: &Path) -> PathBuf {
    dir.join("config.json")
}

/// `config.json` as JSON; a missing file is empty, a damaged one an error
/// (never overwritten).
pub(crate) fn read_config(dir: &Path) -> Result<serde_json::Value> {
    let path = config_path(dir);
    match std::fs::read_to_string(&path) {
        Ok(t) if t.trim().is_empty() => Ok(serde_json::json!({})),
        Ok(t) => match serde_json::from_str::<serde_json::Value>(&t) {
            Ok(v) if v.is_object() => Ok(v),
            _ => Err(Error::invalid(
                "config",
                format!(
                    "{} is not valid JSON; fix or move it first (Berth leaves it as it is)",
                    path.display()
                ),
            )),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(serde_json::json!({})),
        Err(e) => Err(Error::invalid("config", format!("{}: {e}", path.display()))),
    }
}

/// Writes `config.json` whole, through a temporary file, readable by its
/// owner only (it may hold the CLI's own plain-text entries).
pub(crate) fn write_config(dir: &Path, v: &serde_json::Value) -> Result<()> {
    let io = |e: std::io::Error| {
        Error::invalid("config", format!("{}: {e}", config_path(dir).display()))
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let tmp = dir.join(".config.json.berth-tmp");
    let text = serde_json::to_string_pretty(v).expect("JSON values serialise");
    {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        let mut f = o.open(&tmp).map_err(io)?;
        f.write_all(text.as_bytes()).map_err(io)?;
        f.write_all(b"\n").map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, config_path(dir)).map_err(io)
}
