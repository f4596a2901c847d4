use super::*;
use std::path::PathBuf;

fn seed() -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/sales-plan-development.md");
    std::fs::read_to_string(&p).unwrap_or_else(|_| {
        // The project keeps its own copy; it is byte-identical to the seed.
        std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../missions/sales/sales-plan-development.md"),
        )
        .unwrap_or_default()
    })
}

#[test]
fn seed_parses_completely() {
    let p = parse_mission(&seed(), Path::new("sales-plan-development.md"));
    let m = &p.mission;
    assert_eq!(m.title, "Sales Plan Development");
    assert_eq!(m.title_decoration.as_deref(), Some("🎯"));
    assert_eq!(m.name, "sales-plan-development");
    assert_eq!(
        m.mission_type.as_deref(),
        Some("Sales Tactical Implementation")
    );
    assert_eq!(m.duration.as_ref().map(|d| d.min_minutes), Some(90));
    assert_eq!(m.difficulty.as_deref(), Some("Tactical"));
    assert_eq!(m.value_impact.as_deref(), Some("Sales Execution Framework"));
    assert!(
        m.objective
            .as_deref()
            .is_some_and(|o| o.starts_with("Create a comprehensive Sales Plan"))
    );
    let inputs: Vec<&str> = m.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        inputs,
        [
            "Sales Bible",
            "Foundation Documents",
            "Business Objectives",
            "Resource Constraints"
        ]
    );
    assert!(m.inputs.iter().all(|i| i.flag.is_required()));
    assert_eq!(m.phases.len(), 3);
    let mins: Vec<u64> = m
        .phases
        .iter()
        .filter_map(|p| p.duration.as_ref())
        .map(|d| d.min_minutes)
        .collect();
    assert_eq!(mins, [30, 45, 15]);
    let leads: Vec<&str> = m.phases.iter().map(|p| p.lead[0].name.as_str()).collect();
    assert_eq!(
        leads,
        [
            "conversion-optimization",
            "pipeline-management",
            "revenue-operations"
        ]
    );
    let sup: Vec<&str> = m
        .phases
        .iter()
        .map(|p| p.support[0].name.as_str())
        .collect();
    assert_eq!(
        sup,
        [
            "revenue-operations",
            "conversion-optimization",
            "pipeline-management"
        ]
    );
    assert!(
        m.phases
            .iter()
            .all(|p| p.steps().len() == 6 && p.lead.len() == 1 && p.support.len() == 1)
    );
    let dl: Vec<usize> = m.phases.iter().map(|p| p.deliverables.len()).collect();
    assert_eq!(dl, [4, 4, 5]);
    assert_eq!(
        m.phases[0].task.as_ref().map(|t| t.instruction.as_str()),
        Some("Design strategic sales initiatives")
    );
    assert_eq!(
        m.phases[1].steps()[0],
        "Design 5-stage sales pipeline based on Sales Bible methodology"
    );
    assert_eq!(
        m.phases[2].objective.as_deref(),
        Some(
            "Create sales-marketing integration, monthly execution planning, and performance measurement"
        )
    );
    assert_eq!(m.success_criteria.len(), 8);
    assert_eq!(m.variations.len(), 3);
    assert_eq!(m.variations[0].name, "Solopreneur Focus");
    let ci = m
        .chassis_impact
        .as_ref()
        .map(|c| (c.groups.len(), c.summary.is_some()));
    assert_eq!(ci, Some((3, true)));
    assert_eq!(
        m.chassis_impact
            .as_ref()
            .map(|c| c.groups[1].heading.as_str()),
        Some("Client Conversion Multiplication")
    );
    let others: Vec<&str> = m.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        others,
        [
            "Resource Requirements",
            "Quality Standards",
            "Integration Notes",
            "Usage Guidelines"
        ]
    );
    assert!(!p.has_errors());
    // The mojibake repair is reported as a note, never as an error.
    assert!(
        p.diagnostics
            .iter()
            .all(|d| d.severity == crate::diag::Severity::Note)
    );
}

#[test]
fn fences_hide_structure() {
    let src = "# Mission: X\n\n## Mission Phases\n\n### Phase 1: A (10 minutes)\n\n**Lead**: @a  \n\n```markdown\n### Phase 2: Fake (5 minutes)\n**Lead**: @fake\n- [ ] not a criterion\n```\n\n## Success Criteria\n\n- [ ] real\n```\n- [ ] fenced\n```";
    let p = parse_mission(src, Path::new("x.md"));
    assert_eq!(p.mission.phases.len(), 1);
    assert_eq!(p.mission.phases[0].lead.len(), 1);
    assert_eq!(p.mission.success_criteria.len(), 1);
}

#[test]
fn phase_like_headings_outside_the_container_are_not_phases() {
    let src = "# Mission: X\n\n## Mission Phases\n\n### Phase 1: A (10 minutes)\n**Lead**: @a\n\n## Journey\n\n### Stage 1: Awareness (Problem Recognition)\n### Phase 9: Not one (5 minutes)\n";
    let p = parse_mission(src, Path::new("x.md"));
    assert_eq!(p.mission.phases.len(), 1);
    assert_eq!(p.mission.sections[0].heading, "Journey");
}

