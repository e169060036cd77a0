//! L2's session log saved as a script: the docker commands Berth's actions
//! equalled, in order, runnable with `sh`.

use std::path::Path;

use crate::error::{Error, Result};

/// The script's text: a shebang, a header saying what it is, one command a
/// line. A command holding a newline is refused: it would be two lines.
pub fn script(commands: &[String], when: &str) -> Result<String> {
    let mut out = format!(
        "#!/bin/sh\n# The docker commands equal to what was done in Berth on {when}, in order.\n# Run it with sh, or copy the lines you need into a terminal.\n\n"
    );
    for (i, c) in commands.iter().enumerate() {
        if c.contains('\n') || c.contains('\r') {
            return Err(Error::invalid(
                format!("commands[{i}]"),
                "a command spans more than one line",
            ));
        }
        out.push_str(c.trim());
        out.push('\n');
    }
    Ok(out)
}

/// Writes the script to `path`, executable by its owner.
pub fn save(path: &Path, commands: &[String], when: &str) -> Result<()> {
    let text = script(commands, when)?;
    let io = |e: std::io::Error| Error::invalid("path", format!("{}: {e}", path.display()));
    std::fs::write(path, text).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(io)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_runs_the_commands_in_order() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("s.sh");
        let cmds = vec!["echo 'one two'".to_string(), "echo three".to_string()];
        save(&p, &cmds, "2026-11-23").unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.starts_with("#!/bin/sh\n# The docker commands"));
        let out = std::process::Command::new("sh").arg(&p).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "one two\nthree\n");
        assert!(script(&["a\nb".into()], "x").is_err());
    }
}
