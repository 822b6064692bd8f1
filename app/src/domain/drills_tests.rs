use super::*;

fn words(text: &str) -> Words {
    Words { zh: format!("{text}（中文）"), en: text.to_owned() }
}

fn choice(id: &str, next: &str, correct: bool) -> Choice {
    Choice { id: id.into(), label: words(id), next: next.into(), correct, feedback: words("because") }
}

fn step(id: &str, choices: Vec<Choice>) -> Step {
    Step {
        id: id.into(),
        situation: words(id),
        illustration: None,
        time_limit_seconds: None,
        on_timeout: None,
        choices,
        outcome: None,
    }
}

fn ending(id: &str, outcome: Outcome) -> Step {
    Step { outcome: Some(outcome), ..step(id, Vec::new()) }
}

/// Six decisions on the right path (s1..s6), s1 timed (10 s, timing out to the lesson), each
/// wrong choice to the lesson ending.
pub(crate) fn scenario() -> Scenario {
    let mut steps: Vec<Step> = (1..=6)
        .map(|n| {
            let next = if n == 6 { "safe".to_owned() } else { format!("s{}", n + 1) };
            step(&format!("s{n}"), vec![choice("right", &next, true), choice("wrong", "lesson", false)])
        })
        .collect();
    steps[0].time_limit_seconds = Some(10);
    steps[0].on_timeout = Some("lesson".into());
    steps.push(ending("safe", Outcome::Safe));
    steps.push(ending("lesson", Outcome::Lesson));
    Scenario {
        id: "test-drill".into(),
        title: words("title"),
        summary: words("summary"),
        hazard: Hazard::Earthquake,
        sources: vec![Source { title: "中国地震局".into(), url: "https://www.cea.gov.cn/".into() }],
        start: "s1".into(),
        remember: vec![words("one"), words("two"), words("three")],
        steps,
    }
}

/// A clock reading `seconds` after 2026-12-02 09:00 UTC, in milliseconds since the epoch.
fn at(seconds: i64) -> i64 {
    1_796_202_000_000 + seconds * 1000
}

fn problems(scenario: &Scenario) -> Vec<String> {
    scenario.problems().iter().map(ToString::to_string).collect()
}

#[test]
fn a_well_formed_scenario_has_no_problem() {
    assert_eq!(problems(&scenario()), Vec::<String>::new());
}

#[test]
fn each_problem_names_its_step_and_field() {
    let mut bad = scenario();
    bad.steps[1].choices[1].next = "nowhere".into();
    bad.steps[2].choices.truncate(1);
    bad.steps[3].situation.en.clear();
    bad.sources.clear();
    bad.remember.pop();
    bad.steps[0].time_limit_seconds = Some(1);
    assert_eq!(
        problems(&bad),
        [
            "field sources: names no official source",
            "field remember: needs three things to remember, in both zh and en",
            "step s1, field time_limit_seconds: 1 is not 3 to 120 seconds",
            "step s2, field choices: choice \"wrong\" leads to \"nowhere\", not a step",
            "step s3, field choices: has 1; a step offers 2 to 4",
            "step s4, field situation: needs words in both zh and en",
        ]
    );
}

#[test]
fn every_step_is_reachable_every_path_ends_and_the_main_path_is_long_enough() {
    let mut unreachable = scenario();
    unreachable.steps.push(step("orphan", vec![choice("a", "safe", true), choice("b", "lesson", false)]));
    assert_eq!(problems(&unreachable), ["step orphan, field id: cannot be reached from the start"]);

    let mut circle = scenario();
    circle.steps[3].choices[1].next = "s2".into();
    assert_eq!(problems(&circle), ["step s2, field choices: leads back to itself: a path must end"]);

    let mut short = scenario();
    short.steps[2].choices[0].next = "safe".into();
    let said = problems(&short);
    assert!(said.iter().any(|p| p.contains("reach a safe ending in 3 decisions; at least 6")), "{said:?}");

    let mut untimed = scenario();
    untimed.steps[0].time_limit_seconds = None;
    untimed.steps[0].on_timeout = None;
    assert_eq!(problems(&untimed), ["field steps: has no timed step"]);

    let mut one_ending = scenario();
    for step in &mut one_ending.steps {
        for choice in &mut step.choices {
            if choice.next == "lesson" {
                choice.next = "safe".into();
            }
        }
        if step.on_timeout.is_some() {
            step.on_timeout = Some("safe".into());
        }
    }
    let said = problems(&one_ending);
    assert!(said.contains(&"step lesson, field id: cannot be reached from the start".to_owned()), "{said:?}");
}

