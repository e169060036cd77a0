//! The docker command lines Berth shows (L2): one way to quote a word for
//! the shell, and the session log saved as a script (the commands Berth's
//! actions equalled, in order, runnable with `sh`).
//!
//! Quoting is shlex's (safe in bash, zsh, dash and fish, `!` and `^` too),
//! except that the words a learner types bare stay bare (`-e MODE=prod`,
//! `100%`). The window quotes with a port of the same rules
//! (`ui/src/containers/actions.ts`); both are tested against one table,
//! `tests/data/quote.json`.

use crate::said::Said;
use std::path::Path;

use crate::error::{Error, Result};

/// What a learner writes bare: letters, digits and `-_./:=@%+`.
fn bare(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+".contains(&b))
}

/// `word` as one shell word. A NUL cannot be in a command's arguments, so
/// it is left out.
pub fn quote(word: &str) -> String {
    if bare(word) {
        return word.to_string();
    }
    let word = word.replace('\0', "");
    shlex::try_quote(&word)
        .map(|q| q.into_owned())
        .unwrap_or_else(|_| format!("'{}'", word.replace('\'', r"'\''")))
}

/// Words joined into a command line, each quoted.
pub fn line<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    words.into_iter().map(quote).collect::<Vec<_>>().join(" ")
}

/// The script's text: a shebang, a header saying what it is, one command a
/// line. A command holding a newline is refused: it would be two lines.
pub fn script(commands: &[String], when: &str) -> Result<String> {
    let mut out = format!(
        "#!/bin/sh\n# The docker commands equal to what was done in Berth on {when}, in order.\n# Run it with sh, or copy the lines you need into a terminal.\n\n"
    );
    for (i, c) in commands.iter().enumerate() {
        if c.contains('\n') || c.contains('\r') {
            return Err(Error::said(
                format!("commands[{i}]"),
                Said::CommandMultiline,
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
    let io = |e: std::io::Error| Error::path("path", path, &e);
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
    fn words_are_quoted_as_the_table_says_and_read_back_whole() {
        let table: Vec<(String, String)> =
            serde_json::from_str(include_str!("../tests/data/quote.json")).unwrap();
        assert!(table.len() > 20);
        for (word, want) in &table {
            assert_eq!(&quote(word), want, "quoting {word:?}");
            let clean = word.replace('\0', "");
            assert_eq!(
                shlex::split(want).unwrap(),
                [clean],
                "reading {want:?} back"
            );
        }
        assert_eq!(
            line(["docker", "run", "-e", "A=1 2"]),
            "docker run -e 'A=1 2'"
        );
        // Once written by hand in Rust and in TypeScript, which disagreed.
        assert_eq!(quote("127.0.0.1:8080:80"), "127.0.0.1:8080:80");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("$HOME"), "'$HOME'");
        assert_eq!(quote("it's"), r#""it's""#);
        assert_eq!(quote("a,b"), "'a,b'");
        assert_eq!(quote("^x"), "'^x'");
    }

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
