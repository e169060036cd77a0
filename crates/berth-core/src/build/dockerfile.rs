//! Reading a Dockerfile as the builder does, enough to point at its lines
//! (B1): the instructions with the lines each spans (continuations joined,
//! comments skipped, the `# escape=` directive honoured), the stages and
//! their names, the build args, and which instruction each numbered step of
//! the classic builder's "Step N/M" is. The builder counts the ARGs before
//! the first FROM, then each stage's FROM and its instructions, and stops
//! after the `--target` stage; so step N is the N-th instruction.

use crate::said::Said;
use serde::Serialize;
use specta::Type;

use crate::error::{Error, Result};

/// Every instruction the builder knows.
pub const INSTRUCTIONS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Instruction {
    /// Upper-cased: `RUN`, `COPY`...
    pub keyword: String,
    /// The arguments, continuation lines joined.
    pub args: String,
    /// 1-based lines this instruction spans in the file.
    pub first_line: u32,
    pub last_line: u32,
    /// The stage it belongs to (index into `stages`); None for an ARG
    /// before the first FROM.
    pub stage: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    /// `AS name`, lower-cased as the builder compares it.
    pub name: Option<String>,
    /// The image it starts from, as written (`${BASE}` not expanded).
    pub base: String,
    /// Index of its FROM in `instructions`.
    pub from: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BuildArg {
    pub name: String,
    pub default: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Dockerfile {
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// Every `ARG`, first declaration of each name.
    pub args: Vec<BuildArg>,
}

/// Reads the file's text. Unknown instructions are kept (the engine names
/// them with their line); nothing here fails but an empty file.
pub fn parse(text: &str) -> Result<Dockerfile> {
    let lines: Vec<&str> = text.lines().collect();
    let mut escape = '\\';
    // Parser directives: `# key=value` lines at the very top.
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim();
        let Some(d) = l.strip_prefix('#') else { break };
        let Some((k, v)) = d.split_once('=') else {
            break;
        };
        let k = k.trim().to_ascii_lowercase();
        if k.contains(char::is_whitespace) || k.is_empty() {
            break;
        }
        if k == "escape" {
            escape = match v.trim() {
                "`" => '`',
                _ => '\\',
            };
        }
        i += 1;
    }
    let mut out = Dockerfile::default();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim_start();
        if l.is_empty() || l.starts_with('#') {
            i += 1;
            continue;
        }
        let first = i;
        let mut joined = String::new();
        let mut line = l;
        loop {
            let t = line.trim_end();
            match t.strip_suffix(escape) {
                Some(body) if i + 1 < lines.len() => {
                    joined.push_str(body);
                    i += 1;
                    // Comment and empty lines inside a continuation are skipped.
                    while i + 1 < lines.len() && {
                        let n = lines[i].trim_start();
                        n.starts_with('#') || n.is_empty()
                    } {
                        i += 1;
                    }
                    line = lines[i];
                }
                Some(body) => {
                    joined.push_str(body);
                    break;
                }
                None => {
                    joined.push_str(t);
                    break;
                }
            }
        }
        let (word, args) = match joined.trim_start().split_once(char::is_whitespace) {
            Some((w, a)) => (w.to_string(), a.trim().to_string()),
            None => (joined.trim().to_string(), String::new()),
        };
        let keyword = word.to_ascii_uppercase();
        let index = out.instructions.len() as u32;
        if keyword == "FROM" {
            let words: Vec<&str> = args
                .split_whitespace()
                .filter(|w| !w.starts_with("--"))
                .collect();
            let name = match words.as_slice() {
                [_, a, n, ..] if a.eq_ignore_ascii_case("as") => Some(n.to_ascii_lowercase()),
                _ => None,
            };
            out.stages.push(Stage {
                name,
                base: words.first().map(|s| s.to_string()).unwrap_or_default(),
                from: index,
            });
        }
        if keyword == "ARG" {
            for decl in args.split_whitespace() {
                let (name, default) = match decl.split_once('=') {
                    Some((n, d)) => (n, Some(unquote(d))),
                    None => (decl, None),
                };
                if !out.args.iter().any(|a| a.name == name) {
                    out.args.push(BuildArg {
                        name: name.to_string(),
                        default,
                        line: first as u32 + 1,
                    });
                }
            }
        }
        out.instructions.push(Instruction {
            keyword,
            args,
            first_line: first as u32 + 1,
            last_line: i as u32 + 1,
            stage: out.stages.len().checked_sub(1).map(|s| s as u32),
        });
        i += 1;
    }
    if out.instructions.is_empty() {
        return Err(Error::said("dockerfile", Said::DockerfileEmpty));
    }
    Ok(out)
}

fn unquote(s: &str) -> String {
    let t = s.trim();
    for q in ['"', '\''] {
        if let Some(x) = t.strip_prefix(q).and_then(|x| x.strip_suffix(q)) {
            return x.to_string();
        }
    }
    t.to_string()
}

