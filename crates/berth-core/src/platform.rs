//! What differs between Linux, macOS and Windows, as pure functions of the
//! platform's inputs (its environment variables and paths), so that the
//! macOS and Windows logic is unit-tested on Linux, where only Linux builds:
//! the home and docker config folders, the engine's default sockets and
//! named pipes (Docker Desktop's among them), the credential helpers the
//! docker CLI knows and the one it picks by default, and finding a program
//! on `PATH` (with `PATHEXT` on Windows).
//!
//! The callers pass [`Os::current`] and the process's variables; tests pass
//! another platform's.

use std::path::{Path, PathBuf};

/// The operating systems Berth ships for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Os {
    #[default]
    Linux,
    MacOs,
    Windows,
}

impl Os {
    /// The platform this build runs on.
    pub const fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else {
            Os::Linux
        }
    }
}

/// A variable's value, empty counting as unset (as the docker CLI counts it).
fn set(v: Option<&str>) -> Option<&str> {
    v.filter(|s| !s.is_empty())
}

/// The user's home folder as the docker CLI finds it: `%USERPROFILE%` on
/// Windows (else `%HOMEDRIVE%%HOMEPATH%`), `$HOME` elsewhere. A `HOME` that
/// Git Bash or MSYS sets on Windows is not the one the CLI uses.
pub fn home_dir(
    os: Os,
    home: Option<&str>,
    userprofile: Option<&str>,
    homedrive: Option<&str>,
    homepath: Option<&str>,
) -> Option<PathBuf> {
    match os {
        Os::Windows => set(userprofile).map(PathBuf::from).or_else(|| {
            let (d, p) = (set(homedrive)?, set(homepath)?);
            Some(PathBuf::from(format!("{d}{p}")))
        }),
        Os::Linux | Os::MacOs => set(home).map(PathBuf::from),
    }
}

/// The process's home folder, by [`home_dir`].
pub fn process_home() -> Option<PathBuf> {
    let var = |k: &str| std::env::var(k).ok();
    home_dir(
        Os::current(),
        var("HOME").as_deref(),
        var("USERPROFILE").as_deref(),
        var("HOMEDRIVE").as_deref(),
        var("HOMEPATH").as_deref(),
    )
}

/// The docker CLI's config folder: `DOCKER_CONFIG`, else `.docker` in the
/// home folder (`%USERPROFILE%\.docker` on Windows).
pub fn docker_config_dir(docker_config: Option<&Path>, home: Option<&Path>) -> Option<PathBuf> {
    docker_config
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .or_else(|| home.map(|h| h.join(".docker")))
}

/// Where an engine may be when nothing names one, in the order tried:
/// `(address as DOCKER_HOST writes it, whether it is Podman's)`.
///
/// - Linux: the system socket, Docker Desktop for Linux's per-user socket,
///   rootless dockerd's, then Podman's (rootless, then rootful).
/// - macOS: the system socket (Docker Desktop links it when allowed), then
///   Docker Desktop's per-user socket, Colima's, OrbStack's, Rancher
///   Desktop's, then Podman machine's.
/// - Windows: Docker's named pipe, Docker Desktop's Linux-engine pipe, then
///   Podman machine's pipe.
pub fn default_endpoints(
    os: Os,
    home: Option<&Path>,
    xdg_runtime_dir: Option<&Path>,
) -> Vec<(String, bool)> {
    let unix = |p: &Path| format!("unix://{}", p.display());
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut push = |a: String, podman: bool| {
        if !out.iter().any(|(b, _)| *b == a) {
            out.push((a, podman));
        }
    };
    match os {
        Os::Windows => {
            push("npipe:////./pipe/docker_engine".into(), false);
            push("npipe:////./pipe/dockerDesktopLinuxEngine".into(), false);
            push("npipe:////./pipe/podman-machine-default".into(), true);
        }
        Os::Linux => {
            push("unix:///var/run/docker.sock".into(), false);
            if let Some(h) = home {
                push(unix(&h.join(".docker/desktop/docker.sock")), false);
                push(unix(&h.join(".docker/run/docker.sock")), false);
            }
            if let Some(run) = xdg_runtime_dir {
                push(unix(&run.join("docker.sock")), false);
                push(unix(&run.join("podman/podman.sock")), true);
            }
            push("unix:///run/podman/podman.sock".into(), true);
        }
        Os::MacOs => {
            push("unix:///var/run/docker.sock".into(), false);
            if let Some(h) = home {
                push(unix(&h.join(".docker/run/docker.sock")), false);
                push(unix(&h.join(".colima/default/docker.sock")), false);
                push(unix(&h.join(".orbstack/run/docker.sock")), false);
                push(unix(&h.join(".rd/docker.sock")), false);
                push(
                    unix(&h.join(".local/share/containers/podman/machine/podman.sock")),
                    true,
                );
                push(
                    unix(&h.join(".local/share/containers/podman/machine/qemu/podman.sock")),
                    true,
                );
            }
        }
    }
    out
}

