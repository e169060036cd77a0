//! The persisted settings (E6): their shape, defaults, and how a damaged
//! settings file is read. The Tauri side stores the value with
//! tauri-plugin-store; everything that decides what a value means is here.

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Ko,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow the operating system's light or dark preference.
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub language: Language,
    pub theme: Theme,
    /// The containers list shows stopped containers too (`docker ps -a`).
    pub show_all_containers: bool,
    /// References pulled or inspected lately, newest first (offered again
    /// in the Pull and Inspector fields).
    pub recent_references: Vec<String>,
    /// Each lab's progress (L5), by lab id.
    pub labs: std::collections::BTreeMap<String, LabProgress>,
}

/// How far a learner is in one lab: the steps ticked, the parameters as
/// they set them (and values learned on the way), their typed answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct LabProgress {
    pub done: Vec<String>,
    pub params: std::collections::BTreeMap<String, String>,
    pub answers: std::collections::BTreeMap<String, String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: Language::En,
            theme: Theme::System,
            show_all_containers: true,
            recent_references: Vec::new(),
            labs: Default::default(),
        }
    }
}

/// What went wrong reading the stored settings, for the notice the UI shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsNotice {
    /// Where the damaged file was kept, so nothing the user had is lost.
    pub backup_path: Option<String>,
    pub reason: String,
}

/// Checks the bytes of a settings file. `Err` carries why it is unusable.
pub fn check_file(bytes: &[u8]) -> std::result::Result<(), String> {
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    if !v.is_object() {
        return Err("not a JSON object".into());
    }
    if let Some(s) = v.get("settings") {
        serde_json::from_value::<Settings>(s.clone())
            .map_err(|e| format!("the \"settings\" entry is unusable: {e}"))?;
    }
    Ok(())
}

/// Reads the stored value; a missing value means the defaults.
pub fn from_value(v: Option<serde_json::Value>) -> std::result::Result<Settings, String> {
    match v {
        None => Ok(Settings::default()),
        Some(v) => serde_json::from_value(v).map_err(|e| e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_take_their_defaults() {
        let s = from_value(Some(serde_json::json!({"language": "ko"}))).unwrap();
        assert_eq!(s.language, Language::Ko);
        assert_eq!(s.theme, Theme::System);
        assert!(s.show_all_containers);
        assert!(
            s.recent_references.is_empty(),
            "a file from before the field"
        );
        assert_eq!(from_value(None).unwrap(), Settings::default());
    }

    #[test]
    fn damaged_files_are_told_apart_from_good_ones() {
        assert!(check_file(
            br#"{"settings":{"language":"ko","theme":"dark","showAllContainers":false}}"#
        )
        .is_ok());
        assert!(check_file(b"{}").is_ok());
        assert!(check_file(b"{\"settings\": {\"language\": \"tlh\"}}")
            .unwrap_err()
            .contains("settings"));
        assert!(check_file(b"{\"settings\": ").unwrap_err().contains("JSON"));
        assert!(check_file(b"[1,2]").unwrap_err().contains("object"));
        assert!(check_file(&[0xff, 0xfe, 0x00]).is_err());
    }
}

/// If the settings file at `path` is damaged, moves it aside (nothing the
/// user had is destroyed) and says so; the app then starts from defaults.
pub fn quarantine_if_damaged(path: &std::path::Path) -> Option<SettingsNotice> {
    let bytes = std::fs::read(path).ok()?;
    let reason = check_file(&bytes).err()?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let backup = path.with_file_name(format!(
        "{}.damaged-{stamp}",
        path.file_name()?.to_string_lossy()
    ));
    let backup_path = match std::fs::rename(path, &backup) {
        Ok(()) => Some(backup.display().to_string()),
        Err(_) => {
            let _ = std::fs::remove_file(path);
            None
        }
    };
    Some(SettingsNotice {
        backup_path,
        reason,
    })
}

#[cfg(test)]
mod file_tests {
    use super::*;

    #[test]
    fn a_damaged_file_is_moved_aside_and_a_good_one_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("settings.json");
        std::fs::write(&p, b"{\"settings\":{\"language\":\"ko\"}}").unwrap();
        assert_eq!(quarantine_if_damaged(&p), None);
        assert!(p.exists());
        std::fs::write(&p, b"{\"settings\": {\"lang").unwrap();
        let n = quarantine_if_damaged(&p).unwrap();
        assert!(!p.exists());
        let backup = n.backup_path.unwrap();
        assert_eq!(std::fs::read(&backup).unwrap(), b"{\"settings\": {\"lang");
        assert!(n.reason.contains("JSON"));
        assert_eq!(quarantine_if_damaged(&dir.path().join("absent.json")), None);
    }
}
