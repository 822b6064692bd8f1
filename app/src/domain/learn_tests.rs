use super::*;

fn question(id: &str, answer: &str) -> QuizQuestion {
    QuizQuestion {
        id: id.into(),
        question: format!("{id}?"),
        answer: answer.into(),
        choices: ["a", "b", "c"]
            .into_iter()
            .map(|c| QuizChoice { id: c.into(), text: format!("{id} {c}"), explanation: "because".into() })
            .collect(),
    }
}

fn meta() -> ArticleMeta {
    ArticleMeta {
        title: "Floods".into(),
        summary: "What to do".into(),
        hazards: vec![Hazard::Flood, Hazard::Waterlogging],
        audiences: vec![Audience::Adults, Audience::Elderly],
        reading_minutes: 5,
        last_reviewed: "2026-12-03".into(),
        phones: vec!["119".into(), "12345".into()],
        sources: vec![
            ArticleSource {
                title: "中国气象局：暴雨".into(), url: "https://www.cma.gov.cn/a".into()
            },
            ArticleSource {
                title: "应急管理部：内涝".into(), url: "https://www.mem.gov.cn/b".into()
            },
        ],
        quiz: vec![question("q1", "b"), question("q2", "a"), question("q3", "c")],
    }
}

fn problems(meta: &ArticleMeta) -> Vec<String> {
    meta.problems().iter().map(ToString::to_string).collect()
}

#[test]
fn a_complete_front_matter_has_no_problem() {
    assert_eq!(problems(&meta()), Vec::<String>::new());
    assert_eq!(meta().reviewed_on(), NaiveDate::from_ymd_opt(2026, 12, 3));
}

#[test]
fn each_problem_names_its_field() {
    let mut bad = meta();
    bad.title = " ".into();
    bad.audiences.clear();
    bad.reading_minutes = 0;
    bad.last_reviewed = "3 Dec".into();
    bad.phones.push("999".into());
    bad.sources.truncate(1);
    assert_eq!(
        problems(&bad),
        [
            "field title: is blank",
            "field audiences: names no audience",
            "field reading_minutes: 0 is not 1 to 15",
            "field last_reviewed: \"3 Dec\" is not a date (YYYY-MM-DD)",
            "field phones: \"999\" is not one of 110, 119, 120, 122, 12119, 12345",
            "field sources: needs at least two official sources",
        ]
    );
}

#[test]
fn every_quiz_answer_must_be_one_of_its_choices_and_every_choice_explained() {
    let mut bad = meta();
    bad.quiz[0].answer = "d".into();
    bad.quiz[1].choices[2].explanation = String::new();
    bad.quiz[2].choices.truncate(1);
    bad.quiz[2].answer = "a".into();
    assert_eq!(
        problems(&bad),
        [
            "field quiz: question \"q1\": the answer \"d\" is not one of its choices",
            "field quiz: question \"q2\": choice \"c\" needs text and an explanation",
            "field quiz: question \"q3\" has 1 choices; 2 to 4",
        ]
    );
    let mut short = meta();
    short.quiz.truncate(2);
    assert_eq!(problems(&short), ["field quiz: has 2 questions; an article has 3 to 5"]);
}

#[test]
fn the_counterpart_must_agree_on_everything_but_the_words() {
    let zh = meta();
    let mut en = meta();
    en.title = "洪水".into();
    en.sources[0].title = "CMA: rainstorms".into();
    en.quiz[1].question = "Other words?".into();
    assert_eq!(zh.counterpart_problems(&en), Vec::<ArticleProblem>::new());
    en.quiz[1].answer = "b".into();
    en.phones.pop();
    let fields: Vec<&str> = zh.counterpart_problems(&en).iter().map(|p| p.field).collect();
    assert_eq!(fields, ["phones", "quiz"]);
}

#[test]
fn a_quiz_scores_right_answers_and_counts_a_skipped_or_unknown_choice_wrong() {
    let quiz = meta().quiz;
    let answers: BTreeMap<String, String> =
        [("q1", "b"), ("q2", "zz")].into_iter().map(|(q, c)| (q.to_owned(), c.to_owned())).collect();
    let result = score(&quiz, &answers);
    assert_eq!((result.correct, result.total), (1, 3));
    assert_eq!(
        result.marks,
        [
            QuestionMark { question: "q1".into(), chosen: Some("b".into()), right: true },
            QuestionMark { question: "q2".into(), chosen: None, right: false },
            QuestionMark { question: "q3".into(), chosen: None, right: false },
        ]
    );
    let all_right: BTreeMap<String, String> = quiz.iter().map(|q| (q.id.clone(), q.answer.clone())).collect();
    assert_eq!(score(&quiz, &all_right).correct, 3);
}

#[test]
fn a_topic_quiz_takes_questions_in_turn_from_each_article_up_to_ten() {
    let five: Vec<QuizQuestion> = (1..=5).map(|n| question(&format!("q{n}"), "a")).collect();
    let articles = [("floods", &five[..]), ("landslides", &five[..3]), ("drought", &five[..])];
    let topic = QuizTopic::find("water-and-slopes").expect("a topic");
    let ids: Vec<String> = topic.questions(articles).into_iter().map(|q| q.id).collect();
    assert_eq!(
        ids,
        [
            "floods.q1",
            "landslides.q1",
            "drought.q1",
            "floods.q2",
            "landslides.q2",
            "drought.q2",
            "floods.q3",
            "landslides.q3",
            "drought.q3",
            "floods.q4",
        ]
    );
    assert!(topic.includes("anything", &[Hazard::Landslide]));
    assert!(!topic.includes("first-aid-cpr-aed", &[]));
    assert!(QuizTopic::find("ready-and-first-aid").expect("a topic").includes("first-aid-cpr-aed", &[]));
    assert_eq!(QuizTopic::find("nope"), None);
}

#[test]
fn lengths_count_chinese_characters_and_english_words() {
    assert_eq!(chinese_characters("暴雨来了，快走！Go 110"), 6);
    assert_eq!(english_words("Don't drive through a flooded under-pass: call 119."), 8);
}
