//! The blackboard: the shared, append-only record of what agents delivered.
//!
//! Every entry keeps its provenance (author, role, phase, sequence number). The *current view* of
//! a key is computed from its entries by the key's [`MergePolicy`], declared before the run and
//! checked when the plan is built. Entries are appended only by the coordinator, in a fixed order
//! (phase, then support agents in mission order, then the lead), never in completion order, so
//! the same run always serialises to the same bytes.

use crate::agent::Role;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// How several writes to one key combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MergePolicy {
    /// Exactly one agent in one phase may write the key.
    SingleWriter,
    /// Every write is kept; the view is the array of all values in order.
    Append,
    /// Values are JSON objects; the view is their union, later fields replacing earlier ones.
    KeyedMerge,
    /// Support agents may propose a value; the lead's value, when there is one, is the view.
    LeadWins,
}

impl std::fmt::Display for MergePolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MergePolicy::SingleWriter => "single writer",
            MergePolicy::Append => "append",
            MergePolicy::KeyedMerge => "keyed merge",
            MergePolicy::LeadWins => "lead wins",
        })
    }
}

/// One write, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the blackboard, from 0.
    pub seq: u64,
    /// The key written.
    pub key: String,
    /// The value.
    pub value: Value,
    /// The value rendered as Markdown.
    pub markdown: String,
    /// The agent that wrote it.
    pub author: String,
    /// Its role in the phase.
    pub role: Role,
    /// Index of the phase (0-based) in the mission.
    pub phase: usize,
}

/// The blackboard. Only the coordinator holds a mutable one.
#[derive(Debug, Clone, Default)]
pub struct Blackboard {
    // Shared with the views taken of it; an append copies only while a view is still alive.
    entries: Arc<Vec<Entry>>,
    policies: Arc<BTreeMap<String, MergePolicy>>,
}

impl Blackboard {
    /// An empty board whose keys merge by `policies`.
    pub fn new(policies: BTreeMap<String, MergePolicy>) -> Self {
        Self {
            entries: Arc::default(),
            policies: Arc::new(policies),
        }
    }

    /// Appends a write and returns its sequence number.
    pub(crate) fn append(
        &mut self,
        key: String,
        value: Value,
        markdown: String,
        author: &str,
        role: Role,
        phase: usize,
    ) -> u64 {
        let seq = self.entries.len() as u64;
        Arc::make_mut(&mut self.entries).push(Entry {
            seq,
            key,
            value,
            markdown,
            author: author.to_string(),
            role,
            phase,
        });
        seq
    }

    /// Restores entries from an event log (resume), renumbering nothing.
    pub(crate) fn restore(&mut self, entries: Vec<Entry>) {
        self.entries = Arc::new(entries);
    }

    /// A read-only snapshot for agents and renderers.
    pub fn view(&self) -> BoardView {
        BoardView {
            entries: Arc::clone(&self.entries),
            policies: Arc::clone(&self.policies),
        }
    }

    /// Every entry, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

/// A read-only snapshot of the blackboard.
#[derive(Debug, Clone, Default)]
pub struct BoardView {
    entries: Arc<Vec<Entry>>,
    policies: Arc<BTreeMap<String, MergePolicy>>,
}

impl BoardView {
    /// Every entry, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The policy of a key (single writer when undeclared).
    pub fn policy(&self, key: &str) -> MergePolicy {
        self.policies
            .get(key)
            .copied()
            .unwrap_or(MergePolicy::SingleWriter)
    }

    /// The current value of `key` under its merge policy, or `None` if nobody wrote it.
    pub fn get(&self, key: &str) -> Option<Value> {
        if let Some(v) = self.winner(key) {
            return Some(v.clone());
        }
        let mut writes = self.entries.iter().filter(|e| e.key == key).peekable();
        writes.peek()?;
        Some(match self.policy(key) {
            MergePolicy::SingleWriter | MergePolicy::LeadWins => return None,
            MergePolicy::Append => Value::Array(writes.map(|e| e.value.clone()).collect()),
            MergePolicy::KeyedMerge => {
                let mut merged = serde_json::Map::new();
                for e in writes {
                    if let Value::Object(m) = &e.value {
                        for (k, v) in m {
                            merged.insert(k.clone(), v.clone());
                        }
                    }
                }
                Value::Object(merged)
            }
        })
    }

