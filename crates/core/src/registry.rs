//! The one table that turns agent definitions into running agents.
//!
//! A backend name (`rules`, `llm`, or any name a user registers) maps to a constructor; the
//! `rules` backend further maps a rule-set name to a constructor. Mission packs (input checks,
//! success criteria, documents) are registered here and found by what they declare
//! ([`crate::binding`]). Unknown names are errors that list the known ones.

use crate::agent::Agent;
use crate::binding;
use crate::config::Settings;
use crate::outline::Outline;
use crate::pack::MissionPack;
use coord_mission::{AgentFile, Mission};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Everything needed to construct one agent.
#[derive(Debug, Clone)]
pub struct AgentSpec {
    /// The agent's name.
    pub name: String,
    /// Its definition file (shared: every run of a process parses a file's text once).
    pub file: Arc<AgentFile>,
    /// The backend chosen for it (flag → config override → file → default).
    pub backend: String,
    /// The rule set, for the `rules` backend.
    pub rules: Option<String>,
    /// State shared by the agents of one run (and no other): a backend keeps its per-run
    /// services here (an LLM backend its budget, cassette and share of the call limit).
    pub scope: RunScope,
}

/// Values shared by the agents of one run, one per type, made on first use. Every plan gets a
/// new scope, so concurrent runs in one process never share a budget or a cassette.
#[derive(Clone, Default)]
pub struct RunScope(
    Arc<std::sync::Mutex<HashMap<std::any::TypeId, Arc<dyn std::any::Any + Send + Sync>>>>,
);

impl std::fmt::Debug for RunScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RunScope")
    }
}

impl RunScope {
    /// This run's `T`, made by `make` the first time it is asked for.
    pub fn get_or_init<T: Send + Sync + 'static>(&self, make: impl FnOnce() -> T) -> Arc<T> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let any = map
            .entry(std::any::TypeId::of::<T>())
            .or_insert_with(|| Arc::new(make()))
            .clone();
        match any.downcast::<T>() {
            Ok(t) => t,
            Err(_) => unreachable!("entries are keyed by their own type"),
        }
    }
}

/// An agent could not be constructed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The backend name is not registered.
    #[error(
        "agent `{agent}` uses backend `{backend}`, which is not known (known backends: {known})"
    )]
    UnknownBackend {
        /// The agent.
        agent: String,
        /// The backend asked for.
        backend: String,
        /// Known backends, comma-separated.
        known: String,
    },
    /// The rule set is not registered.
    #[error(
        "agent `{agent}` uses rule set `{rules}`, which is not known (known rule sets: {known})"
    )]
    UnknownRules {
        /// The agent.
        agent: String,
        /// The rule set asked for.
        rules: String,
        /// Known rule sets, comma-separated.
        known: String,
    },
    /// A constructor refused the definition.
    #[error("cannot build agent `{agent}`: {message}")]
    Invalid {
        /// The agent.
        agent: String,
        /// Why.
        message: String,
    },
}

/// Builds an agent from its spec and the settings.
pub type Factory =
    Arc<dyn Fn(&AgentSpec, &Settings) -> Result<Arc<dyn Agent>, BuildError> + Send + Sync>;

