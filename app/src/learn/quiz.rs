//! The quiz: a form of questions, each a group of radio buttons. Without JavaScript it is sent
//! (GET) to its result page; with it, the [`Quiz`] island scores it in place with the domain's
//! `score`, shows why each answer is right or wrong, and keeps the last score on the device.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::learn::{QuizQuestion, QuizResult, score},
    i18n::fill,
};

/// The quiz's words, translated on the server; `{correct}` and `{total}` are filled in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizTexts {
    pub heading: String,
    pub check: String,
    pub score: String,
    pub right: String,
    pub wrong: String,
    pub your_answer: String,
    pub skipped: String,
    pub right_answer: String,
    pub again: String,
    pub last_time: String,
}

/// The result: the score, then each question with the answer given, whether it was right,
/// why, and the right answer when it was not.
#[component]
pub fn QuizResultView(questions: Vec<QuizQuestion>, result: QuizResult, texts: QuizTexts) -> impl IntoView {
    let score_line =
        fill(&texts.score, &[("correct", result.correct.to_string()), ("total", result.total.to_string())]);
    let items = questions.into_iter().zip(result.marks).map(|(question, mark)| {
        let chosen =
            mark.chosen.as_ref().and_then(|id| question.choices.iter().find(|c| &c.id == id)).cloned();
        let right_choice = question.choices.iter().find(|c| c.id == question.answer).cloned();
        let verdict =
            if mark.right { format!("✓ {}", texts.right) } else { format!("✗ {}", texts.wrong) };
        view! {
            <li class="quiz-mark" data-correct=if mark.right { "yes" } else { "no" }>
                <p class="quiz-question-text">{question.question}</p>
                <p><strong>{verdict}</strong></p>
                {match chosen {
                    Some(choice) => view! {
                        <p>{texts.your_answer.clone()}" "{choice.text}</p>
                        <p class="quiz-explanation">{choice.explanation}</p>
                    }.into_any(),
                    None => view! { <p>{texts.skipped.clone()}</p> }.into_any(),
                }}
                {(!mark.right).then(|| right_choice.map(|choice| view! {
                    <p>{texts.right_answer.clone()}" "<strong>{choice.text}</strong></p>
                    <p class="quiz-explanation">{choice.explanation}</p>
                }))}
            </li>
        }
    });
    view! {
        <div class="quiz-result">
            <p class="quiz-score" role="status">{score_line}</p>
            <ol class="quiz-marks">{items.collect_view()}</ol>
        </div>
    }
}

/// The quiz. `action` is its result page (without JavaScript); `storage_key` names the score
/// kept on the device.
// An island in the server build and in the `islands-learn` bundle; elsewhere a plain component
// that nothing in the browser calls.
#[cfg_attr(any(feature = "ssr", feature = "islands-learn"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "islands-learn")), component)]
pub fn Quiz(
    questions: Vec<QuizQuestion>,
    action: String,
    storage_key: String,
    texts: QuizTexts,
) -> impl IntoView {
    let answers = RwSignal::new(BTreeMap::<String, String>::new());
    let result = RwSignal::new(None::<QuizResult>);
    let last_time = RwSignal::new(None::<String>);
    let questions = StoredValue::new(questions);
    let texts = StoredValue::new(texts);
    let storage_key = StoredValue::new(storage_key);
    #[cfg(not(feature = "hydrate"))]
    let _ = storage_key;

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some((correct, total)) = browser::kept(&storage_key.get_value()) {
            let template = texts.with_value(|t| t.last_time.clone());
            last_time.set(Some(fill(
                &template,
                &[("correct", correct.to_string()), ("total", total.to_string())],
            )));
        }
    });

    let check = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let scored = questions.with_value(|quiz| score(quiz, &answers.get_untracked()));
        #[cfg(feature = "hydrate")]
        browser::keep(&storage_key.get_value(), scored.correct, scored.total);
        result.set(Some(scored));
    };
    let again = move |_| {
        answers.set(BTreeMap::new());
        result.set(None);
    };

    let form = move || {
        view! {
            <form class="quiz-form" method="get" action=action.clone() on:submit=check>
                {questions.get_value().into_iter().enumerate().map(|(number, question)| {
                    let legend_id = format!("quiz-{}", question.id.replace('.', "-"));
                    view! {
                        <fieldset class="quiz-question" aria-labelledby=legend_id.clone()>
                            <legend id=legend_id.clone()>{format!("{}. {}", number + 1, question.question)}</legend>
                            {question.choices.into_iter().map(|choice| {
                                let input_id = format!("quiz-{}-{}", question.id.replace('.', "-"), choice.id);
                                let (name, value) = (question.id.clone(), choice.id.clone());
                                let (on_name, on_value) = (name.clone(), value.clone());
                                view! {
                                    <div class="quiz-choice">
                                        <input type="radio" id=input_id.clone() name=name value=value
                                            on:change=move |_| answers.update(|a| { a.insert(on_name.clone(), on_value.clone()); })/>
                                        <label for=input_id>{choice.text}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                    }
                }).collect_view()}
                <button type="submit" class="button button--primary">{texts.with_value(|t| t.check.clone())}</button>
            </form>
        }
    };

    view! {
        <section class="quiz" aria-labelledby="quiz-heading">
            <h2 id="quiz-heading">{texts.with_value(|t| t.heading.clone())}</h2>
            {move || last_time.get().map(|text| view! { <p class="hint quiz-last-time">{text}</p> })}
            {move || match result.get() {
                Some(result) => view! {
                    <QuizResultView questions=questions.get_value() result texts=texts.get_value()/>
                    <button type="button" class="button" on:click=again>{texts.with_value(|t| t.again.clone())}</button>
                }.into_any(),
                None => form().into_any(),
            }}
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The score kept on the device (localStorage): `correct/total` under the quiz's key.

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn kept(key: &str) -> Option<(usize, usize)> {
        let text = storage()?.get_item(key).ok().flatten()?;
        let (correct, total) = text.split_once('/')?;
        Some((correct.parse().ok()?, total.parse().ok()?))
    }

    pub fn keep(key: &str, correct: usize, total: usize) {
        if let Some(storage) = storage() {
            // A full or forbidden store only loses the memory of the score, not the quiz.
            let _ = storage.set_item(key, &format!("{correct}/{total}"));
        }
    }
}

/// The quiz's words in `lang`, with the placeholders left for [`fill`].
pub fn quiz_texts(lang: crate::domain::preferences::Lang) -> QuizTexts {
    use crate::i18n::{FluentValue, translate, translate_with};
    let placeholders = |key: &str| {
        translate_with(
            lang,
            key,
            &[("correct", FluentValue::from("{correct}")), ("total", FluentValue::from("{total}"))],
        )
    };
    QuizTexts {
        heading: translate(lang, "learn-quiz-heading"),
        check: translate(lang, "learn-quiz-check"),
        score: placeholders("learn-quiz-score"),
        right: translate(lang, "learn-quiz-right"),
        wrong: translate(lang, "learn-quiz-wrong"),
        your_answer: translate(lang, "learn-quiz-your-answer"),
        skipped: translate(lang, "learn-quiz-skipped"),
        right_answer: translate(lang, "learn-quiz-right-answer"),
        again: translate(lang, "learn-quiz-again"),
        last_time: placeholders("learn-quiz-last-time"),
    }
}
