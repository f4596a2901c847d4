//! The fact reader never panics, whatever it is given: random Unicode, and the fixture
//! documents cut, spliced and sprinkled with multi-byte characters, read as Markdown, TOML,
//! YAML and JSON. A reader that slices text by bytes fails here first.

use coord_core::inputs::{ContextFile, Inputs};
use coord_sales::{classify, facts, foundation};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn corpus() -> &'static [String] {
    static DOCS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    DOCS.get_or_init(load)
}

fn load() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/facts");
    let mut out = Vec::new();
    for d in std::fs::read_dir(root).unwrap().flatten() {
        if let Ok(files) = std::fs::read_dir(d.path()) {
            for f in files.flatten() {
                if let Ok(t) = std::fs::read_to_string(f.path()) {
                    out.push(t);
                }
            }
        }
    }
    out.sort();
    out
}

fn read_all(text: &str, ext: &str) {
    let file = ContextFile {
        path: PathBuf::from(format!("doc.{ext}")),
        text: text.to_string(),
        title: None,
        declared_input: None,
    };
    let _ = classify(&file);
    let inputs = Inputs {
        extra: vec![file],
        ..Inputs::default()
    };
    let (f, _) = facts::read(&inputs);
    let _ = foundation::resolve(&f, None, jiff::civil::date(2026, 12, 1));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_unicode_never_panics(text in "\\PC{0,400}", ext in prop::sample::select(vec!["md", "toml", "yaml", "json", "txt"])) {
        read_all(&text, ext);
    }

    #[test]
    fn mangled_documents_never_panic(
        pick in 0usize..1000,
        cut in 0usize..4000,
        len in 0usize..600,
        insert in prop::sample::select(vec!["→", "€", "£", "—", "½", "ü", "日本", "’", "\u{200b}", "-$", "%", "1 in ", " to ", "|", "**", ":"]),
        ext in prop::sample::select(vec!["md", "toml", "yaml"]),
    ) {
        let docs = corpus();
        let doc = &docs[pick % docs.len()];
        let chars: Vec<char> = doc.chars().collect();
        let start = cut % chars.len().max(1);
        let end = (start + len).min(chars.len());
        let mut text: String = chars[start..end].iter().collect();
        let at = text.char_indices().map(|(i, _)| i).nth(len / 3).unwrap_or(text.len());
        text.insert_str(at, insert);
        read_all(&text, ext);
        read_all(doc, ext);
    }
}