/// A named pipe's path from the part of an `npipe://` address after the
/// scheme, in the form Windows opens (`\\.\pipe\docker_engine`), or None
/// when it names no pipe (`//HOST/pipe/NAME`, either slash).
pub fn pipe_path(rest: &str) -> Option<String> {
    let p = rest.replace('/', "\\");
    let tail = p.strip_prefix("\\\\")?;
    let (host, tail) = tail.split_once('\\')?;
    let name = tail
        .strip_prefix("pipe\\")
        .or_else(|| tail.strip_prefix("PIPE\\"))?;
    if host.is_empty() || name.is_empty() || name.contains('\\') {
        return None;
    }
    Some(format!("\\\\{host}\\pipe\\{name}"))
}

/// The credential helpers the docker CLI knows on a platform, in the order
/// Berth offers them: the platform's keychain first, Docker Desktop's
/// `desktop` helper (which fronts that keychain) next.
pub fn known_helpers(os: Os) -> &'static [&'static str] {
    match os {
        Os::MacOs => &["osxkeychain", "desktop", "pass"],
        Os::Windows => &["wincred", "desktop"],
        Os::Linux => &["secretservice", "pass", "desktop"],
    }
}

/// The helper the docker CLI uses when config.json names none and holds no
/// credentials (its `DetectDefaultStore`): `osxkeychain` on macOS,
/// `wincred` on Windows, on Linux `pass` when the `pass` program is
/// installed, else `secretservice`; and only if that helper is installed.
pub fn default_helper(os: Os, on_path: impl Fn(&str) -> bool) -> Option<&'static str> {
    let name = match os {
        Os::MacOs => "osxkeychain",
        Os::Windows => "wincred",
        Os::Linux if on_path("pass") => "pass",
        Os::Linux => "secretservice",
    };
    on_path(&format!("docker-credential-{name}")).then_some(name)
}

/// The folders of a `PATH` value, split the platform's way (`;` on Windows,
/// `:` elsewhere); empty entries are skipped.
pub fn path_dirs(os: Os, path: &str) -> Vec<PathBuf> {
    let sep = if os == Os::Windows { ';' } else { ':' };
    path.split(sep)
        .map(|d| d.trim_matches('"'))
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .collect()
}

