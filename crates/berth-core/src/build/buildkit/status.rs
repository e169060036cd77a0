//! BuildKit's status stream read into the same per-step events as the
//! classic builder's text (B1). BuildKit reports vertexes (a digest, a name
//! such as `[build 2/4] RUN make`, started, completed, cached, error) and
//! each one's log bytes. A step's vertex name carries its stage and its
//! place in that stage, which gives the Dockerfile instruction it is; the
//! stages' steps run in parallel, each reported as it starts and ends.

use std::collections::HashMap;

use bollard_buildkit_proto::google::protobuf::Timestamp;
use bollard_buildkit_proto::moby::buildkit::v1::StatusResponse;

use crate::build::dockerfile::Dockerfile;
use crate::build::{missed, BuildEvent, StepCache, StepOutcome};

/// One vertex as seen so far.
#[derive(Default)]
struct Seen {
    step: Option<u32>,
    started: bool,
    done: bool,
    /// The end of a log line not yet complete.
    partial: String,
}

/// Reads status responses in order; emits events as vertexes change.
pub(crate) struct Tracker<'a> {
    dockerfile: &'a Dockerfile,
    total: u32,
    seen: HashMap<String, Seen>,
    /// The outcome of each step, by step number.
    steps: HashMap<u32, StepOutcome>,
    /// The first step that missed the cache in each stage.
    first_miss: HashMap<u32, u32>,
    /// The first error a vertex reported: (step, message).
    pub failed: Option<(Option<u32>, String)>,
}

/// `[label i/n] TEXT` → (label, i, text); label is empty for a one-stage file.
fn step_name(name: &str) -> Option<(&str, u32, &str)> {
    let rest = name.strip_prefix('[')?;
    let (head, text) = rest.split_once("] ")?;
    let (label, nums) = match head.rsplit_once(' ') {
        Some((l, n)) => (l, n),
        None => ("", head),
    };
    let (i, _n) = nums.split_once('/')?;
    Some((label, i.parse().ok()?, text))
}

/// Text with its runs of whitespace made one space, to compare an
/// instruction with the name BuildKit gives its vertex.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn millis(a: &Option<Timestamp>, b: &Option<Timestamp>) -> u64 {
    match (a, b) {
        (Some(a), Some(b)) => {
            let ms = (b.seconds - a.seconds) * 1000 + i64::from(b.nanos - a.nanos) / 1_000_000;
            ms.max(0) as u64
        }
        _ => 0,
    }
}

impl<'a> Tracker<'a> {
    pub fn new(dockerfile: &'a Dockerfile, total: u32) -> Self {
        Tracker {
            dockerfile,
            total,
            seen: HashMap::new(),
            steps: HashMap::new(),
            first_miss: HashMap::new(),
            failed: None,
        }
    }

    /// The step a vertex name is: its stage by name (`AS build`) or by
    /// number (`stage-2`), then its place in the stage (FROM is 1).
    fn step_of(&self, name: &str) -> Option<u32> {
        let (label, i, text) = step_name(name)?;
        let stage = if label.is_empty() {
            // One stage: the last (a one-stage file has one).
            self.dockerfile.stages.len().checked_sub(1)?
        } else if let Some(n) = label.strip_prefix("stage-").and_then(|n| n.parse().ok()) {
            n
        } else {
            let label = label.to_ascii_lowercase();
            self.dockerfile
                .stages
                .iter()
                .position(|s| s.name.as_deref() == Some(label.as_str()))?
        };
        let from = self.dockerfile.stages.get(stage)?.from as usize;
        let end = self
            .dockerfile
            .stages
            .get(stage + 1)
            .map_or(self.dockerfile.instructions.len(), |s| s.from as usize);
        let ins = self.dockerfile.instructions.get(from..end)?;
        let same = |k: usize| {
            ins.get(k)
                .is_some_and(|x| squash(&format!("{} {}", x.keyword, x.args)) == squash(text))
        };
        let number = |k: usize| Some((from + k + 1) as u32);
        if i == 1 && text.starts_with("FROM ") {
            return (ins.first()?.keyword == "FROM").then(|| number(0))?;
        }
        // BuildKit numbers the instructions that make a vertex (RUN, COPY,
        // ADD, WORKDIR), the FROM first unless it is `scratch` (no vertex);
        // some versions number every instruction.
        let making: Vec<usize> = (1..ins.len())
            .filter(|&k| matches!(ins[k].keyword.as_str(), "RUN" | "COPY" | "ADD" | "WORKDIR"))
            .collect();
        let i = i as usize;
        let places = [
            i.checked_sub(2).and_then(|n| making.get(n).copied()),
            i.checked_sub(1).and_then(|n| making.get(n).copied()),
        ];
        if let Some(k) = places.iter().flatten().copied().find(|&k| same(k)) {
            return number(k);
        }
        if let Some(k) = i.checked_sub(1).filter(|&k| same(k)) {
            return number(k);
        }
        if let Some(k) = (1..ins.len()).find(|&k| same(k)) {
            return number(k);
        }
        // The text differs (a version that words it otherwise): the place
        // and the keyword still agree.
        places[0]
            .filter(|&k| text.split_whitespace().next() == Some(ins[k].keyword.as_str()))
            .and_then(number)
    }