/// The registry of backends, rule sets and mission packs.
#[derive(Clone)]
pub struct Registry {
    backends: BTreeMap<String, Factory>,
    rule_sets: BTreeMap<String, Factory>,
    packs: BTreeMap<String, Arc<dyn MissionPack>>,
    builtins: Vec<crate::catalog::Builtin>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("backends", &self.backends())
            .field("rule_sets", &self.rule_sets())
            .field("packs", &self.packs.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

/// The name of the built-in rules backend.
pub const RULES: &str = "rules";

impl Registry {
    /// A registry with the built-in `rules` backend and its `outline` rule set.
    pub fn new() -> Self {
        let mut r = Self {
            backends: BTreeMap::new(),
            rule_sets: BTreeMap::new(),
            packs: BTreeMap::new(),
            builtins: Vec::new(),
        };
        r.register_rules("outline", |spec, _| {
            Ok(Arc::new(Outline::new(&spec.name, &spec.file.description)))
        });
        r
    }

    /// Registers a backend: agents whose backend is `name` are built by `factory`.
    pub fn register_backend(
        &mut self,
        name: &str,
        factory: impl Fn(&AgentSpec, &Settings) -> Result<Arc<dyn Agent>, BuildError>
        + Send
        + Sync
        + 'static,
    ) {
        self.backends.insert(name.to_string(), Arc::new(factory));
    }

    /// Registers a rule set for the `rules` backend.
    pub fn register_rules(
        &mut self,
        name: &str,
        factory: impl Fn(&AgentSpec, &Settings) -> Result<Arc<dyn Agent>, BuildError>
        + Send
        + Sync
        + 'static,
    ) {
        self.rule_sets.insert(name.to_string(), Arc::new(factory));
    }

    /// Registers a pack under the mission its declaration names.
    pub fn register_pack(&mut self, pack: Arc<dyn MissionPack>) {
        self.packs
            .insert(pack.declaration().mission.to_string(), pack);
    }

    /// Adds missions and agents built into the binary, found after every folder on the search
    /// path (`missions/...` and `agents/...` paths).
    pub fn add_builtins(&mut self, files: impl IntoIterator<Item = crate::catalog::Builtin>) {
        self.builtins.extend(files);
    }

    /// The built-in missions and agents.
    pub fn builtins(&self) -> &[crate::catalog::Builtin] {
        &self.builtins
    }

    /// Known backend names, `rules` included.
    pub fn backends(&self) -> Vec<String> {
        let mut v: Vec<String> = self.backends.keys().cloned().collect();
        v.push(RULES.to_string());
        v.sort();
        v.dedup();
        v
    }

    /// Known rule-set names.
    pub fn rule_sets(&self) -> Vec<String> {
        self.rule_sets.keys().cloned().collect()
    }

    /// The pack that serves `mission`: one whose every step binds to a phase of it (by the
    /// phase's name and agents), whatever the mission's file is called. A pack that the mission
    /// names first; then any that binds.
    pub fn pack(&self, mission: &Mission) -> Option<Arc<dyn MissionPack>> {
        let mut packs: Vec<&Arc<dyn MissionPack>> = self.packs.values().collect();
        packs.sort_by_key(|p| !binding::names(&p.declaration(), mission));
        packs
            .into_iter()
            .find(|p| binding::bind(&p.declaration(), mission).is_ok())
            .cloned()
    }

    /// For each pack that `mission` names (by file name or title) but that cannot bind to it:
    /// a sentence saying why, for the terminal. The run then uses the generic outline.
    pub fn unbound(&self, mission: &Mission) -> Vec<String> {
        self.packs
            .values()
            .filter_map(|p| {
                let decl = p.declaration();
                if !binding::names(&decl, mission) {
                    return None;
                }
                binding::bind(&decl, mission).err().map(|e| {
                    format!(
                        "the `{}` pack does not run: {e} (its agents fall back to the generic outline; name the phases and agents as in the bundled mission)",
                        decl.mission
                    )
                })
            })
            .collect()
    }

    /// Checks that the spec can be built, without building it.
    pub fn check(&self, spec: &AgentSpec) -> Result<(), BuildError> {
        self.factory(spec).map(|_| ())
    }

    fn factory(&self, spec: &AgentSpec) -> Result<&Factory, BuildError> {
        if spec.backend == RULES {
            let rules = spec.rules.as_deref().unwrap_or("");
            self.rule_sets
                .get(rules)
                .ok_or_else(|| BuildError::UnknownRules {
                    agent: spec.name.clone(),
                    rules: rules.to_string(),
                    known: self.rule_sets().join(", "),
                })
        } else {
            self.backends
                .get(&spec.backend)
                .ok_or_else(|| BuildError::UnknownBackend {
                    agent: spec.name.clone(),
                    backend: spec.backend.clone(),
                    known: self.backends().join(", "),
                })
        }
    }

    /// Builds the agent.
    pub fn build(
        &self,
        spec: &AgentSpec,
        settings: &Settings,
    ) -> Result<Arc<dyn Agent>, BuildError> {
        (self.factory(spec)?)(spec, settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::Role;
    use crate::binding::{Declaration, Step};
    use crate::blackboard::BoardView;
    use crate::criteria::Verdict;

    /// A second pack: what it needs is its declaration and its criteria, nothing of the sales pack.
    struct Review;
    impl MissionPack for Review {
        fn declaration(&self) -> Declaration {
            Declaration {
                mission: "code-review",
                title: "Code Review",
                steps: &[Step {
                    id: "findings",
                    phase: "Static Analysis",
                    agent: "reviewer",
                    role: Role::Lead,
                    keys: &["review/findings"],
                }],
            }
        }
        fn criteria(&self, _: &Mission, _: &BoardView) -> Vec<Verdict> {
            Vec::new()
        }
    }

    fn mission(name: &str, lead: &str) -> Mission {
        let src = format!(
            "# Mission: Code Review\n\n## Mission Phases\n\n### Phase 1: Static Analysis\n\n**Lead**: @{lead}\n"
        );
        coord_mission::parse_mission(&src, std::path::Path::new(&format!("{name}.md"))).mission
    }

    #[test]
    fn a_pack_is_found_by_what_it_declares() {
        let mut r = Registry::new();
        r.register_pack(Arc::new(Review));
        let renamed = mission("our-review", "reviewer");
        let p = r.pack(&renamed).expect("binds whatever the file is called");
        let d = p.deliverables(&renamed, 0, Role::Lead, "reviewer").unwrap();
        assert_eq!(d[0].0.key, "review/findings");
        assert!(r.unbound(&renamed).is_empty());
        let wrong = mission("code-review", "someone");
        assert!(r.pack(&wrong).is_none());
        let why = r.unbound(&wrong);
        assert_eq!(why.len(), 1);
        assert!(why[0].contains("with @reviewer as lead"), "{why:?}");
    }
}
