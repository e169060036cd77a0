//! The build context as the docker CLI sends it (B1): `.dockerignore` read
//! and matched with the CLI's rules (comments, `!` exceptions, the last
//! matching line wins, `*` `?` `[...]` within a name, `**` across folders, a
//! pattern also matching every path under what it names), the Dockerfile
//! and `.dockerignore` always sent, an ignored folder not even walked unless
//! an exception reaches into it. Files go in the tar as the CLI sends them:
//! owned by root (so the build cache agrees with the CLI's), links kept as
//! links, devices and FIFOs left out.

use crate::said::Said;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `*`: any run of characters but `/`.
    Star,
    /// `?`: one character but `/`.
    One,
    /// `**/` or `**` inside: any number of whole folders, even none.
    Folders,
    /// `**` at the end: anything.
    Rest,
    /// `[a-z]`, `[^abc]`.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

#[derive(Debug, Clone)]
pub struct Pattern {
    /// As written after cleaning, `!` included.
    pub text: String,
    pub exception: bool,
    /// The pattern compiled as moby compiles it, to a regular expression;
    /// the `regex` crate matches in time linear in the path, whatever the
    /// pattern (a backtracking matcher is exponential in its `*`s). `None`
    /// when it is too large to compile: it then matches nothing.
    re: Option<regex::Regex>,
    /// How many path components the pattern has.
    depth: usize,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text && self.exception == other.exception
    }
}

impl Eq for Pattern {}

/// `filepath.Clean` on a slash path, and no leading `/`.
fn clean(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !p.starts_with('/') {
                    parts.push("..");
                }
            }
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

impl Pattern {
    pub fn new(line: &str) -> Option<Pattern> {
        let t = line.trim();
        if t.is_empty() {
            return None;
        }
        let (exception, body) = match t.strip_prefix('!') {
            Some(b) => (true, b.trim()),
            None => (false, t),
        };
        let body = clean(body);
        let mut toks = Vec::new();
        let cs: Vec<char> = body.chars().collect();
        let mut i = 0;
        while i < cs.len() {
            match cs[i] {
                '*' if cs.get(i + 1) == Some(&'*') => {
                    i += 2;
                    if cs.get(i) == Some(&'/') {
                        i += 1;
                    }
                    toks.push(if i >= cs.len() {
                        Tok::Rest
                    } else {
                        Tok::Folders
                    });
                    continue;
                }
                '*' => toks.push(Tok::Star),
                '?' => toks.push(Tok::One),
                '\\' if i + 1 < cs.len() => {
                    i += 1;
                    toks.push(Tok::Lit(cs[i]));
                }
                '[' => {
                    let mut j = i + 1;
                    let negated = matches!(cs.get(j), Some('^') | Some('!'));
                    if negated {
                        j += 1;
                    }
                    let mut ranges = Vec::new();
                    let mut closed = false;
                    while j < cs.len() {
                        if cs[j] == ']' && (!ranges.is_empty() || closed) {
                            closed = true;
                            break;
                        }
                        let a = cs[j];
                        if cs.get(j + 1) == Some(&'-') && j + 2 < cs.len() && cs[j + 2] != ']' {
                            ranges.push((a, cs[j + 2]));
                            j += 3;
                        } else {
                            ranges.push((a, a));
                            j += 1;
                        }
                    }
                    if closed {
                        toks.push(Tok::Class { negated, ranges });
                        i = j + 1;
                        continue;
                    }
                    // An unclosed bracket is taken literally.
                    toks.push(Tok::Lit('['));
                }
                c => toks.push(Tok::Lit(c)),
            }
            i += 1;
        }
        Some(Pattern {
            depth: body.split('/').count(),
            text: if exception { format!("!{body}") } else { body },
            exception,
            re: compile(&toks),
        })
    }

    fn matches_exactly(&self, path: &str) -> bool {
        self.re.as_ref().is_some_and(|re| re.is_match(path))
    }