    pub fn read(&mut self, status: &StatusResponse, emit: &mut dyn FnMut(BuildEvent)) {
        for v in &status.vertexes {
            let step = match self.seen.get(&v.digest) {
                Some(s) => s.step,
                None => self.step_of(&v.name),
            };
            let seen = self.seen.entry(v.digest.clone()).or_default();
            seen.step = step;
            if !v.error.is_empty() && self.failed.is_none() {
                self.failed = Some((step, v.error.clone()));
            }
            let Some(step) = step else { continue };
            let ins = self.dockerfile.instructions.get(step as usize - 1);
            let (first, last, stage, keyword) = ins
                .map(|i| {
                    (
                        Some(i.first_line),
                        Some(i.last_line),
                        i.stage,
                        i.keyword.clone(),
                    )
                })
                .unwrap_or((None, None, None, String::new()));
            if !seen.started && (v.started.is_some() || v.cached) {
                seen.started = true;
                let text = step_name(&v.name).map_or(v.name.as_str(), |(_, _, t)| t);
                let base = keyword == "FROM";
                // A FROM shared by two stages is one vertex: the first step.
                self.steps
                    .entry(step)
                    .or_insert_with(|| StepOutcome::started(step, text, ins, base));
                emit(BuildEvent::Step {
                    step,
                    total: self.total,
                    text: text.to_string(),
                    first,
                    last,
                });
            }
            if !seen.done && (v.completed.is_some() || v.cached) {
                seen.done = true;
                let Some(out) = self.steps.get_mut(&step) else {
                    continue;
                };
                if out.cache == StepCache::Pending && v.error.is_empty() {
                    out.cache = if v.cached {
                        StepCache::Hit
                    } else {
                        StepCache::Miss
                    };
                    if out.cache == StepCache::Miss {
                        if let Some(stage) = stage {
                            out.after = missed(&mut self.first_miss, stage, step);
                        }
                    }
                    emit(BuildEvent::Cache {
                        step,
                        cache: out.cache,
                        after: out.after,
                    });
                }
                out.millis = millis(&v.started, &v.completed).max(1);
                if v.error.is_empty() {
                    emit(BuildEvent::StepDone {
                        step,
                        millis: out.millis,
                    });
                }
            }
        }
        for l in &status.logs {
            let Some(seen) = self.seen.get_mut(&l.vertex) else {
                continue;
            };
            let step = seen.step;
            seen.partial.push_str(&String::from_utf8_lossy(&l.msg));
            while let Some(i) = seen.partial.find('\n') {
                let line: String = seen.partial.drain(..=i).collect();
                emit(BuildEvent::Output {
                    step,
                    text: line.trim_end_matches(['\n', '\r']).to_string(),
                });
            }
        }
    }

    /// The lines left without a newline, at the end.
    pub fn flush(&mut self, emit: &mut dyn FnMut(BuildEvent)) {
        for s in self.seen.values_mut() {
            if !s.partial.is_empty() {
                emit(BuildEvent::Output {
                    step: s.step,
                    text: std::mem::take(&mut s.partial),
                });
            }
        }
    }

