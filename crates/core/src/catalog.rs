//! Finding missions and agents on their search paths.
//!
//! Missions: the project's `missions/`, then `paths.missions`, then the ones built into the binary.
//! Agents: the project's `agents/`, then `paths.agents`, then — for a mission given by path inside
//! a BOS-AI checkout — the checkout's own `agents/` and `.claude/agents/`, found by walking up from
//! the mission file, then the built-in ones. The first definition of a name wins, so a project can
//! override any agent it borrows, and an installed `coord` still runs its own missions from any
//! directory. Built-in files have paths like `built-in:missions/sales/sales-plan-development.md`.

use coord_mission::{AgentFile, Diagnostic, LoadError, Parsed, parse_agent_file, suggest};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file built into the binary: its path in the project (`missions/sales/x.md`) and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// Path relative to the project root, `/`-separated.
    pub path: &'static str,
    /// The file's text.
    pub text: &'static str,
}

/// How a built-in file's path starts.
pub const BUILTIN: &str = "built-in:";

/// The path a built-in file is shown and recorded under.
pub fn builtin_path(b: &Builtin) -> PathBuf {
    PathBuf::from(format!("{BUILTIN}{}", b.path))
}

/// The built-in files under `folder/` (`missions`, `agents`), with their paths.
fn builtins_in<'a>(
    builtins: &'a [Builtin],
    folder: &'a str,
) -> impl Iterator<Item = (PathBuf, &'a Builtin)> + 'a {
    builtins
        .iter()
        .filter(move |b| {
            b.path.ends_with(".md")
                && b.path
                    .strip_prefix(folder)
                    .is_some_and(|r| r.starts_with('/'))
        })
        .map(|b| (builtin_path(b), b))
}

/// Reads and parses a mission file, or the built-in one of that path.
pub fn load(path: &Path, builtins: &[Builtin]) -> Result<Parsed, LoadError> {
    match builtins.iter().find(|b| builtin_path(b) == path) {
        Some(b) => Ok(coord_mission::parse_mission_bytes(b.text.as_bytes(), path)),
        None => coord_mission::load_mission(path),
    }
}

/// A mission file as a run uses it: the mission shared, what the parser noticed, and the text.
#[derive(Debug)]
pub struct Loaded {
    /// The mission.
    pub mission: Arc<coord_mission::Mission>,
    /// What the parser noticed, in line order.
    pub diagnostics: Vec<Diagnostic>,
    /// The text that was parsed.
    pub source: String,
}

/// [`load`], parsed once per process for each text the file has had: the file is read every
/// time (an edit is seen), but many runs of one mission share one parse.
pub fn load_shared(path: &Path, builtins: &[Builtin]) -> Result<Arc<Loaded>, LoadError> {
    static MEMO: TextMemo<Arc<Loaded>> = TextMemo::new();
    let builtin = builtins.iter().find(|b| builtin_path(b) == path);
    let bytes = match builtin {
        Some(b) => std::borrow::Cow::Borrowed(b.text.as_bytes()),
        None => std::borrow::Cow::Owned(std::fs::read(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?),
    };
    Ok(MEMO.get(path, &bytes, || {
        let parsed = coord_mission::parse_mission_bytes(&bytes, path);
        Arc::new(Loaded {
            mission: Arc::new(parsed.mission),
            diagnostics: parsed.diagnostics,
            source: parsed.source,
        })
    }))
}

/// All `.md` files under `dir`, sorted, skipping hidden folders and backups.
pub fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut out);
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if p.is_dir() {
            if !name.starts_with('.') && name != "backups" && name != "target" {
                walk(&p, out);
            }
        } else if name.ends_with(".md") {
            out.push(p);
        }
    }
}

/// The agents found on a search path.
#[derive(Debug, Clone, Default)]
pub struct AgentCatalog {
    /// Name → definition (first one found wins).
    pub agents: BTreeMap<String, Arc<AgentFile>>,
    /// Files that look like agent files (front matter) but do not parse, by file stem.
    pub broken: BTreeMap<String, Diagnostic>,
    /// Later definitions hidden by an earlier one: (name, hidden file).
    pub shadowed: Vec<(String, PathBuf)>,
    /// The folders searched, in order.
    pub roots: Vec<PathBuf>,
}

impl AgentCatalog {
    /// Scans `roots` in order, then the built-in agents.
    pub fn scan(roots: &[PathBuf], builtins: &[Builtin]) -> Self {
        let mut cat = Self {
            roots: roots.to_vec(),
            ..Self::default()
        };
        let on_disk = roots.iter().flat_map(|root| {
            markdown_files(root)
                .into_iter()
                .filter_map(|f| std::fs::read_to_string(&f).ok().map(|t| (f, t)))
        });
        let on_disk = on_disk.map(|(f, text)| {
            let parsed = text.starts_with("---").then(|| parsed_file(&text, &f));
            (f, parsed, false)
        });
        let built_in = builtins_in(builtins, "agents").map(|(p, b)| {
            let parsed = b.text.starts_with("---").then(|| parsed_builtin(b, &p));
            (p, parsed, true)
        });
        for (f, parsed, builtin) in on_disk.chain(built_in) {
            // Only files with front matter are agent files; READMEs and notes are skipped.
            let Some(parsed) = parsed else { continue };
            match parsed {
                // A built-in agent that the project redefines is the override, not a duplicate.
                Ok(a) if cat.agents.contains_key(&a.name) => {
                    if !builtin {
                        cat.shadowed.push((a.name.clone(), f));
                    }
                }
                Ok(a) => {
                    cat.agents.insert(a.name.clone(), a);
                }
                Err(d) => {
                    let stem = f
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    cat.broken.entry(stem).or_insert(*d);
                }
            }
        }
        cat
    }