/// The file names a program may have: itself, and on Windows each
/// `PATHEXT` extension added (`.COM;.EXE;.BAT;.CMD` when unset), unless
/// the name already ends in one.
pub fn program_names(os: Os, program: &str, pathext: Option<&str>) -> Vec<String> {
    if os != Os::Windows {
        return vec![program.to_string()];
    }
    let exts: Vec<String> = set(pathext)
        .unwrap_or(".COM;.EXE;.BAT;.CMD")
        .split(';')
        .filter(|e| !e.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let lower = program.to_ascii_lowercase();
    if exts.iter().any(|e| lower.ends_with(e.as_str())) {
        return vec![program.to_string()];
    }
    exts.iter().map(|e| format!("{program}{e}")).collect()
}

/// Where `program` is on `path`, as the platform's shell finds it; `is_file`
/// says whether a path is a file (the callers pass the real check).
pub fn find_program(
    os: Os,
    path: Option<&str>,
    pathext: Option<&str>,
    program: &str,
    is_file: impl Fn(&Path) -> bool,
) -> Option<PathBuf> {
    let names = program_names(os, program, pathext);
    path_dirs(os, path?)
        .into_iter()
        .flat_map(|d| names.iter().map(move |n| d.join(n)))
        .find(|p| is_file(p))
}

/// Whether `program` is on this process's `PATH`.
pub fn on_process_path(program: &str) -> bool {
    let path = std::env::var("PATH").ok();
    let pathext = std::env::var("PATHEXT").ok();
    find_program(
        Os::current(),
        path.as_deref(),
        pathext.as_deref(),
        program,
        Path::is_file,
    )
    .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_home_is_userprofile_not_a_git_bash_home() {
        assert_eq!(
            home_dir(
                Os::Windows,
                Some("/c/Users/ana"),
                Some(r"C:\Users\ana"),
                None,
                None
            ),
            Some(PathBuf::from(r"C:\Users\ana"))
        );
        assert_eq!(
            home_dir(Os::Windows, None, Some(""), Some("D:"), Some(r"\Users\ana")),
            Some(PathBuf::from(r"D:\Users\ana"))
        );
        assert_eq!(
            home_dir(Os::Windows, Some("/home/x"), None, None, None),
            None
        );
        assert_eq!(
            home_dir(Os::MacOs, Some("/Users/ana"), Some(r"C:\x"), None, None),
            Some(PathBuf::from("/Users/ana"))
        );
        assert_eq!(home_dir(Os::Linux, Some(""), None, None, None), None);
    }

    #[test]
    fn the_config_folder_is_docker_config_else_dot_docker_in_the_home() {
        let home = PathBuf::from(r"C:\Users\ana");
        let dir = docker_config_dir(None, Some(&home)).unwrap();
        assert!(dir.starts_with(&home) && dir.ends_with(".docker"));
        assert_eq!(
            docker_config_dir(Some(Path::new(r"D:\cfg")), Some(&home)),
            Some(PathBuf::from(r"D:\cfg"))
        );
        assert_eq!(
            docker_config_dir(Some(Path::new("")), Some(Path::new("/home/a"))),
            Some(PathBuf::from("/home/a/.docker"))
        );
        assert_eq!(docker_config_dir(None, None), None);
    }

    #[test]
    fn each_platform_tries_docker_first_then_desktop_then_podman() {
        let w = default_endpoints(Os::Windows, Some(Path::new(r"C:\Users\a")), None);
        assert_eq!(w[0], ("npipe:////./pipe/docker_engine".into(), false));
        assert!(w.contains(&("npipe:////./pipe/dockerDesktopLinuxEngine".into(), false)));
        assert_eq!(
            w.last().unwrap(),
            &("npipe:////./pipe/podman-machine-default".to_string(), true)
        );
        assert!(w.iter().all(|(a, _)| a.starts_with("npipe://")));

        let m = default_endpoints(Os::MacOs, Some(Path::new("/Users/a")), None);
        assert_eq!(m[0].0, "unix:///var/run/docker.sock");
        assert_eq!(m[1].0, "unix:///Users/a/.docker/run/docker.sock");
        let first_podman = m.iter().position(|(_, p)| *p).unwrap();
        assert!(m[first_podman..].iter().all(|(_, p)| *p));
        assert!(!m.iter().any(|(a, _)| a.contains(".docker/desktop")));

        let l = default_endpoints(
            Os::Linux,
            Some(Path::new("/home/a")),
            Some(Path::new("/run/user/1000")),
        );
        assert_eq!(l[0].0, "unix:///var/run/docker.sock");
        assert_eq!(l[1].0, "unix:///home/a/.docker/desktop/docker.sock");
        assert!(l.contains(&("unix:///run/user/1000/docker.sock".into(), false)));
        assert_eq!(
            l.last().unwrap(),
            &("unix:///run/podman/podman.sock".to_string(), true)
        );
        // No home: only the system-wide places.
        let bare = default_endpoints(Os::MacOs, None, None);
        assert_eq!(
            bare,
            vec![("unix:///var/run/docker.sock".to_string(), false)]
        );
    }

    #[test]
    fn named_pipe_paths_take_either_slash_and_name_a_pipe() {
        assert_eq!(
            pipe_path("//./pipe/docker_engine").as_deref(),
            Some(r"\\.\pipe\docker_engine")
        );
        assert_eq!(
            pipe_path(r"\\.\pipe\dockerDesktopLinuxEngine").as_deref(),
            Some(r"\\.\pipe\dockerDesktopLinuxEngine")
        );
        assert_eq!(
            pipe_path("//buildhost/pipe/docker_engine").as_deref(),
            Some(r"\\buildhost\pipe\docker_engine")
        );
        for bad in [
            "",
            "/./pipe/x",
            "//./pipe/",
            "//./pipes/x",
            "///pipe/x",
            "//./pipe/a/b",
            "docker_engine",
        ] {
            assert_eq!(pipe_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_default_helper_is_the_platforms_keychain_when_installed() {
        let all = |_: &str| true;
        let none = |_: &str| false;
        assert_eq!(default_helper(Os::MacOs, all), Some("osxkeychain"));
        assert_eq!(default_helper(Os::Windows, all), Some("wincred"));
        assert_eq!(default_helper(Os::Linux, all), Some("pass"));
        assert_eq!(
            default_helper(Os::Linux, |p| p == "docker-credential-secretservice"),
            Some("secretservice")
        );
        // `pass` is there but its helper is not: no default, as the CLI.
        assert_eq!(default_helper(Os::Linux, |p| p == "pass"), None);
        assert_eq!(default_helper(Os::Windows, none), None);
        assert!(known_helpers(Os::Windows).contains(&"desktop"));
        assert!(known_helpers(Os::MacOs).contains(&"desktop"));
        assert_eq!(known_helpers(Os::Windows)[0], "wincred");
        assert_eq!(known_helpers(Os::MacOs)[0], "osxkeychain");
    }

    #[test]
    fn programs_are_found_the_platforms_way() {
        let files = [
            PathBuf::from(r"C:\Program Files\Docker\Docker\resources\bin")
                .join("docker-credential-desktop.exe"),
            PathBuf::from("/usr/local/bin/docker-credential-osxkeychain"),
        ];
        let is_file = |p: &Path| files.iter().any(|f| f == p);
        let win_path = r#"C:\Windows;"C:\Program Files\Docker\Docker\resources\bin";;"#;
        assert_eq!(
            find_program(
                Os::Windows,
                Some(win_path),
                Some(".COM;.EXE"),
                "docker-credential-desktop",
                is_file
            ),
            Some(files[0].clone())
        );
        // Already named with its extension; PATHEXT unset.
        assert!(find_program(
            Os::Windows,
            Some(win_path),
            None,
            "docker-credential-desktop.EXE",
            |p| p.to_string_lossy().to_lowercase() == files[0].to_string_lossy().to_lowercase()
        )
        .is_some());
        // A Windows PATH is not split at the drive's colon elsewhere, and a
        // Unix name gets no extension.
        assert_eq!(
            path_dirs(Os::Windows, win_path).len(),
            2,
            "{:?}",
            path_dirs(Os::Windows, win_path)
        );
        assert_eq!(
            find_program(
                Os::MacOs,
                Some("/usr/bin:/usr/local/bin"),
                Some(".EXE"),
                "docker-credential-osxkeychain",
                is_file
            ),
            Some(files[1].clone())
        );
        assert_eq!(
            find_program(Os::Linux, None, None, "docker-credential-pass", is_file),
            None
        );
        assert_eq!(
            program_names(Os::Windows, "docker-credential-wincred", Some(".EXE;.CMD")),
            vec![
                "docker-credential-wincred.exe",
                "docker-credential-wincred.cmd"
            ]
        );
    }

    #[test]
    fn this_machine_finds_its_own_shell() {
        // The real lookup, on this process's PATH (Linux here).
        assert!(on_process_path("sh"));
        assert!(!on_process_path("berth-no-such-program-x9"));
    }
}