#[test]
fn phased_migration_is_not_a_phase() {
    let src = "# Mission: M\n\n## Mission Phases\n\n### Phase 1: Plan (1 hour)\n**Lead**: @architect\n\n### Phased Migration\nText\n\n### Phase 2: Move (2 hours)\n**Lead**: @developer\n";
    let p = parse_mission(src, Path::new("m.md"));
    let names: Vec<&str> = p.mission.phases.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Plan", "Move"]);
}

#[test]
fn role_line_variants() {
    let src = "# Mission: K\n\n## Mission Phases\n\n### Phase 1: A (1 hour)\n**Lead Agents**: @operator, @marketer  \n**Support**: @architect (if available)  \n\n### Phase 2: B (1 hour)\n**Lead Agent**: pipeline-management (think harder mode)  \n**Support Intelligence**: brand-strategy, campaign-execution, content-creation  \n\n### Phase 3: C\n**Lead Agent**: brand-strategy | **Thinking Mode**: think harder  \n**Support Agents**: market-intelligence | **Tool Permissions**: Controlled ([Read, Edit])  ";
    let p = parse_mission(src, Path::new("k.md"));
    let ph = &p.mission.phases;
    assert_eq!(
        ph[0]
            .lead
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["operator", "marketer"]
    );
    assert_eq!(ph[0].support[0].note.as_deref(), Some("if available"));
    assert_eq!(ph[1].lead[0].name, "pipeline-management");
    assert_eq!(ph[1].lead[0].note.as_deref(), Some("think harder mode"));
    assert_eq!(ph[1].support.len(), 3);
    assert_eq!(ph[2].lead[0].name, "brand-strategy");
    assert_eq!(ph[2].support[0].name, "market-intelligence");
    assert!(ph[2].duration.is_none());
}

#[test]
fn fence_agents_take_the_lead_when_there_is_no_role_line() {
    let src = "# Mission: S\n\n## Mission Phases\n\n### Phase 1: A (10 min)\n\n```bash\nTask(subagent_type='pipeline-management',\n     description='Design the pipeline',\n     prompt='Do:\n     1. One\n     2. Two')\n```\n";
    let p = parse_mission(src, Path::new("s.md"));
    let ph = &p.mission.phases[0];
    assert_eq!(ph.lead[0].name, "pipeline-management");
    assert_eq!(ph.steps(), ["One", "Two"]);
    assert_eq!(
        ph.task.as_ref().map(|t| t.instruction.as_str()),
        Some("Design the pipeline")
    );
}

#[test]
fn short_family_with_required_agents_and_lazy_deliverable() {
    let src = "# Mission: Market Research\n\n## Objective\nDo research.\n\n## Duration\n1-2 weeks\n\n## Required Agents\n- @market-intelligence (lead)\n- @opportunity-validation\n\n## Phases\n\n### Phase 1: Landscape (Days 1-2)\n- Map TAM\n- Identify segments\n**Deliverable**: Market landscape report\n\n## Success Criteria\n- [ ] Done";
    let p = parse_mission(src, Path::new("mr.md"));
    let m = &p.mission;
    assert_eq!(m.duration.as_ref().map(|d| d.min_minutes), Some(10080));
    assert_eq!(m.agents.len(), 2);
    assert_eq!(m.agents[0].note.as_deref(), Some("lead"));
    let ph = &m.phases[0];
    assert_eq!(ph.steps(), ["Map TAM", "Identify segments"]);
    assert_eq!(ph.deliverables, ["Market landscape report"]);
    assert_eq!(ph.duration.as_ref().map(|d| d.min_minutes), Some(2 * 1440));
    assert!(p.looks_like_mission());
}

#[test]
fn h2_phases_and_subtitle() {
    let src = "# Mission: BUILD 🏗️\n## Build New Service\n\n**Mission Code**: BUILD  \n**Estimated Duration**: 4-8 hours  \n\n## PHASE 0: MODE SELECTION\nPick.\n\n## PHASE 1: CONTEXT GATHERING\nAsk.\n";
    let p = parse_mission(src, Path::new("b.md"));
    let m = &p.mission;
    assert_eq!(m.title, "BUILD");
    assert_eq!(m.subtitle.as_deref(), Some("Build New Service"));
    assert_eq!(m.duration.as_ref().map(|d| d.max_minutes), Some(480));
    assert_eq!(m.phases.len(), 2);
    assert_eq!(m.phases[0].number, "0");
}

#[test]
fn no_title_is_an_error_and_no_phases_a_warning() {
    let p = parse_mission("just text\n", Path::new("t.md"));
    assert!(p.has_errors());
    let p = parse_mission(
        "# Mission: T\n\n## Mission Objective\nx\n\n## Required Inputs\n1. **A** (required) - a\n",
        Path::new("t.md"),
    );
    assert!(p.diagnostics.iter().any(|d| d.message == "no phases found"));
    assert!(!p.has_errors());
}

#[test]
fn input_flags_are_an_open_set() {
    let src = "# Mission: F\n\n## Required Inputs\n\n1. **Bug Report** (required) - What broke\n2. **Reproduction Steps** (preferred) - How\n3. **Logs** (helpful) - Output\n4. **Notes** - Anything";
    let p = parse_mission(src, Path::new("f.md"));
    let flags: Vec<&str> = p.mission.inputs.iter().map(|i| i.flag.as_str()).collect();
    assert_eq!(flags, ["required", "preferred", "helpful", "required"]);
    assert_eq!(p.mission.inputs[1].description, "How");
}