    /// The known agent names.
    pub fn names(&self) -> coord_mission::KnownAgents {
        self.agents.keys().cloned().collect()
    }
}

/// A built-in agent file, parsed once per process (its text never changes): a process running
/// many missions does not parse the same files for each.
fn parsed_builtin(b: &Builtin, path: &Path) -> Result<Arc<AgentFile>, Box<Diagnostic>> {
    type Parse = Result<Arc<AgentFile>, Box<Diagnostic>>;
    static CACHE: std::sync::OnceLock<std::sync::Mutex<HashMap<(usize, usize), Parse>>> =
        std::sync::OnceLock::new();
    let key = (b.text.as_ptr() as usize, b.text.len());
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    cache
        .entry(key)
        .or_insert_with(|| parse_agent_file(b.text, path).map(Arc::new))
        .clone()
}

/// A parse memo keyed by a file's path and a hash of its text: a process that runs many
/// missions reads the files each time, so an edit is seen, but parses a text only once.
struct TextMemo<V>(std::sync::OnceLock<std::sync::Mutex<HashMap<(PathBuf, u64), V>>>);

impl<V: Clone> TextMemo<V> {
    const fn new() -> Self {
        Self(std::sync::OnceLock::new())
    }

    fn get(&self, path: &Path, text: &[u8], parse: impl FnOnce() -> V) -> V {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        let key = (path.to_path_buf(), h.finish());
        let cache = self.0.get_or_init(Default::default);
        if let Some(v) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return v.clone();
        }
        // Parsed outside the lock: other runs are not held up by this one's parse.
        let v = parse();
        let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() > 4096 {
            cache.clear();
        }
        cache.insert(key, v.clone());
        v
    }
}

/// An agent file on disk, parsed once per process for each text it has had.
fn parsed_file(text: &str, path: &Path) -> Result<Arc<AgentFile>, Box<Diagnostic>> {
    static MEMO: TextMemo<Result<Arc<AgentFile>, Box<Diagnostic>>> = TextMemo::new();
    MEMO.get(path, text.as_bytes(), || {
        parse_agent_file(text, path).map(Arc::new)
    })
}

/// Agent folders for a run: the project's `agents/`, the configured ones, and the BOS-AI
/// checkout around `mission_path` (its `agents/` and `.claude/agents/`), without duplicates.
pub fn agent_roots(
    cwd: &Path,
    configured: &[PathBuf],
    mission_path: Option<&Path>,
) -> Vec<PathBuf> {
    let mut roots = vec![cwd.join("agents")];
    roots.extend(configured.iter().map(|p| cwd.join(p)));
    if let Some(m) = mission_path {
        let abs = if m.is_absolute() {
            m.to_path_buf()
        } else {
            cwd.join(m)
        };
        for dir in abs.ancestors().skip(1) {
            for sub in ["agents", ".claude/agents"] {
                let cand = dir.join(sub);
                if cand.is_dir() {
                    roots.push(cand);
                }
            }
        }
    }
    let mut seen = Vec::new();
    roots.retain(|r| {
        let key = r.canonicalize().unwrap_or_else(|_| r.clone());
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
    roots
}

/// Mission folders: the project's `missions/`, then the configured ones.
pub fn mission_roots(cwd: &Path, configured: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots = vec![cwd.join("missions")];
    roots.extend(configured.iter().map(|p| cwd.join(p)));
    roots
}

/// A mission found on the search path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionEntry {
    /// The file stem.
    pub name: String,
    /// The file.
    pub path: PathBuf,
}

/// Every mission file on the search path, then the built-in ones, first of each name only,
/// sorted by name.
pub fn list_missions(roots: &[PathBuf], builtins: &[Builtin]) -> Vec<MissionEntry> {
    let mut by_name: BTreeMap<String, PathBuf> = BTreeMap::new();
    let files = roots
        .iter()
        .flat_map(|r| markdown_files(r))
        .chain(builtins_in(builtins, "missions").map(|(p, _)| p));
    for f in files {
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.eq_ignore_ascii_case("readme") {
            continue;
        }
        by_name.entry(name).or_insert(f);
    }
    by_name
        .into_iter()
        .map(|(name, path)| MissionEntry { name, path })
        .collect()
}

/// The mission argument could not be resolved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FindError {
    /// No file and no mission of that name.
    #[error("no mission `{name}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    NotFound {
        /// What was asked for.
        name: String,
        /// The closest known name.
        suggestion: Option<String>,
        /// Folders searched.
        searched: Vec<PathBuf>,
    },
}

