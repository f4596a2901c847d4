//! Context files and how they bind to a mission's required inputs.
//!
//! Users hand over files (or folders) positionally, as BOS-AI's `/coord [mission] [context-file...]`
//! does. Each file goes to the input it matches best: an explicit `--input "Name=path"`, then a
//! front-matter `input:` key, then its H1 title, then its file name, then the phrases of the
//! input's description (`Vision/Mission, Strategic Roadmap, Marketing Bible/Plan`). A file that
//! matches nothing is still passed to agents as extra context, and reported.

use coord_mission::{Input, Mission};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One context file, read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContextFile {
    /// The path as given (or found inside a given folder).
    pub path: PathBuf,
    /// The file's text.
    #[serde(skip)]
    pub text: String,
    /// The first `# ` heading of a Markdown file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `input:` from the file's front matter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_input: Option<String>,
}

/// Why a file was bound to an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// A phrase of the input's description appears in the file name or title.
    Description,
    /// What the file states (the mission pack's reading: a revenue target, pipeline stages).
    Content,
    /// The file name contains the input's name.
    FileName,
    /// The file's title contains the input's name.
    Title,
    /// The file's front matter says `input: <name>`.
    FrontMatter,
    /// `--input "Name=path"`.
    Explicit,
}

/// A file bound to an input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bound {
    /// The file.
    #[serde(flatten)]
    pub file: ContextFile,
    /// Why it was bound.
    pub matched_by: MatchedBy,
    /// The detail, for content matches (`states the revenue target at line 3`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The mission's inputs, bound to files.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Inputs {
    /// Input name → files, in the mission's input order.
    pub bound: BTreeMap<String, Vec<Bound>>,
    /// Files that matched no input; agents still see them.
    pub extra: Vec<ContextFile>,
}

impl Inputs {
    /// The files bound to `input` (case-insensitive).
    pub fn files(&self, input: &str) -> &[Bound] {
        self.bound
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(input))
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    /// Every file, bound or extra.
    pub fn all_files(&self) -> impl Iterator<Item = &ContextFile> {
        self.bound
            .values()
            .flatten()
            .map(|b| &b.file)
            .chain(self.extra.iter())
    }

    /// The mission's required inputs that have no file.
    pub fn missing<'m>(&self, mission: &'m Mission) -> Vec<&'m Input> {
        mission
            .inputs
            .iter()
            .filter(|i| i.flag.is_required() && self.files(&i.name).is_empty())
            .collect()
    }
}

/// A context file problem.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A file or folder is missing or unreadable.
    #[error("cannot read context file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file is not UTF-8 text.
    #[error("{}:{line}: context file is not valid UTF-8 text", path.display())]
    NotText {
        /// The file.
        path: PathBuf,
        /// The first bad line.
        line: usize,
    },
    /// `--input NAME=path` names an input the mission does not have.
    #[error("--input names `{name}`, which is not an input of this mission (its inputs: {known})")]
    UnknownInput {
        /// The name given.
        name: String,
        /// The mission's inputs, comma-separated.
        known: String,
    },
    /// `--input` without `=`.
    #[error("--input expects `NAME=PATH`, got `{0}`")]
    BadSpec(String),
}

/// File extensions read from folders given as context.
const CONTEXT_EXTENSIONS: &[&str] = &["md", "markdown", "txt", "toml", "yaml", "yml", "json"];

/// Reads context files; folders are searched recursively (sorted, hidden entries skipped).
pub fn read_context(paths: &[PathBuf]) -> Result<Vec<ContextFile>, InputError> {
    let mut out = Vec::new();
    // Each directory and file once, however it is reached (a symlink back up the tree, the
    // same file named twice): by its canonical path.
    let mut seen_dirs = std::collections::HashSet::new();
    let mut seen_files = std::collections::HashSet::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| InputError::Io {
            path: p.clone(),
            source,
        })?;
        let mut found = Vec::new();
        if meta.is_dir() {
            walk(p, &mut found, &mut seen_dirs).map_err(|source| InputError::Io {
                path: p.clone(),
                source,
            })?;
        } else {
            found.push(p.clone());
        }
        for f in found {
            let id = std::fs::canonicalize(&f).unwrap_or_else(|_| f.clone());
            if seen_files.insert(id) {
                out.push(read_one(&f)?);
            }
        }
    }
    Ok(out)
}

fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> std::io::Result<()> {
    if !seen.insert(std::fs::canonicalize(dir)?) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out, seen)?;
        } else if p.extension().is_some_and(|e| {
            CONTEXT_EXTENSIONS.contains(&e.to_string_lossy().to_ascii_lowercase().as_str())
        }) {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads one context file.
pub fn read_one(path: &Path) -> Result<ContextFile, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        InputError::NotText {
            path: path.to_path_buf(),
            line: e.as_bytes()[..valid]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1,
        }
    })?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    // Structured files name their input with a top-level `input` key; Markdown with front
    // matter. Only Markdown and text files have a title (`#` is a comment in TOML and YAML).
    let (declared_input, title) = match ext.as_str() {
        // A comment header counts as the title: `# Business Objectives for FY2027`.
        "toml" | "yaml" | "yml" => (
            structured_input(&ext, &text),
            text.lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && *l != "---")
                .and_then(|l| l.strip_prefix('#'))
                .map(|t| t.trim_start_matches('#').trim().to_string())
                .filter(|t| !t.is_empty()),
        ),
        "json" => (structured_input(&ext, &text), None),
        _ => (
            front_matter_input(&text),
            text.lines()
                .find_map(|l| l.strip_prefix("# "))
                .map(|t| t.trim().to_string()),
        ),
    };
    Ok(ContextFile {
        path: path.to_path_buf(),
        text,
        title,
        declared_input,
    })
}

