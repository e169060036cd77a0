//! Labs (L5): the learners' exercises as guided walkthroughs that Berth
//! checks against the engine. A lab is data: one YAML file, English and
//! Korean side by side (the format is in the README), shipped in `labs/`
//! or added by a teacher to the labs folder. Each step says its goal, the
//! concept behind it, the `docker` command, and the Berth way; its check
//! reads the engine's state, so a step done by mouse or in a terminal
//! ticks alike. Everything a lab makes carries the label `berth.lab=<id>`
//! or is named in its `cleanup`, so reset removes exactly that.

pub mod check;
pub mod reset;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::said::Said;

/// The label every object a lab makes carries: `berth.lab=<lab id>`.
pub const LABEL: &str = "berth.lab";

/// A sentence in both of Berth's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub ko: String,
}

/// A value the lab's texts and commands use as `{name}`: an image, a port.
/// The shipped labs use the images the notes use; the tests give the
/// project's fixtures through the same definitions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    pub default: String,
    pub label: Text,
}

/// A file the lab puts in its folder before the first step (a Dockerfile,
/// a page). `{name}`s are filled in; an existing file is left as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct WorkFile {
    pub path: String,
    pub content: String,
}

/// Where Berth explains the concept a step is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// The screen whose explanation it is (`containers`, `images`...).
    pub screen: String,
    pub text: Text,
}

/// The Berth way of a step: which screen opens, with what filled in. It is
/// never submitted for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", tag = "screen", deny_unknown_fields)]
pub enum BerthWay {
    /// The Run dialog.
    #[serde(rename_all = "camelCase")]
    Run {
        image: String,
        #[serde(default)]
        name: String,
        #[serde(default)]
        command: String,
        #[serde(default)]
        ports: Vec<String>,
        /// `NAME:/path` volume rows.
        #[serde(default)]
        volumes: Vec<String>,
        #[serde(default)]
        interactive: bool,
    },
    /// Images: the Pull panel.
    Pull { reference: String },
    /// An image's details (layers, history, tags, push).
    Image { reference: String },
    /// Build: a folder and a tag.
    Build { folder: String, tag: String },
    /// A container's Files tab at a path (copy in and out).
    Files { container: String, path: String },
    /// A container's terminal.
    Terminal { container: String },
    /// A container's Commit panel.
    Commit {
        container: String,
        repository: String,
    },
    /// Volumes: the create form.
    Volume { name: String },
    /// A container, selected in the list.
    Container { name: String },
}

/// One step of a lab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub goal: Text,
    pub concept: Concept,
    /// The `docker` commands, one per line, as a learner would type them.
    pub cli: Vec<String>,
    #[serde(default)]
    pub berth: Option<BerthWay>,
    /// Asked of the learner when the step's check is an `answer`.
    #[serde(default)]
    pub question: Option<Text>,
    pub check: check::Check,
}

/// What reset removes besides the labelled objects: references the lab's
/// commands tag or pull (a tag cannot carry a label), and containers by
/// name when made from an image that is not the lab's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct Cleanup {
    #[serde(default)]
    pub images: Vec<String>,
    /// Volumes a Berth way may make without a label (the Run dialog makes
    /// a named volume that is missing).
    #[serde(default)]
    pub volumes: Vec<String>,
}

/// A lab, as its file says (before its `{name}`s are filled in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    pub id: String,
    pub title: Text,
    pub about: Text,
    #[serde(default)]
    pub params: Vec<Param>,
    #[serde(default)]
    pub files: Vec<WorkFile>,
    pub steps: Vec<Step>,
    #[serde(default)]
    pub cleanup: Cleanup,
    /// Where it came from: `shipped` or the file's path.
    #[serde(default)]
    pub source: String,
}

/// The labs that ship with Berth, in the order the notes teach them.
const SHIPPED: [(&str, &str); 6] = [
    ("web.yaml", include_str!("../../labs/web.yaml")),
    ("layers.yaml", include_str!("../../labs/layers.yaml")),
    ("commit.yaml", include_str!("../../labs/commit.yaml")),
    ("cache.yaml", include_str!("../../labs/cache.yaml")),
    ("share.yaml", include_str!("../../labs/share.yaml")),
    ("volumes.yaml", include_str!("../../labs/volumes.yaml")),
];