/// Resolves a mission argument: an existing file path, or a name on the search path or built in.
pub fn find_mission(
    arg: &str,
    roots: &[PathBuf],
    builtins: &[Builtin],
) -> Result<PathBuf, FindError> {
    let p = Path::new(arg);
    if p.is_file() {
        return Ok(p.to_path_buf());
    }
    let looks_like_path = arg.contains('/') || arg.contains('\\') || arg.ends_with(".md");
    let name = arg.trim_end_matches(".md");
    let all = list_missions(roots, builtins);
    if (!looks_like_path || !p.exists())
        && let Some(m) = all.iter().find(|m| m.name == name)
    {
        return Ok(m.path.clone());
    }
    let names: Vec<String> = all.into_iter().map(|m| m.name).collect();
    Err(FindError::NotFound {
        name: arg.to_string(),
        suggestion: if looks_like_path {
            None
        } else {
            suggest(name, &names).map(str::to_string)
        },
        searched: roots.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mission_text_is_parsed_once_and_an_edit_is_seen() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("m.md");
        std::fs::write(&f, "# Mission: One\n\n## Mission Phases\n").unwrap();
        let a = load_shared(&f, &[]).unwrap();
        assert!(Arc::ptr_eq(&a, &load_shared(&f, &[]).unwrap()));
        assert_eq!(a.mission.title, "One");
        std::fs::write(&f, "# Mission: Two\n\n## Mission Phases\n").unwrap();
        assert_eq!(load_shared(&f, &[]).unwrap().mission.title, "Two");
        assert!(matches!(
            load_shared(&d.path().join("none.md"), &[]),
            Err(LoadError::Io { .. })
        ));
    }

    #[test]
    fn first_definition_wins_and_broken_files_are_kept_aside() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a");
        let b = d.path().join("b/sub");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("x.md"), "---\nname: x\nbackend: rules\n---\nA").unwrap();
        std::fs::write(b.join("x.md"), "---\nname: x\n---\nB").unwrap();
        std::fs::write(b.join("y.md"), "---\nname: [y\n---\n").unwrap();
        std::fs::write(b.join("README.md"), "# Agents\n").unwrap();
        let cat = AgentCatalog::scan(&[a.clone(), d.path().join("b")], &[]);
        assert_eq!(cat.agents["x"].prompt, "A");
        assert_eq!(cat.shadowed.len(), 1);
        assert!(cat.broken.contains_key("y"));
        assert_eq!(cat.agents.len(), 1);
    }

    #[test]
    fn missions_by_name_with_suggestions() {
        let d = tempfile::tempdir().unwrap();
        let m = d.path().join("missions/sales");
        std::fs::create_dir_all(&m).unwrap();
        std::fs::write(m.join("sales-plan-development.md"), "# Mission: S").unwrap();
        let roots = mission_roots(d.path(), &[]);
        assert_eq!(
            find_mission("sales-plan-development", &roots, &[]).unwrap(),
            m.join("sales-plan-development.md")
        );
        let e = find_mission("sales-plan-developmnt", &roots, &[]).unwrap_err();
        assert!(
            e.to_string()
                .contains("did you mean `sales-plan-development`"),
            "{e}"
        );
    }

    #[test]
    fn built_in_missions_and_agents_come_after_the_project_and_yield_to_it() {
        const BUILT_IN: &[Builtin] = &[
            Builtin {
                path: "missions/demo/brief.md",
                text: "# Mission: Brief\n",
            },
            Builtin {
                path: "agents/writer.md",
                text: "---\nname: writer\ndescription: built in\n---\nB",
            },
            Builtin {
                path: "agents/editor.md",
                text: "---\nname: editor\ndescription: built in\n---\nE",
            },
        ];
        let d = tempfile::tempdir().unwrap();
        let roots = mission_roots(d.path(), &[]);
        let found = find_mission("brief", &roots, BUILT_IN).unwrap();
        assert_eq!(found, PathBuf::from("built-in:missions/demo/brief.md"));
        assert_eq!(load(&found, BUILT_IN).unwrap().mission.title, "Brief");
        // A project file of the same name wins.
        std::fs::create_dir_all(d.path().join("missions")).unwrap();
        std::fs::write(d.path().join("missions/brief.md"), "# Mission: Ours").unwrap();
        assert_eq!(
            find_mission("brief", &roots, BUILT_IN).unwrap(),
            d.path().join("missions/brief.md")
        );
        let agents = d.path().join("agents");
        std::fs::create_dir_all(&agents).unwrap();
        std::fs::write(agents.join("writer.md"), "---\nname: writer\n---\nP").unwrap();
        let cat = AgentCatalog::scan(&[agents], BUILT_IN);
        assert_eq!(cat.agents["writer"].prompt, "P");
        assert_eq!(cat.agents["editor"].prompt, "E");
        assert!(cat.shadowed.is_empty(), "an override is not a duplicate");
    }
}