fn front_matter_input(text: &str) -> Option<String> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let end = rest.find("\n---")?;
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&rest[..end]).ok()?;
    match yaml.get("input")? {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn structured_input(ext: &str, text: &str) -> Option<String> {
    let v: serde_json::Value = match ext {
        "toml" => serde_json::to_value(text.parse::<toml::Table>().ok()?).ok()?,
        "json" => serde_json::from_str(text).ok()?,
        _ => serde_yaml_ng::from_str(text).ok()?,
    };
    v.get("input")?.as_str().map(str::to_string)
}

/// Parses `--input "Name=path"` values.
pub fn parse_specs(specs: &[String]) -> Result<Vec<(String, PathBuf)>, InputError> {
    specs
        .iter()
        .map(|s| {
            s.split_once('=')
                .map(|(n, p)| (n.trim().to_string(), PathBuf::from(p.trim())))
                .filter(|(n, p)| !n.is_empty() && !p.as_os_str().is_empty())
                .ok_or_else(|| InputError::BadSpec(s.clone()))
        })
        .collect()
}

/// What a file's content says about the inputs it belongs to: (input, reason), best first.
pub type Classifier<'a> = &'a dyn Fn(&ContextFile) -> Vec<(String, String)>;

/// Binds files to the mission's inputs.
pub fn bind(
    mission: &Mission,
    files: Vec<ContextFile>,
    explicit: &[(String, PathBuf)],
) -> Result<Inputs, InputError> {
    bind_with(mission, files, explicit, None)
}

/// Binds files to the mission's inputs, using `classify` for what their content says: a file
/// that front matter, title and name do not bind goes to the input its content belongs to, and
/// a required input left without a file is covered by a bound file whose content also belongs
/// to it.
pub fn bind_with(
    mission: &Mission,
    files: Vec<ContextFile>,
    explicit: &[(String, PathBuf)],
    classify: Option<Classifier<'_>>,
) -> Result<Inputs, InputError> {
    let mut inputs = Inputs::default();
    for (name, path) in explicit {
        let input = mission
            .input(name)
            .ok_or_else(|| InputError::UnknownInput {
                name: name.clone(),
                known: mission
                    .inputs
                    .iter()
                    .map(|i| format!("`{}`", i.name))
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        inputs
            .bound
            .entry(input.name.clone())
            .or_default()
            .push(Bound {
                file: read_one(path)?,
                matched_by: MatchedBy::Explicit,
                reason: None,
            });
    }
    for file in files {
        if explicit.iter().any(|(_, p)| p == &file.path) {
            continue;
        }
        let by_name = best_input(mission, &file);
        let by_content = match (&by_name, classify) {
            (Some((_, how)), _) if *how >= MatchedBy::FileName => None,
            (_, Some(c)) => c(&file)
                .into_iter()
                .find(|(i, _)| mission.input(i).is_some()),
            _ => None,
        };
        match (by_name, by_content) {
            (_, Some((input, reason))) => {
                let name = mission
                    .input(&input)
                    .map(|i| i.name.clone())
                    .unwrap_or(input);
                inputs.bound.entry(name).or_default().push(Bound {
                    file,
                    matched_by: MatchedBy::Content,
                    reason: Some(reason),
                })
            }
            (Some((input, how)), None) => inputs.bound.entry(input).or_default().push(Bound {
                file,
                matched_by: how,
                reason: None,
            }),
            (None, None) => inputs.extra.push(file),
        }
    }
    // A required input without a file: a bound file whose content covers it covers it too.
    if let Some(c) = classify {
        for input in mission.inputs.iter().filter(|i| i.flag.is_required()) {
            if !inputs.files(&input.name).is_empty() {
                continue;
            }
            let found = inputs.all_files().find_map(|f| {
                c(f).into_iter()
                    .find(|(i, _)| i.eq_ignore_ascii_case(&input.name))
                    .map(|(_, reason)| (f.clone(), reason))
            });
            if let Some((file, reason)) = found {
                inputs
                    .bound
                    .entry(input.name.clone())
                    .or_default()
                    .push(Bound {
                        file,
                        matched_by: MatchedBy::Content,
                        reason: Some(format!("also {reason}")),
                    });
            }
        }
    }
    Ok(inputs)
}

fn best_input(mission: &Mission, file: &ContextFile) -> Option<(String, MatchedBy)> {
    if let Some(declared) = &file.declared_input
        && let Some(i) = mission.input(declared)
    {
        return Some((i.name.clone(), MatchedBy::FrontMatter));
    }
    let stem = file
        .path
        .file_stem()
        .map(|s| words(&s.to_string_lossy()))
        .unwrap_or_default();
    let title = file.title.as_deref().map(words).unwrap_or_default();
    let mut best: Option<(MatchedBy, usize, &Input)> = None;
    for (pos, input) in mission.inputs.iter().enumerate() {
        let name = words(&input.name);
        let how = if contains_all(&title, &name) {
            Some(MatchedBy::Title)
        } else if contains_all(&stem, &name) {
            Some(MatchedBy::FileName)
        } else if description_phrases(&input.description)
            .iter()
            .any(|p| contains_all(&title, p) || contains_all(&stem, p))
        {
            Some(MatchedBy::Description)
        } else {
            None
        };
        if let Some(how) = how {
            // Higher match kinds win; among equals, the earlier input.
            if best.is_none_or(|(b, bpos, _)| how > b || (how == b && pos < bpos)) {
                best = Some((how, pos, input));
            }
        }
    }
    best.map(|(how, _, i)| (i.name.clone(), how))
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn contains_all(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && needle.iter().all(|w| haystack.contains(w))
}

/// `Vision/Mission, Strategic Roadmap, Marketing Bible/Plan` → [vision], [mission],
/// [strategic roadmap], [marketing bible], [marketing plan].
fn description_phrases(desc: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for item in desc.split([',', ';']) {
        let parts: Vec<&str> = item.split('/').map(str::trim).collect();
        let first = words(parts[0]);
        if first.len() > 3 {
            continue; // prose, not a document name
        }
        out.push(first.clone());
        for p in &parts[1..] {
            let w = words(p);
            if w.len() == 1 && first.len() > 1 {
                let mut prefixed = first[..first.len() - 1].to_vec();
                prefixed.extend(w);
                out.push(prefixed);
            } else if !w.is_empty() && w.len() <= 3 {
                out.push(w);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use coord_mission::parse_mission;

    fn mission() -> Mission {
        let src = "# Mission: S\n\n## Required Inputs\n\n1. **Sales Bible** (required) - Completed strategic sales foundation document\n2. **Foundation Documents** (required) - Vision/Mission, Strategic Roadmap, Marketing Bible/Plan\n3. **Business Objectives** (required) - Revenue targets, growth goals, customer acquisition objectives\n4. **Resource Constraints** (required) - Time availability, budget limitations, tool requirements\n";
        parse_mission(src, Path::new("s.md")).mission
    }

    fn file(name: &str, text: &str) -> ContextFile {
        ContextFile {
            path: PathBuf::from(name),
            text: text.to_string(),
            title: text
                .lines()
                .find_map(|l| l.strip_prefix("# "))
                .map(str::to_string),
            declared_input: front_matter_input(text),
        }
    }

    #[test]
    fn files_bind_by_front_matter_title_name_and_description() {
        let m = mission();
        let files = vec![
            file("notes/a.md", "---\ninput: Resource Constraints\n---\nhours"),
            file("b.md", "# Our Sales Bible\n"),
            file("business-objectives.yaml", "revenue_target: 1"),
            file("vision-mission.md", "# Vision"),
            file("marketing-plan.md", "x"),
            file("random.md", "# Lunch menu"),
        ];
        let i = bind(&m, files, &[]).unwrap();
        assert_eq!(
            i.files("Resource Constraints")[0].matched_by,
            MatchedBy::FrontMatter
        );
        assert_eq!(i.files("Sales Bible")[0].matched_by, MatchedBy::Title);
        assert_eq!(
            i.files("Business Objectives")[0].matched_by,
            MatchedBy::FileName
        );
        let f: Vec<_> = i
            .files("Foundation Documents")
            .iter()
            .map(|b| b.file.path.clone())
            .collect();
        assert_eq!(
            f,
            [
                PathBuf::from("vision-mission.md"),
                PathBuf::from("marketing-plan.md")
            ]
        );
        assert_eq!(i.extra.len(), 1);
        assert!(i.missing(&m).is_empty());
    }

    #[test]
    fn an_explicit_binding_overrides_matching() {
        let d = tempfile::tempdir().unwrap();
        let notes = d.path().join("notes.md");
        std::fs::write(&notes, "# Lunch menu\n").unwrap();
        let m = mission();
        let files = vec![read_one(&notes).unwrap(), file("sales-bible.md", "")];
        let i = bind(&m, files, &[("sales bible".into(), notes.clone())]).unwrap();
        let sb: Vec<_> = i
            .files("Sales Bible")
            .iter()
            .map(|b| (b.file.path.clone(), b.matched_by))
            .collect();
        assert_eq!(
            sb,
            [
                (notes, MatchedBy::Explicit),
                (PathBuf::from("sales-bible.md"), MatchedBy::FileName)
            ]
        );
        assert!(
            i.extra.is_empty(),
            "an explicitly bound file is not matched again"
        );
    }

    #[test]
    fn missing_and_unknown_inputs() {
        let m = mission();
        let i = bind(&m, vec![file("sales-bible.md", "")], &[]).unwrap();
        let missing: Vec<&str> = i.missing(&m).iter().map(|x| x.name.as_str()).collect();
        assert_eq!(
            missing,
            [
                "Foundation Documents",
                "Business Objectives",
                "Resource Constraints"
            ]
        );
        let e = bind(&m, vec![], &[("Sales Bibel".into(), PathBuf::from("x"))]).unwrap_err();
        assert!(e.to_string().contains("`Sales Bible`"));
        assert!(parse_specs(&["nope".into()]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_in_a_context_folder_is_walked_once() {
        let d = tempfile::tempdir().unwrap();
        let ctx = d.path().join("ctx");
        std::fs::create_dir_all(ctx.join("sub")).unwrap();
        std::fs::write(ctx.join("notes.md"), "# Notes\n").unwrap();
        std::fs::write(ctx.join("sub/more.md"), "# More\n").unwrap();
        std::os::unix::fs::symlink("..", ctx.join("sub/up")).unwrap();
        let files = read_context(&[ctx.clone(), ctx.join("notes.md")]).unwrap();
        assert_eq!(
            files.len(),
            2,
            "each file once: {:?}",
            files.iter().map(|f| &f.path).collect::<Vec<_>>()
        );
    }
}