/// A lab file that could not be used, and why; the other labs still load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct LabProblem {
    pub file: String,
    pub said: Said,
}

/// Every lab: the shipped ones, then the `.yaml` files in `folder` (a
/// teacher's), each checked. A file with a problem is reported, not fatal.
pub fn catalog(folder: Option<&Path>) -> (Vec<Lab>, Vec<LabProblem>) {
    let mut labs = Vec::new();
    let mut problems = Vec::new();
    for (file, text) in SHIPPED {
        match parse(text, "shipped") {
            Ok(lab) => labs.push(lab),
            Err(said) => problems.push(LabProblem {
                file: file.into(),
                said,
            }),
        }
    }
    let mut extra: Vec<PathBuf> = folder
        .and_then(|f| std::fs::read_dir(f).ok())
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    extra.sort();
    for path in extra {
        let shown = path.display().to_string();
        let lab = std::fs::read_to_string(&path)
            .map_err(|e| Said::LabUnreadable {
                detail: e.to_string(),
            })
            .and_then(|text| parse(&text, &shown));
        match lab {
            Ok(lab) if labs.iter().any(|l: &Lab| l.id == lab.id) => problems.push(LabProblem {
                file: shown,
                said: Said::LabDuplicate { id: lab.id },
            }),
            Ok(lab) => labs.push(lab),
            Err(said) => problems.push(LabProblem { file: shown, said }),
        }
    }
    (labs, problems)
}

/// Reads and checks one lab file.
pub fn parse(text: &str, source: &str) -> std::result::Result<Lab, Said> {
    let mut lab: Lab = serde_yaml::from_str(text).map_err(|e| Said::LabInvalid {
        detail: e.to_string(),
    })?;
    lab.source = source.into();
    validate(&lab)?;
    Ok(lab)
}

fn id_ok(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn validate(lab: &Lab) -> std::result::Result<(), Said> {
    if !id_ok(&lab.id) {
        return Err(Said::LabIdBad { field: "id".into() });
    }
    let mut texts: Vec<(String, &Text)> =
        vec![("title".into(), &lab.title), ("about".into(), &lab.about)];
    for p in &lab.params {
        texts.push((format!("params.{}.label", p.name), &p.label));
    }
    let mut seen = Vec::new();
    for (i, s) in lab.steps.iter().enumerate() {
        if !id_ok(&s.id) || seen.contains(&&s.id) {
            return Err(Said::LabIdBad {
                field: format!("steps[{i}].id"),
            });
        }
        seen.push(&s.id);
        texts.push((format!("steps.{}.goal", s.id), &s.goal));
        texts.push((format!("steps.{}.concept.text", s.id), &s.concept.text));
        if let Some(q) = &s.question {
            texts.push((format!("steps.{}.question", s.id), q));
        }
        if matches!(s.check, check::Check::Answer { .. }) && s.question.is_none() {
            return Err(Said::LabNeedsQuestion {
                field: format!("steps.{}.question", s.id),
            });
        }
        if s.cli.is_empty() {
            return Err(Said::LabNeedsCommand {
                field: format!("steps.{}.cli", s.id),
            });
        }
    }
    if lab.steps.is_empty() {
        return Err(Said::LabNeedsStep);
    }
    for (field, t) in texts {
        if t.en.trim().is_empty() || t.ko.trim().is_empty() {
            return Err(Said::LabNeedsBoth { field });
        }
    }
    // Every {name} used must be a parameter, `workspace` or a learned value.
    let known: Vec<&str> = lab
        .params
        .iter()
        .map(|p| p.name.as_str())
        .chain(["workspace"])
        .chain(lab.steps.iter().filter_map(|s| s.check.learns()))
        .collect();
    let yaml = serde_yaml::to_string(lab).unwrap_or_default();
    for name in placeholders(&yaml) {
        if !known.contains(&name.as_str()) {
            return Err(Said::LabUnknownName { name });
        }
    }
    Ok(())
}

fn placeholders(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        let Some(j) = rest.find('}') else { break };
        let name = &rest[..j];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push(name.to_string());
        }
    }
    out
}

/// The values a lab's `{name}`s take: its parameters (the user's, or the
/// defaults), its folder, and what earlier checks learned.
pub type Values = BTreeMap<String, String>;