#[test]
fn the_right_path_ends_safe_with_full_marks() {
    let scenario = scenario();
    let mut run = DrillRun::start(&scenario, at(0));
    for n in 1..=6 {
        let picked = run.choose(&scenario, "right", at(n), true).expect("a choice");
        assert!(picked.correct);
    }
    assert_eq!(run.step, "safe");
    assert_eq!(
        run.score(&scenario),
        Some(Score { correct: 6, decisions: 6, percent: 100, outcome: Outcome::Safe })
    );
    assert_eq!(run.answers[1].took_ms, 1000, "the time taken on each step");
    assert_eq!(run.choose(&scenario, "right", at(9), true), Err(DrillError::Ended));
}

#[rstest::rstest]
// (seconds before the choice on the timed first step, enforced?) → (step after, answers, correct)
#[case::in_time(9, true, "s2", 1, 1)]
#[case::too_late(11, true, "lesson", 1, 0)]
#[case::too_late_but_shown_only(11, false, "s2", 1, 1)]
fn a_timed_step_runs_out(
    #[case] seconds: i64,
    #[case] enforce: bool,
    #[case] then: &str,
    #[case] answers: usize,
    #[case] correct: usize,
) {
    let scenario = scenario();
    let mut run = DrillRun::start(&scenario, at(0));
    let result = run.choose(&scenario, "right", at(seconds), enforce);
    assert_eq!(result.is_err(), then == "lesson", "{result:?}");
    assert_eq!(run.step, then);
    assert_eq!(run.answers.len(), answers);
    assert_eq!(run.answers.iter().filter(|a| a.correct).count(), correct);
}

#[test]
fn the_clock_times_out_a_step_and_a_wrong_choice_ends_in_a_lesson() {
    let scenario = scenario();
    let mut run = DrillRun::start(&scenario, at(0));
    assert_eq!(run.deadline_ms(&scenario), Some(at(10)));
    assert_eq!(run.time_out(&scenario, at(5)), Ok(false), "not yet");
    assert_eq!(run.time_out(&scenario, at(10)), Ok(true));
    assert_eq!(run.answers[0].choice, None);
    assert_eq!(run.score(&scenario).map(|s| (s.percent, s.outcome)), Some((0, Outcome::Lesson)));

    let mut run = DrillRun::start(&scenario, at(0));
    run.choose(&scenario, "right", at(1), true).expect("right");
    run.choose(&scenario, "right", at(2), true).expect("right");
    let picked = run.choose(&scenario, "wrong", at(3), true).expect("wrong");
    assert!(!picked.correct && !picked.feedback.en.is_empty(), "wrong choices say why");
    assert_eq!(
        run.score(&scenario),
        Some(Score { correct: 2, decisions: 3, percent: 66, outcome: Outcome::Lesson })
    );
    assert_eq!(run.time_out(&scenario, at(99)), Ok(false), "an ending has no limit");
    assert_eq!(run.choose(&scenario, "nope", at(4), true), Err(DrillError::Ended));
    let mut other = DrillRun::start(&scenario, at(0));
    assert_eq!(other.choose(&scenario, "nope", at(1), true), Err(DrillError::NoSuchChoice));
    other.scenario = "another".into();
    assert_eq!(other.choose(&scenario, "right", at(1), true), Err(DrillError::OtherScenario));
}

#[test]
fn a_replayed_path_stands_where_the_choices_lead() {
    let scenario = scenario();
    let run = DrillRun::replay(&scenario, ["right", "right", "wrong"], at(0)).expect("a valid path");
    assert_eq!(run.step, "lesson");
    assert!(run.ended(&scenario));
    let score = run.score(&scenario).expect("ended");
    assert_eq!((score.correct, score.decisions, score.outcome), (2, 3, Outcome::Lesson));
    let midway = DrillRun::replay(&scenario, ["right"], at(0)).expect("a valid path");
    assert_eq!(midway.step, "s2");
    assert!(!midway.ended(&scenario));
}