    /// After a build that succeeded: each step of the stages built that no
    /// vertex was (a LABEL, ENV, CMD...; a FROM shared with an earlier
    /// stage) gets its outcome, so none is left waiting.
    pub fn settle(&mut self, emit: &mut dyn FnMut(BuildEvent)) {
        for step in 1..=self.total {
            if self.steps.contains_key(&step) {
                continue;
            }
            let Some(ins) = self.dockerfile.instructions.get(step as usize - 1) else {
                continue;
            };
            let cache = if ins.keyword == "FROM" || ins.stage.is_none() {
                StepCache::Base
            } else {
                StepCache::Config
            };
            self.steps.insert(
                step,
                StepOutcome {
                    step,
                    text: format!("{} {}", ins.keyword, ins.args),
                    first_line: Some(ins.first_line),
                    last_line: Some(ins.last_line),
                    cache,
                    after: None,
                    millis: 0,
                },
            );
            emit(BuildEvent::Cache {
                step,
                cache,
                after: None,
            });
        }
    }

    /// Every step seen, in order.
    pub fn outcomes(&self) -> Vec<StepOutcome> {
        let mut v: Vec<StepOutcome> = self.steps.values().cloned().collect();
        v.sort_by_key(|s| s.step);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard_buildkit_proto::moby::buildkit::v1::{Vertex, VertexLog};

    fn ts(s: i64, ms: i32) -> Option<Timestamp> {
        Some(Timestamp {
            seconds: s,
            nanos: ms * 1_000_000,
        })
    }

    fn v(
        digest: &str,
        name: &str,
        started: Option<Timestamp>,
        completed: Option<Timestamp>,
        cached: bool,
    ) -> Vertex {
        Vertex {
            digest: digest.into(),
            name: name.into(),
            started,
            completed,
            cached,
            ..Default::default()
        }
    }

    const FILE: &str = "FROM base AS a\nRUN echo a > /a\nFROM base AS b\nRUN make\nFROM base\nCOPY --from=a /a /a\nCOPY x /x\nRUN exit 3\n";

    #[test]
    fn vertex_names_are_steps_of_their_stage_and_parallel_stages_interleave() {
        let d = crate::build::dockerfile::parse(FILE).unwrap();
        let mut t = Tracker::new(&d, 8);
        let mut ev = Vec::new();
        let mut emit = |e| ev.push(e);
        t.read(
            &StatusResponse {
                vertexes: vec![
                    v(
                        "i",
                        "[internal] load build definition from Dockerfile",
                        ts(1, 0),
                        ts(1, 5),
                        false,
                    ),
                    v(
                        "f",
                        "[a 1/2] FROM docker.io/library/base",
                        ts(1, 0),
                        ts(1, 0),
                        false,
                    ),
                    v("ra", "[a 2/2] RUN echo a > /a", ts(1, 10), None, false),
                    v("rb", "[b 2/2] RUN make", ts(1, 12), None, false),
                ],
                ..Default::default()
            },
            &mut emit,
        );
        t.read(
            &StatusResponse {
                vertexes: vec![
                    v("rb", "[b 2/2] RUN make", ts(1, 12), ts(2, 12), false),
                    v("ra", "[a 2/2] RUN echo a > /a", ts(1, 10), ts(1, 10), true),
                    v(
                        "c1",
                        "[stage-2 2/4] COPY --from=a /a /a",
                        ts(2, 20),
                        ts(2, 21),
                        true,
                    ),
                    v("c2", "[stage-2 3/4] COPY x /x", ts(2, 22), ts(2, 30), false),
                    v("r3", "[stage-2 4/4] RUN exit 3", ts(2, 31), None, false),
                ],
                logs: vec![
                    VertexLog {
                        vertex: "rb".into(),
                        msg: b"cc -o app\nlinked".to_vec(),
                        ..Default::default()
                    },
                    VertexLog {
                        vertex: "rb".into(),
                        msg: b" ok\n".to_vec(),
                        ..Default::default()
                    },
                ],
                ..Default::default()
            },
            &mut emit,
        );
        let mut last = v(
            "r3",
            "[stage-2 4/4] RUN exit 3",
            ts(2, 31),
            ts(2, 40),
            false,
        );
        last.error =
            "process \"/bin/sh -c exit 3\" did not complete successfully: exit code: 3".into();
        t.read(
            &StatusResponse {
                vertexes: vec![last],
                ..Default::default()
            },
            &mut emit,
        );
        let steps: Vec<(u32, StepCache, Option<u32>)> = t
            .outcomes()
            .iter()
            .map(|s| (s.step, s.cache, s.after))
            .collect();
        assert_eq!(
            steps,
            vec![
                (1, StepCache::Base, None),
                (2, StepCache::Hit, None),
                (4, StepCache::Miss, None),
                (6, StepCache::Hit, None),
                (7, StepCache::Miss, None),
                (8, StepCache::Pending, None),
            ]
        );
        // Stage b's step started before stage a's ended: both were running.
        let started: Vec<u32> = ev
            .iter()
            .filter_map(|e| match e {
                BuildEvent::Step { step, .. } => Some(*step),
                _ => None,
            })
            .collect();
        assert_eq!(started, vec![1, 2, 4, 6, 7, 8]);
        let out: Vec<(Option<u32>, &str)> = ev
            .iter()
            .filter_map(|e| match e {
                BuildEvent::Output { step, text } => Some((*step, text.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(out, vec![(Some(4), "cc -o app"), (Some(4), "linked ok")]);
        assert_eq!(t.outcomes()[2].millis, 1000);
        let (step, message) = t.failed.clone().unwrap();
        assert_eq!(step, Some(8));
        assert!(message.contains("exit code: 3"));
        // The failed step is marked at its line.
        assert_eq!(t.outcomes()[5].first_line, Some(8));
    }

    #[test]
    fn only_instructions_that_make_a_vertex_are_numbered() {
        let d = crate::build::dockerfile::parse(
            "FROM base\nLABEL a=b\nENV X=1\nRUN echo  hi\nWORKDIR /w\nCMD [\"x\"]\nCOPY Dockerfile /d\n",
        )
        .unwrap();
        let t = Tracker::new(&d, 7);
        assert_eq!(t.step_of("[1/4] FROM docker.io/library/base"), Some(1));
        assert_eq!(t.step_of("[2/4] RUN echo hi"), Some(4));
        assert_eq!(t.step_of("[3/4] WORKDIR /w"), Some(5));
        assert_eq!(t.step_of("[stage-0 4/4] COPY Dockerfile /d"), Some(7));
        // Numbered over every instruction, as other versions do.
        assert_eq!(t.step_of("[7/7] COPY Dockerfile /d"), Some(7));
        assert_eq!(t.step_of("[4/4] RUN something else"), None);
        // FROM scratch makes no vertex: BuildKit starts at the first that does.
        let d =
            crate::build::dockerfile::parse("FROM scratch\nLABEL a=b\nCOPY x /x\nRUN y\n").unwrap();
        let t = Tracker::new(&d, 4);
        assert_eq!(t.step_of("[1/2] COPY x /x"), Some(3));
        assert_eq!(t.step_of("[2/2] RUN y"), Some(4));
        assert_eq!(t.step_of("[0/2] RUN y"), Some(4), "by its text");
        assert_eq!(t.step_of("[0/2] RUN z"), None);
    }

    #[test]
    fn a_miss_after_a_miss_in_one_stage_says_which_and_odd_names_are_no_step() {
        let d = crate::build::dockerfile::parse("FROM base\nCOPY a /a\nRUN x\nRUN y\n").unwrap();
        let mut t = Tracker::new(&d, 4);
        let mut emit = |_| {};
        t.read(
            &StatusResponse {
                vertexes: vec![
                    v(
                        "1",
                        "[1/4] FROM docker.io/library/base",
                        ts(0, 0),
                        ts(0, 0),
                        true,
                    ),
                    v("2", "[2/4] COPY a /a", ts(0, 1), ts(0, 2), false),
                    v("3", "[3/4] RUN x", ts(0, 3), ts(0, 4), false),
                    v("4", "[4/4] RUN y", ts(0, 5), ts(0, 6), false),
                    v("5", "[7/4] RUN nothing-there", ts(0, 5), ts(0, 6), false),
                    v("6", "[2/4] RUN not-the-keyword", ts(0, 5), ts(0, 6), false),
                    v("7", "exporting to image", ts(0, 7), ts(0, 8), false),
                    v("8", "[", None, None, false),
                ],
                ..Default::default()
            },
            &mut emit,
        );
        let steps: Vec<(u32, StepCache, Option<u32>)> = t
            .outcomes()
            .iter()
            .map(|s| (s.step, s.cache, s.after))
            .collect();
        assert_eq!(
            steps,
            vec![
                (1, StepCache::Base, None),
                (2, StepCache::Miss, None),
                (3, StepCache::Miss, Some(2)),
                (4, StepCache::Miss, Some(2)),
            ]
        );
    }
}