/// The values for `lab`: `given` over the defaults, plus `workspace`.
pub fn values(lab: &Lab, given: &Values, workspace: &Path) -> Values {
    let mut v: Values = lab
        .params
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                given
                    .get(&p.name)
                    .cloned()
                    .unwrap_or_else(|| p.default.clone()),
            )
        })
        .collect();
    for (k, x) in given {
        v.entry(k.clone()).or_insert_with(|| x.clone());
    }
    v.insert("workspace".into(), workspace.display().to_string());
    v
}

/// `text` with each known `{name}` replaced; an unknown one stays as it is.
pub fn fill(text: &str, values: &Values) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('}').map(|j| (&after[..j], j)) {
            Some((name, j)) if values.contains_key(name) => {
                out.push_str(&values[name]);
                rest = &after[j + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The lab with every `{name}` filled in, as the window shows it.
pub fn filled(lab: &Lab, values: &Values) -> Result<Lab> {
    let invalid = |e: serde_yaml::Error| {
        Error::failed(Said::LabInvalid {
            detail: e.to_string(),
        })
    };
    let v = serde_yaml::to_value(lab).map_err(invalid)?;
    let mut out: Lab = serde_yaml::from_value(fill_value(v, values)).map_err(invalid)?;
    out.source = lab.source.clone();
    Ok(out)
}

pub(crate) fn fill_value(v: serde_yaml::Value, values: &Values) -> serde_yaml::Value {
    use serde_yaml::Value;
    match v {
        Value::String(s) => Value::String(fill(&s, values)),
        Value::Sequence(items) => {
            Value::Sequence(items.into_iter().map(|x| fill_value(x, values)).collect())
        }
        Value::Mapping(m) => Value::Mapping(
            m.into_iter()
                .map(|(k, x)| (k, fill_value(x, values)))
                .collect(),
        ),
        other => other,
    }
}

/// Puts the lab's files in its folder (`workspace`), leaving any that
/// exist: the learner edits them between steps.
pub fn prepare(lab: &Lab, workspace: &Path) -> Result<()> {
    std::fs::create_dir_all(workspace).map_err(|e| Error::path("workspace", workspace, &e))?;
    for f in &lab.files {
        let rel = Path::new(&f.path);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Err(Error::said(
                "files",
                Said::LabPathOutside {
                    field: format!("files.{}", f.path),
                },
            ));
        }
        let path = workspace.join(rel);
        if path.exists() {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::path("workspace", parent, &e))?;
        }
        std::fs::write(&path, &f.content).map_err(|e| Error::path("workspace", &path, &e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_lab_loads_in_both_languages() {
        let (labs, problems) = catalog(None);
        assert_eq!(problems, vec![]);
        let ids: Vec<&str> = labs.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(
            ids,
            ["web", "layers", "commit", "cache", "share", "volumes"]
        );
    }

    #[test]
    fn a_teachers_lab_with_a_mistake_is_named_and_the_rest_still_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "id: Bad Id\n").unwrap();
        std::fs::write(
            dir.path().join("b.yaml"),
            "id: mine\ntitle: {en: Mine, ko: 내 실습}\nabout: {en: A, ko: 가}\nsteps:\n  - id: one\n    goal: {en: Run it, ko: ''}\n    concept: {screen: containers, text: {en: C, ko: 컨}}\n    cli: [docker ps]\n    check: {kind: volume, name: x}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("c.yaml"), SHIPPED[0].1).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a lab").unwrap();
        let (labs, problems) = catalog(Some(dir.path()));
        assert_eq!(labs.len(), 6);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            matches!(problems[0].said, Said::LabInvalid { .. }),
            "{problems:?}"
        );
        assert!(
            matches!(&problems[1].said, Said::LabNeedsBoth { field } if field == "steps.one.goal"),
            "{problems:?}"
        );
        assert!(matches!(&problems[2].said, Said::LabDuplicate { id } if id == "web"));
    }

    #[test]
    fn names_are_filled_in_and_an_unknown_one_is_refused() {
        let v: Values = [("port".to_string(), "8088".to_string())].into();
        assert_eq!(fill("-p {port}:80 {nope} {", &v), "-p 8088:80 {nope} {");
        let text = SHIPPED[0].1.replace("{port}:80", "{prot}:80");
        assert!(matches!(parse(&text, "x"), Err(Said::LabUnknownName { name }) if name == "prot"));
    }
}