    /// The current value of `key` deserialised into `T`.
    pub fn get_as<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        match self.winner(key) {
            Some(v) => T::deserialize(v).ok(),
            None => self.get(key).and_then(|v| serde_json::from_value(v).ok()),
        }
    }

    /// For a single-writer or lead-wins key, the winning value, without copying it.
    fn winner(&self, key: &str) -> Option<&Value> {
        let mut writes = self.entries.iter().filter(|e| e.key == key);
        match self.policy(key) {
            MergePolicy::SingleWriter => writes.next_back().map(|e| &e.value),
            MergePolicy::LeadWins => {
                let all: Vec<&Entry> = writes.collect();
                all.iter()
                    .rev()
                    .find(|e| e.role == Role::Lead)
                    .or(all.last())
                    .map(|e| &e.value)
            }
            MergePolicy::Append | MergePolicy::KeyedMerge => None,
        }
    }

    /// The entries that make up the current view, in sequence order: for single-writer and
    /// lead-wins keys only the winning entry, for append and keyed-merge keys every entry.
    pub fn current_entries(&self) -> Vec<&Entry> {
        let mut winners: BTreeMap<&str, u64> = BTreeMap::new();
        for e in self.entries.iter() {
            match self.policy(&e.key) {
                MergePolicy::SingleWriter => {
                    winners.insert(&e.key, e.seq);
                }
                MergePolicy::LeadWins => {
                    let cur = winners.get(e.key.as_str()).copied();
                    let cur_is_lead = cur
                        .and_then(|s| self.entries.get(s as usize))
                        .is_some_and(|c| c.role == Role::Lead);
                    if e.role == Role::Lead || !cur_is_lead {
                        winners.insert(&e.key, e.seq);
                    }
                }
                MergePolicy::Append | MergePolicy::KeyedMerge => {}
            }
        }
        self.entries
            .iter()
            .filter(|e| match self.policy(&e.key) {
                MergePolicy::SingleWriter | MergePolicy::LeadWins => {
                    winners.get(e.key.as_str()) == Some(&e.seq)
                }
                _ => true,
            })
            .collect()
    }

    /// Entries written in phase `phase` (0-based).
    pub fn phase_entries(&self, phase: usize) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.phase == phase)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn board() -> Blackboard {
        Blackboard::new(BTreeMap::from([
            ("plan".to_string(), MergePolicy::SingleWriter),
            ("notes".to_string(), MergePolicy::Append),
            ("facts".to_string(), MergePolicy::KeyedMerge),
            ("target".to_string(), MergePolicy::LeadWins),
        ]))
    }

    #[test]
    fn policies_compute_the_view() {
        let mut b = board();
        b.append(
            "notes".into(),
            json!("a"),
            String::new(),
            "x",
            Role::Support,
            0,
        );
        b.append(
            "facts".into(),
            json!({"a": 1, "b": 1}),
            String::new(),
            "x",
            Role::Support,
            0,
        );
        b.append(
            "target".into(),
            json!(10),
            String::new(),
            "x",
            Role::Support,
            0,
        );
        b.append(
            "target".into(),
            json!(12),
            String::new(),
            "lead",
            Role::Lead,
            0,
        );
        b.append(
            "target".into(),
            json!(99),
            String::new(),
            "y",
            Role::Support,
            1,
        );
        b.append(
            "notes".into(),
            json!("b"),
            String::new(),
            "y",
            Role::Lead,
            0,
        );
        b.append(
            "facts".into(),
            json!({"b": 2}),
            String::new(),
            "y",
            Role::Lead,
            0,
        );
        let v = b.view();
        assert_eq!(v.get("notes"), Some(json!(["a", "b"])));
        assert_eq!(v.get("facts"), Some(json!({"a": 1, "b": 2})));
        assert_eq!(
            v.get("target"),
            Some(json!(12)),
            "the lead's value wins over a later support"
        );
        assert_eq!(v.get("plan"), None);
        let cur: Vec<u64> = v.current_entries().iter().map(|e| e.seq).collect();
        assert_eq!(cur, [0, 1, 3, 5, 6]);
    }

    #[test]
    fn snapshots_do_not_see_later_writes() {
        let mut b = board();
        let before = b.view();
        b.append("plan".into(), json!(1), String::new(), "x", Role::Lead, 0);
        assert!(before.get("plan").is_none());
        assert_eq!(b.view().get_as::<i32>("plan"), Some(1));
    }
}