impl Dockerfile {
    /// How many steps the builder numbers when building up to `target`
    /// (all stages when None); a target that names no stage is refused,
    /// naming the stages there are.
    pub fn step_count(&self, target: Option<&str>) -> Result<usize> {
        let Some(t) = target.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(self.instructions.len());
        };
        let t = t.to_ascii_lowercase();
        let found = self
            .stages
            .iter()
            .enumerate()
            .find(|(_, s)| s.name.as_deref() == Some(t.as_str()));
        match found {
            Some((i, _)) => Ok(self
                .stages
                .get(i + 1)
                .map_or(self.instructions.len(), |next| next.from as usize)),
            None => {
                let names: Vec<&str> = self
                    .stages
                    .iter()
                    .filter_map(|s| s.name.as_deref())
                    .collect();
                Err(Error::said(
                    "target",
                    if names.is_empty() {
                        Said::NoStages { target: t }
                    } else {
                        Said::NoSuchStage {
                            target: t,
                            stages: names.join(", "),
                        }
                    },
                ))
            }
        }
    }

    /// The instruction behind step `n` (1-based) of the builder's output,
    /// if its keyword agrees with the step's text.
    pub fn step(&self, n: u32, text: &str) -> Option<&Instruction> {
        let ins = self.instructions.get((n as usize).checked_sub(1)?)?;
        let word = text.split_whitespace().next()?.to_ascii_uppercase();
        (word == ins.keyword).then_some(ins)
    }
}

/// The line an engine's parse error names: `dockerfile parse error line 3: ...`.
pub fn error_line(message: &str) -> Option<u32> {
    let rest = &message[message.find("line ")? + 5..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MULTI: &str = "# syntax=docker/dockerfile:1
ARG BASE=berth-fixture/busybox:1
FROM ${BASE} AS Builder
WORKDIR /work
# a comment between instructions

COPY src/ /work/src/
RUN cat /work/src/a.txt > /work/out.txt && \\
    # a comment inside a continuation
    echo built >> /work/out.txt

from ${BASE}
ENV GREETING=hi
COPY --from=builder /work/out.txt /out.txt
CMD [\"cat\", \"/out.txt\"]
";

    #[test]
    fn instructions_carry_their_lines_and_stages() {
        let d = parse(MULTI).unwrap();
        let got: Vec<(&str, u32, u32, Option<u32>)> = d
            .instructions
            .iter()
            .map(|i| (i.keyword.as_str(), i.first_line, i.last_line, i.stage))
            .collect();
        assert_eq!(
            got,
            vec![
                ("ARG", 2, 2, None),
                ("FROM", 3, 3, Some(0)),
                ("WORKDIR", 4, 4, Some(0)),
                ("COPY", 7, 7, Some(0)),
                ("RUN", 8, 10, Some(0)),
                ("FROM", 12, 12, Some(1)),
                ("ENV", 13, 13, Some(1)),
                ("COPY", 14, 14, Some(1)),
                ("CMD", 15, 15, Some(1)),
            ]
        );
        assert_eq!(
            d.instructions[4].args,
            "cat /work/src/a.txt > /work/out.txt &&     echo built >> /work/out.txt"
        );
        assert_eq!(d.stages[0].name.as_deref(), Some("builder"));
        assert_eq!(d.stages[1].name, None);
        assert_eq!(d.stages[1].base, "${BASE}");
        assert_eq!(
            d.args,
            vec![BuildArg {
                name: "BASE".into(),
                default: Some("berth-fixture/busybox:1".into()),
                line: 2
            }]
        );
    }

    #[test]
    fn the_target_cuts_the_steps_after_its_stage() {
        let d = parse(MULTI).unwrap();
        assert_eq!(d.step_count(None).unwrap(), 9);
        assert_eq!(d.step_count(Some("builder")).unwrap(), 5);
        assert_eq!(d.step_count(Some("BUILDER")).unwrap(), 5);
        let e = d.step_count(Some("nope")).unwrap_err().to_string();
        assert_eq!(e, "target: no stage is named nope; the stages are: builder");
    }

    #[test]
    fn steps_are_matched_by_number_and_keyword() {
        let d = parse(MULTI).unwrap();
        assert_eq!(d.step(5, "RUN cat /work/src/a.txt").unwrap().first_line, 8);
        assert_eq!(d.step(1, "ARG BASE=x").unwrap().first_line, 2);
        assert!(d.step(5, "COPY x y").is_none(), "a keyword that disagrees");
        assert!(d.step(0, "ARG").is_none());
        assert!(d.step(10, "CMD").is_none());
    }

    #[test]
    fn the_escape_directive_changes_the_continuation() {
        let d = parse("# escape=`\nFROM x\nRUN dir c:\\ `\n  && echo y\n").unwrap();
        assert_eq!(d.instructions[1].args, "dir c:\\   && echo y");
        assert_eq!(
            (d.instructions[1].first_line, d.instructions[1].last_line),
            (3, 4)
        );
    }

    #[test]
    fn unknown_instructions_are_kept_for_the_engine_to_name() {
        let d = parse("FROM x\nFOOBAR y\n").unwrap();
        assert_eq!(d.instructions[1].keyword, "FOOBAR");
        assert!(parse("# only a comment\n\n").is_err());
        assert_eq!(
            error_line("dockerfile parse error line 3: unknown instruction: FOOBAR"),
            Some(3)
        );
        assert_eq!(error_line("COPY failed"), None);
    }

    #[test]
    fn a_continuation_at_the_end_of_the_file_ends_the_instruction() {
        let d = parse("FROM x\nRUN a \\\n").unwrap();
        assert_eq!(d.instructions[1].args, "a");
        assert_eq!(d.instructions[1].last_line, 2);
    }
}