    /// The CLI's rule: the pattern matches the path, or the path's parent
    /// folder cut to as many components as the pattern has.
    fn matches(&self, path: &str) -> bool {
        if self.matches_exactly(path) {
            return true;
        }
        let Some((parent, _)) = path.rsplit_once('/') else {
            return false;
        };
        let dirs: Vec<&str> = parent.split('/').collect();
        self.depth <= dirs.len() && self.matches_exactly(&dirs[..self.depth].join("/"))
    }
}

/// The tokens as an anchored regular expression (moby's `compile`).
fn compile(toks: &[Tok]) -> Option<regex::Regex> {
    use std::fmt::Write as _;
    // `(?s)`: a file name may hold a newline, and `.` must match it too.
    let mut re = String::from("(?s)^");
    for t in toks {
        match t {
            Tok::Lit(c) => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            Tok::Star => re.push_str("[^/]*"),
            Tok::One => re.push_str("[^/]"),
            Tok::Folders => re.push_str("(?:.*/)?"),
            Tok::Rest => re.push_str(".*"),
            Tok::Class { negated, ranges } => {
                // Written as code points so no character is special inside.
                let mut set = String::new();
                for (a, b) in ranges.iter().filter(|(a, b)| a <= b) {
                    let _ = write!(set, "\\x{{{:x}}}-\\x{{{:x}}}", *a as u32, *b as u32);
                }
                match (negated, set.is_empty()) {
                    // A class with no valid range (`[z-a]`) matches no character.
                    (false, true) => return None,
                    (false, false) => {
                        let _ = write!(re, "[[{set}]&&[^/]]");
                    }
                    (true, true) => re.push_str("[^/]"),
                    (true, false) => {
                        let _ = write!(re, "[^{set}/]");
                    }
                }
            }
        }
    }
    re.push('$');
    regex::RegexBuilder::new(&re)
        .size_limit(1 << 22)
        .build()
        .ok()
}

/// A `.dockerignore`'s patterns, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ignore {
    pub patterns: Vec<Pattern>,
}

impl Ignore {
    pub fn parse(text: &str) -> Ignore {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Ignore {
            patterns: text
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(Pattern::new)
                .collect(),
        }
    }

    /// Whether the context path (slash-separated, relative) is left out.
    pub fn excluded(&self, path: &str) -> bool {
        let mut out = false;
        for p in &self.patterns {
            if p.matches(path) {
                out = !p.exception;
            }
        }
        out
    }

    /// Makes sure these paths are sent even when a pattern leaves them out.
    pub fn keep(&mut self, path: &str) {
        if self.excluded(path) {
            self.patterns.extend(Pattern::new(&format!("!{path}")));
        }
    }

    /// Whether an exception may re-include something inside `dir`.
    fn reaches_into(&self, dir: &str) -> bool {
        let prefix = format!("{dir}/");
        self.patterns
            .iter()
            .filter(|p| p.exception)
            .any(|p| format!("{}/", &p.text[1..]).starts_with(&prefix))
    }
}

/// One entry to send: where it is on disk and its name in the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: PathBuf,
    pub name: String,
    pub is_dir: bool,
    pub size: u64,
}

/// What will be sent, before anything is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    pub entries: Vec<Entry>,
    pub files: u64,
    pub bytes: u64,
    /// Paths left out, in walk order (a left-out folder once, not walked).
    pub ignored: Vec<String>,
    /// Whether the folder has a `.dockerignore`.
    pub has_dockerignore: bool,
}