#[test]
fn a_replay_refuses_a_path_the_scenario_does_not_have() {
    let scenario = scenario();
    assert_eq!(DrillRun::replay(&scenario, ["right", "jump"], at(0)), Err(DrillError::NoSuchChoice));
    assert_eq!(DrillRun::replay(&scenario, ["wrong", "right"], at(0)), Err(DrillError::Ended));
}

#[test]
fn a_replay_does_not_enforce_the_time_limit() {
    // The JavaScript-off drill shows limits without enforcing them: a replay takes every
    // pick at one moment, and the first step's limit never fires.
    let scenario = scenario();
    let run = DrillRun::replay(&scenario, ["right"; 6], at(0)).expect("a valid path");
    assert_eq!(run.score(&scenario).map(|s| s.outcome), Some(Outcome::Safe));
}

#[test]
fn one_language_keeps_the_graph_and_drops_the_other_words() {
    let scenario = scenario();
    let english = scenario.in_one_language(true);
    // Not a scenario file any more: the checks want both languages.
    assert!(english.problems().iter().any(|p| p.field == "situation"));
    assert_eq!(english.steps.len(), scenario.steps.len());
    assert_eq!(english.steps[0].choices[0].label.en, "right");
    assert!(english.steps[0].choices[0].label.zh.is_empty());
    assert_eq!(english.steps[0].time_limit_seconds, Some(10));
    let chinese = scenario.in_one_language(false);
    assert_eq!(chinese.title.zh, "title（中文）");
    assert!(chinese.title.en.is_empty());
}

#[test]
fn an_illustration_keeps_its_file_and_the_alt_words_of_one_language() {
    let mut scenario = scenario();
    scenario.steps[0].illustration =
        Some(Illustration { file: "under-desk.svg".into(), alt: words("a pupil under a desk") });
    assert_eq!(problems(&scenario), Vec::<String>::new());
    let english = scenario.in_one_language(true);
    let picture = english.steps[0].illustration.as_ref().expect("the illustration stays");
    assert_eq!(picture.file, "under-desk.svg");
    assert_eq!(picture.href(), "/illustrations/under-desk.svg");
    assert_eq!(picture.alt.en, "a pupil under a desk");
    assert!(picture.alt.zh.is_empty());
}

#[test]
fn an_illustration_needs_a_plain_svg_name_and_alt_words_in_both_languages() {
    let mut scenario = scenario();
    scenario.steps[1].illustration =
        Some(Illustration { file: "../secret.png".into(), alt: Words { zh: "图".into(), en: " ".into() } });
    assert_eq!(
        problems(&scenario),
        [
            "step s2, field illustration: \"../secret.png\" is not lower-case letters, digits and '-' ending in .svg",
            "step s2, field illustration: needs alt words in both zh and en",
        ]
    );
}

#[test]
fn step_and_choice_ids_must_suit_an_address() {
    let mut scenario = scenario();
    scenario.steps[1].choices[0].id = "Right Now".into();
    assert!(
        problems(&scenario).iter().any(|p| p.contains("choice \"Right Now\" is not lower-case")),
        "{:?}",
        problems(&scenario)
    );
}

#[test]
fn the_library_finds_scenarios_by_id() {
    let library = ScenarioLibrary::new(vec![scenario()]);
    assert_eq!(library.get("test-drill").map(|s| s.steps.len()), Some(8));
    assert!(library.get("nope").is_none());
    assert_eq!(library.all().len(), 1);
}

#[test]
fn a_replay_takes_a_time_out_where_the_path_marks_one() {
    let scenario = scenario();
    let run = DrillRun::replay(&scenario, [TIMED_OUT], at(0)).expect("s1 is timed");
    assert_eq!(run.step, "lesson");
    assert_eq!(run.answers[0].choice, None);
    // s2 has no time limit: it cannot time out.
    assert_eq!(DrillRun::replay(&scenario, ["right", TIMED_OUT], at(0)), Err(DrillError::NoSuchChoice));
}
