//! `docs/sales-facts.md` documents the fact vocabulary; every label the reader accepts must be
//! in it, so the documentation cannot fall behind the code.

#[test]
fn every_label_is_documented() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/sales-facts.md"
    ))
    .unwrap();
    for e in coord_sales::facts::VOCABULARY {
        for l in e.labels {
            assert!(
                doc.contains(&format!("`{l}`")),
                "label `{l}` is not documented in docs/sales-facts.md"
            );
        }
        assert!(
            doc.contains(e.example),
            "example `{}` is not documented",
            e.example
        );
    }
}