/// Walks `root` in name order, as the CLI does; `always` are context paths
/// sent whatever `.dockerignore` says (the Dockerfile).
pub fn walk(root: &Path, always: &[&str]) -> Result<Context> {
    let io = |p: &Path, e: std::io::Error| Error::path("folder", p, &e);
    let ignore_file = root.join(".dockerignore");
    let mut ctx = Context::default();
    let mut ignore = match std::fs::read_to_string(&ignore_file) {
        Ok(t) => {
            ctx.has_dockerignore = true;
            Ignore::parse(&t)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ignore::default(),
        Err(e) => return Err(io(&ignore_file, e)),
    };
    ignore.keep(".dockerignore");
    for a in always {
        ignore.keep(a);
    }
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let mut names: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
            .map_err(|e| io(&dir, e))?
            .map(|e| e.map(|e| (e.file_name().to_string_lossy().into_owned(), e.path())))
            .collect::<std::io::Result<_>>()
            .map_err(|e| io(&dir, e))?;
        names.sort();
        let mut subdirs = Vec::new();
        for (n, path) in names {
            let name = if prefix.is_empty() {
                n
            } else {
                format!("{prefix}/{n}")
            };
            let meta = std::fs::symlink_metadata(&path).map_err(|e| io(&path, e))?;
            let is_dir = meta.is_dir();
            if ignore.excluded(&name) {
                ctx.ignored.push(name.clone());
                if is_dir && ignore.reaches_into(&name) {
                    subdirs.push((path, name));
                }
                continue;
            }
            let ft = meta.file_type();
            if !(ft.is_file() || ft.is_dir() || ft.is_symlink()) {
                continue;
            }
            if ft.is_file() {
                ctx.files += 1;
                ctx.bytes += meta.len();
            }
            ctx.entries.push(Entry {
                path: path.clone(),
                name: name.clone(),
                is_dir,
                size: if ft.is_file() { meta.len() } else { 0 },
            });
            if is_dir {
                subdirs.push((path, name));
            }
        }
        // Depth first, in name order.
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(ctx)
}

/// Writes the context as a tar; `extra` are (name, bytes) added at the
/// end (a Dockerfile from outside the folder). `progress(bytes)` is called
/// as files are written.
pub fn pack(
    ctx: &Context,
    extra: &[(String, Vec<u8>)],
    out: impl Write,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Result<()> {
    let mut b = tar::Builder::new(out);
    let io = |p: &Path, e: std::io::Error| Error::path("folder", p, &e);
    let mut sent = 0u64;
    for e in &ctx.entries {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::cancelled(Said::Cancelled));
        }
        let meta = std::fs::symlink_metadata(&e.path).map_err(|x| io(&e.path, x))?;
        let mut h = tar::Header::new_gnu();
        h.set_metadata_in_mode(&meta, tar::HeaderMode::Complete);
        // As the CLI sends it (the engine's cache key hashes these header
        // fields, the mtime excepted): owned by root, no owner names, the
        // permission bits without the file type's.
        h.set_mode(h.mode().unwrap_or(0o644) & 0o7777);
        let _ = h.set_username("");
        let _ = h.set_groupname("");
        h.set_uid(0);
        h.set_gid(0);
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&e.path).map_err(|x| io(&e.path, x))?;
            b.append_link(&mut h, &e.name, target)
                .map_err(|x| io(&e.path, x))?;
        } else if meta.is_dir() {
            h.set_size(0);
            b.append_data(&mut h, format!("{}/", e.name), std::io::empty())
                .map_err(|x| io(&e.path, x))?;
        } else {
            let f = std::fs::File::open(&e.path).map_err(|x| io(&e.path, x))?;
            // The size the walk saw: a file that grew meanwhile is cut there.
            h.set_size(meta.len());
            b.append_data(&mut h, &e.name, std::io::Read::take(f, meta.len()))
                .map_err(|x| io(&e.path, x))?;
            sent += meta.len();
            progress(sent);
        }
    }
    for (name, data) in extra {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(0);
        h.set_size(data.len() as u64);
        b.append_data(&mut h, name, data.as_slice())
            .map_err(|x| io(Path::new(name), x))?;
    }
    b.finish().map_err(|x| io(Path::new("context"), x))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ig(text: &str) -> Ignore {
        Ignore::parse(text)
    }

    #[test]
    fn patterns_follow_the_cli() {
        // Cases from the CLI's own pattern tests (moby fileutils).
        let cases: &[(&str, &str, bool)] = &[
            ("**", "file", true),
            ("**", "file/", true),
            ("**/", "file", true),
            ("**/", "file/", true),
            ("**", "/", true),
            ("**/", "/", true),
            ("dir/**", "dir/file", true),
            ("dir/**", "dir/file/", true),
            ("dir/**", "dir/dir2/file", true),
            ("**/file", "file", true),
            ("**/file", "dir/file", true),
            ("**/file", "dir/dir/file", true),
            ("**/file*", "dir/dir/file", true),
            ("**/file*", "dir/dir/file.txt", true),
            ("**/file*txt", "dir/dir/file.txt", true),
            ("**/file*.txt", "dir/dir/file.txt", true),
            ("**/file*.txt*", "dir/dir/file.txt", true),
            ("**/**/*.txt", "dir/dir/file.txt", true),
            ("**/**/*.txt2", "dir/dir/file.txt", false),
            ("**/*.txt", "file.txt", true),
            ("**/**/*.txt", "file.txt", true),
            ("a**/*.txt", "a/file.txt", true),
            ("a**/*.txt", "a/dir/file.txt", true),
            ("a**/*.txt", "a/dir/dir/file.txt", true),
            ("a/*.txt", "a/dir/file.txt", false),
            ("a/*.txt", "a/file.txt", true),
            ("a/*.txt**", "a/file.txt", true),
            ("a[b-d]e", "ae", false),
            ("a[b-d]e", "ace", true),
            ("a[b-d]e", "aae", false),
            ("a[^b-d]e", "aze", true),
            (".*", ".foo", true),
            (".*", "foo", false),
            ("abc.def", "abcdef", false),
            ("abc.def", "abc.def", true),
            ("abc.def", "abcZdef", false),
            ("abc?def", "abcZdef", true),
            ("abc?def", "abcdef", false),
            ("a\\\\", "a\\", true),
            ("**/foo/bar", "foo/bar", true),
            ("**/foo/bar", "dir/foo/bar", true),
            ("**/foo/bar", "dir/dir2/foo/bar", true),
            ("abc/**", "abc", false),
            ("abc/**", "abc/def", true),
            ("abc/**", "abc/def/ghi", true),
            ("**/.foo", ".foo", true),
            ("**/.foo", "bar.foo", false),
            ("a(b)c/def", "a(b)c/def", true),
            ("a(b)c/def", "a(b)c/xyz", false),
            ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
        ];
        for (pat, path, want) in cases {
            let p = Pattern::new(pat).unwrap();
            let path = path.trim_end_matches('/');
            assert_eq!(p.matches(path), *want, "{pat} on {path}");
        }
    }

    #[test]
    fn many_stars_match_in_linear_time() {
        // 25 `*`s against a 60-character name without the final `b`: a
        // backtracking matcher tries about C(60, 25) splits (it never ends).
        let pat = format!("{}b", "*a".repeat(25));
        let path = "a".repeat(60);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let p = Pattern::new(&pat).unwrap();
            let _ = tx.send((p.matches(&path), p.matches(&format!("{path}b"))));
        });
        let got = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("matching still runs after 20 s: it backtracks");
        assert_eq!(got, (false, true));
    }

    #[test]
    fn odd_classes_and_specials_are_literal_or_empty() {
        assert!(!Pattern::new("a[z-a]b").unwrap().matches("ab"));
        assert!(!Pattern::new("a[z-a]b").unwrap().matches("azb"));
        assert!(Pattern::new("[^z-a]").unwrap().matches("q"));
        assert!(
            !Pattern::new("a[/]b").unwrap().matches("a/b"),
            "a class never matches /"
        );
        assert!(Pattern::new("x[]]y").unwrap().matches("x]y"));
        assert!(
            Pattern::new("a[b").unwrap().matches("a[b"),
            "an unclosed bracket is literal"
        );
        assert!(Pattern::new("line*").unwrap().matches("line\nbreak"));
        assert!(Pattern::new("*").unwrap().matches("new\nline"));
    }

    #[test]
    fn a_pattern_also_covers_what_is_under_it() {
        let i = ig("node_modules\n/build/\n*.log\n");
        assert!(i.excluded("node_modules"));
        assert!(i.excluded("node_modules/x/y.js"));
        assert!(i.excluded("build/out.o"));
        assert!(i.excluded("a.log"));
        assert!(!i.excluded("sub/a.log"), "* stays within one folder");
        assert!(
            !i.excluded("src/node_modules"),
            "a bare name is anchored at the root"
        );
    }

    #[test]
    fn the_last_matching_line_wins_and_comments_are_skipped() {
        let i = ig("# comment\n*.md\n!README.md\n  \n");
        assert!(i.excluded("CHANGES.md"));
        assert!(!i.excluded("README.md"));
        assert!(!i.excluded("# comment"));
        let i = ig("!README.md\n*.md\n");
        assert!(
            i.excluded("README.md"),
            "an exception before the rule loses"
        );
    }

    fn tree() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir_all(r.join("big/deep")).unwrap();
        std::fs::create_dir_all(r.join("keep/sub")).unwrap();
        std::fs::write(r.join("big/deep/blob"), vec![0u8; 5000]).unwrap();
        std::fs::write(r.join("keep/sub/a.txt"), "aaa").unwrap();
        std::fs::write(r.join("keep/b.txt"), "bb").unwrap();
        std::fs::write(r.join("Dockerfile"), "FROM x\n").unwrap();
        d
    }

    fn names(c: &Context) -> Vec<&str> {
        c.entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn an_ignored_folder_is_not_walked_nor_sent() {
        let d = tree();
        std::fs::write(
            d.path().join(".dockerignore"),
            "big\nDockerfile\n.dockerignore\n",
        )
        .unwrap();
        let c = walk(d.path(), &["Dockerfile"]).unwrap();
        assert_eq!(
            names(&c),
            vec![
                ".dockerignore",
                "Dockerfile",
                "keep",
                "keep/b.txt",
                "keep/sub",
                "keep/sub/a.txt"
            ]
        );
        assert_eq!(
            c.ignored,
            vec!["big"],
            "the folder once, its files not walked"
        );
        assert_eq!(c.files, 4);
        assert_eq!(c.bytes, 29 + 7 + 2 + 3);
        assert!(c.has_dockerignore);
    }

    #[test]
    fn an_exception_reaches_into_an_ignored_folder() {
        let d = tree();
        std::fs::write(d.path().join(".dockerignore"), "keep\n!keep/sub/a.txt\n").unwrap();
        let c = walk(d.path(), &["Dockerfile"]).unwrap();
        assert_eq!(
            names(&c),
            vec![
                ".dockerignore",
                "Dockerfile",
                "big",
                "big/deep",
                "big/deep/blob",
                "keep/sub/a.txt"
            ]
        );
        assert_eq!(c.ignored, vec!["keep", "keep/b.txt", "keep/sub"]);
    }

    #[test]
    fn the_tar_holds_what_the_walk_found_owned_by_root() {
        let d = tree();
        std::fs::write(d.path().join(".dockerignore"), "big\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("b.txt", d.path().join("keep/link")).unwrap();
        let c = walk(d.path(), &[]).unwrap();
        let mut tar = Vec::new();
        let mut last = 0;
        pack(
            &c,
            &[(".dockerfile.x".into(), b"FROM y\n".to_vec())],
            &mut tar,
            &AtomicBool::new(false),
            &mut |b| last = b,
        )
        .unwrap();
        assert_eq!(last, c.bytes);
        let mut a = tar::Archive::new(tar.as_slice());
        let mut got = Vec::new();
        for e in a.entries().unwrap() {
            let e = e.unwrap();
            let h = e.header();
            assert_eq!((h.uid().unwrap(), h.gid().unwrap()), (0, 0));
            got.push((
                e.path().unwrap().to_string_lossy().into_owned(),
                h.entry_type().is_symlink(),
            ));
        }
        assert!(got.contains(&("keep/sub/a.txt".into(), false)));
        assert!(got.contains(&(".dockerfile.x".into(), false)));
        #[cfg(unix)]
        assert!(got.contains(&("keep/link".into(), true)));
        assert!(!got.iter().any(|(n, _)| n.starts_with("big")));
    }
}
