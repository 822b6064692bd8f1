//! The publisher console's pages: the list of console warnings, the compose form, and one
//! warning's page (its preview exactly as residents will see it, its places and reach, and the
//! next step: submit, approve or reject, cancel, write an update). Live and test look different
//! at every step: a red band and "LIVE" words for an Actual warning, a blue striped band and
//! "TEST" words otherwise, and the level typed to confirm a live one.

use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    area_drawing::AreaFields,
    frame::{CsrfField, StaffFrame},
    publishing_api::{
        StaffApproveWarning, StaffCancelWarning, StaffRejectWarning, StaffSaveWarning, StaffSubmitWarning,
        WarningSheet, staff_compose, staff_warning, staff_warnings,
    },
};
use crate::{
    alerts::{PickerGroup, WarningCardView},
    domain::{
        cap::ColourLevel,
        compose::{FieldProblem, Hazard, WarningForm},
        preferences::Lang,
        staff::china_time,
    },
    i18n::{title, tr, translate, use_preferences},
    shell::IslandsBundle,
};

/// The band that says whether this is live or a test, in words as well as colour.
#[component]
fn ModeBand(status: String) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let (class, key) = match status.as_str() {
        "Actual" => ("mode-band mode-band--live", "compose-mode-live"),
        "Exercise" => ("mode-band mode-band--test", "compose-mode-exercise"),
        "Test" => ("mode-band mode-band--test", "compose-mode-test"),
        _ => ("mode-band", "compose-mode-unset"),
    };
    view! { <p class=class role="note">{translate(lang, key)}</p> }
}

fn state_words(lang: Lang, state: &str, cancelled: bool) -> String {
    if cancelled {
        return translate(lang, "compose-state-cancelled");
    }
    translate(lang, &format!("compose-state-{state}"))
}

/// `/staff/warnings`: the console's warnings, waiting ones first.
#[component]
pub fn StaffWarningsPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let list = Resource::new_blocking(|| (), |_| staff_warnings());
    view! {
        <Title text=title("compose-list-title")/>
        <StaffFrame>
            <section class="page page--wide" aria-labelledby="page-heading">
                <h1 id="page-heading">{tr("compose-list-heading")}</h1>
                <p><a class="button button--primary" href="/staff/warnings/new">{tr("compose-new")}</a></p>
                <Suspense>
                    {move || Suspend::new(async move {
                        let mut items = list.await.unwrap_or_default();
                        items.sort_by_key(|item| item.state != "submitted");
                        view! {
                            <table class="staff-table">
                                <thead><tr>
                                    <th scope="col">{translate(lang, "compose-col-headline")}</th>
                                    <th scope="col">{translate(lang, "compose-col-mode")}</th>
                                    <th scope="col">{translate(lang, "compose-col-state")}</th>
                                    <th scope="col">{translate(lang, "compose-col-author")}</th>
                                    <th scope="col">{translate(lang, "compose-col-changed")}</th>
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|item| view! {
                                        <tr>
                                            <td><a href=format!("/staff/warnings/{}", item.id)>{if item.headline.is_empty() { translate(lang, "compose-untitled") } else { item.headline }}</a></td>
                                            <td>{translate(lang, &format!("compose-status-{}", item.status.to_ascii_lowercase()))}</td>
                                            <td>{state_words(lang, &item.state, item.cancelled)}</td>
                                            <td>{item.author}</td>
                                            <td>{china_time(item.updated_at)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                    })}
                </Suspense>
            </section>
        </StaffFrame>
    }
}

/// `/staff/warnings/new` (`?updates=ID` to write an Update of a released warning).
#[component]
pub fn StaffComposePage() -> impl IntoView {
    let updates = use_query_map().with_untracked(|q| q.get("updates")).and_then(|v| v.parse::<i64>().ok());
    let page = Resource::new_blocking(move || updates, |updates| staff_compose(updates, None));
    view! {
        <Title text=title("compose-title")/>
        <StaffFrame>
            <section class="page" aria-labelledby="page-heading">
                <h1 id="page-heading">{tr("compose-heading")}</h1>
                <Suspense>
                    {move || Suspend::new(async move {
                        page.await.ok().map(|page| view! {
                            <ModeBand status=page.form.status.clone()/>
                            <ComposeForm form=page.form picker=page.picker id=None updates=page.updates_id problems=Vec::new()/>
                        })
                    })}
                </Suspense>
            </section>
        </StaffFrame>
    }
}

/// The form, prefilled with `form`; `problems` are shown beside their fields.
#[component]
fn ComposeForm(
    form: WarningForm,
    picker: Vec<PickerGroup>,
    id: Option<i64>,
    updates: Option<i64>,
    problems: Vec<FieldProblem>,
) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let all_problems = problems.clone();
    let problem_of = move |field: &str| {
        all_problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| view! { <p class="field-error" id=format!("{field}-error")>{translate(lang, &p.message_id)}</p> })
    };
    let described = |field: &str, has: bool| has.then(|| format!("{field}-error"));
    let status = form.status.clone();
    let status_choice = |value: &'static str, key: &'static str| {
        view! {
            <label class=format!("choice choice--{}", value.to_ascii_lowercase())>
                <input type="radio" name="status" value=value checked=status == value required/>
                <span>{translate(lang, key)}</span>
            </label>
        }
    };
    let level_choice = |level: ColourLevel| {
        view! {
            <label class=format!("choice level-choice level-choice--{}", level.as_str())>
                <input type="radio" name="level" value=level.as_str() checked=form.level == level.as_str() required/>
                <span class="level-swatch" aria-hidden="true"></span>
                <span>{translate(lang, &format!("warnings-level-{}", level.as_str()))}</span>
            </label>
        }
    };
    let chosen: Vec<String> = form.divisions.clone();
    let known: Vec<String> = picker
        .iter()
        .flat_map(|g| std::iter::once(g.code.clone()).chain(g.townships.iter().map(|t| t.0.clone())))
        .collect();
    let extra = chosen.iter().filter(|c| !known.contains(c)).cloned().collect::<Vec<_>>().join(" ");
    let groups = picker
        .into_iter()
        .map(|group| {
            let county_checked = chosen.contains(&group.code);
            view! {
                <fieldset class="division-group">
                    <legend>
                        <label class="choice">
                            <input type="checkbox" name="divisions[]" value=group.code.clone() checked=county_checked/>
                            <span>{group.name.clone()}{format!(" ({})", translate(lang, "compose-whole-county"))}</span>
                        </label>
                    </legend>
                    <div class="division-townships">
                        {group.townships.into_iter().map(|(code, name)| {
                            let checked = chosen.contains(&code);
                            view! {
                                <label class="choice">
                                    <input type="checkbox" name="divisions[]" value=code checked=checked/>
                                    <span>{name}</span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            }
        })
        .collect_view();
    let text_field = |name: &'static str,
                      label: &'static str,
                      value: String,
                      multiline: bool,
                      required: bool| {
        let error = problem_of(name);
        let describedby = described(name, error.is_some());
        view! {
            <label for=format!("f-{name}")>{translate(lang, label)}</label>
            {if multiline {
                view! { <textarea id=format!("f-{name}") name=name rows="4" required=required aria-describedby=describedby.clone()>{value}</textarea> }.into_any()
            } else {
                view! { <input id=format!("f-{name}") name=name type="text" value=value required=required aria-describedby=describedby.clone()/> }.into_any()
            }}
            {error}
        }
    };
    view! {
        <IslandsBundle name=super::STAFF_BUNDLE/>
        <form action=StaffSaveWarning::url() method="post" class="staff-form compose-form">
            <CsrfField/>
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
            {updates.map(|u| view! { <input type="hidden" name="updates" value=u.to_string()/> })}
            <fieldset>
                <legend>{translate(lang, "compose-field-status")}</legend>
                {status_choice("Actual", "compose-status-actual")}
                {status_choice("Exercise", "compose-status-exercise")}
                {status_choice("Test", "compose-status-test")}
                {problem_of("status")}
            </fieldset>
            <label for="f-hazard">{translate(lang, "compose-field-hazard")}</label>
            <select id="f-hazard" name="hazard" required>
                <option value="">{translate(lang, "compose-choose")}</option>
                {Hazard::ALL.into_iter().map(|hazard| {
                    let label = if lang == Lang::En { hazard.event_en() } else { hazard.event_zh() };
                    view! { <option value=hazard.key() selected=form.hazard == hazard.key()>{label}</option> }
                }).collect_view()}
            </select>
            {problem_of("hazard")}
            <fieldset class="level-choices">
                <legend>{translate(lang, "compose-field-level")}</legend>
                {ColourLevel::ALL.into_iter().map(level_choice).collect_view()}
                {problem_of("level")}
            </fieldset>
            <fieldset>
                <legend>{translate(lang, "compose-field-area")}</legend>
                <p class="hint">{translate(lang, "compose-area-hint")}</p>
                {groups}
                <label for="f-extra">{translate(lang, "compose-field-extra-divisions")}</label>
                <input id="f-extra" name="extra_divisions" type="text" value=extra inputmode="numeric"/>
                {problem_of("divisions")}
                <AreaFields polygon=form.polygon.clone() circle=form.circle.clone() problems=problems.clone()/>
            </fieldset>
            <fieldset lang="zh-CN">
                <legend>{translate(lang, "compose-texts-zh")}</legend>
                {text_field("headline_zh", "compose-field-headline", form.headline_zh.clone(), false, true)}
                {text_field("description_zh", "compose-field-description", form.description_zh.clone(), true, true)}
                {text_field("instruction_zh", "compose-field-instruction", form.instruction_zh.clone(), true, true)}
            </fieldset>
            <fieldset lang="en">
                <legend>{translate(lang, "compose-texts-en")}</legend>
                {text_field("headline_en", "compose-field-headline", form.headline_en.clone(), false, false)}
                {text_field("description_en", "compose-field-description", form.description_en.clone(), true, false)}
                {text_field("instruction_en", "compose-field-instruction", form.instruction_en.clone(), true, false)}
            </fieldset>
            <label for="f-onset">{translate(lang, "compose-field-onset")}</label>
            <input id="f-onset" name="onset" type="datetime-local" value=form.onset.clone()/>
            {problem_of("onset")}
            <label for="f-expires">{translate(lang, "compose-field-expires")}</label>
            <input id="f-expires" name="expires" type="datetime-local" value=form.expires.clone() required/>
            {problem_of("expires")}
            <button type="submit" class="button button--primary">{translate(lang, "compose-save")}</button>
        </form>
    }
}

/// `/staff/warnings/{id}`.
#[component]
pub fn StaffWarningPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or_default();
    let sheet = Resource::new_blocking(move || id, staff_warning);
    let picker = Resource::new_blocking(move || id, move |id| staff_compose(None, Some(id)));
    view! {
        <Title text=title("compose-sheet-title")/>
        <StaffFrame>
            <section class="page" aria-labelledby="page-heading">
                <Suspense>
                    {move || Suspend::new(async move {
                        match (sheet.await, picker.await) {
                            (Ok(sheet), Ok(compose)) => sheet_view(lang, sheet, compose.picker).into_any(),
                            _ => view! { <h1 id="page-heading">{translate(lang, "compose-error-missing")}</h1> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffFrame>
    }
}

fn sheet_view(lang: Lang, sheet: WarningSheet, picker: Vec<PickerGroup>) -> impl IntoView {
    let id = sheet.id.to_string();
    let live = sheet.form.status == "Actual";
    let editable = sheet.state == "draft" && sheet.viewer_is_author;
    let headline = if sheet.form.headline_zh.is_empty() {
        translate(lang, "compose-untitled")
    } else {
        sheet.form.headline_zh.clone()
    };
    let confirm_hint = translate(lang, "compose-confirm-hint");
    let confirm_field = move |field_id: &'static str| {
        view! {
            <label for=field_id>{confirm_hint.clone()}</label>
            <input id=field_id name="confirm" type="text" required autocomplete="off" autocapitalize="none"/>
        }
    };
    let ready = sheet.problems.is_empty();
    view! {
        <ModeBand status=sheet.form.status.clone()/>
        <h1 id="page-heading">{headline}</h1>
        <p class="compose-state">
            {translate(lang, "compose-col-state")}": "<strong>{state_words(lang, &sheet.state, sheet.cancelled)}</strong>
            " · "{translate(lang, "compose-col-author")}": "{sheet.author.clone()}
            {sheet.approver.clone().map(|a| view! { " · "{translate(lang, "compose-approver")}": "{a} })}
            {sheet.cap_identifier.clone().map(|i| view! { " · CAP "<code>{i}</code> })}
        </p>
        {sheet.reason.clone().filter(|r| !r.is_empty()).map(|r| view! { <p class="notice notice--error">{translate(lang, "compose-rejected-because")}" "{r}</p> })}
        {(!sheet.problems.is_empty()).then(|| view! {
            <div class="notice notice--error" role="alert">
                <p>{translate(lang, "compose-has-problems")}</p>
                <ul>{sheet.problems.iter().map(|p| view! { <li><a href=format!("#f-{}", p.field)>{translate(lang, &p.message_id)}</a></li> }).collect_view()}</ul>
            </div>
        })}
        <h2>{translate(lang, "compose-preview")}</h2>
        <p class="hint">{translate(lang, "compose-preview-hint")}</p>
        <div class="compose-previews">
            {sheet.previews.iter().cloned().map(|card| view! { <WarningCardView card=card lang=lang announce=false/> }).collect_view()}
        </div>
        <h2>{translate(lang, "compose-reach")}</h2>
        <ul>
            <li>{translate(lang, "compose-reach-places")}": "{if sheet.places.is_empty() { "-".to_owned() } else { sheet.places.join("、") }}</li>
            <li>{translate(lang, "compose-reach-subscriptions")}": "<strong>{sheet.subscriptions}</strong></li>
            <li>{translate(lang, "compose-reach-gateways")}": "<strong>{sheet.gateways}</strong></li>
        </ul>
        {(!live).then(|| view! { <p class="hint">{translate(lang, "compose-reach-test")}</p> })}
        {(editable && ready).then(|| view! {
            <form action=StaffSubmitWarning::url() method="post" class="staff-form compose-decision">
                <CsrfField/>
                <input type="hidden" name="id" value=id.clone()/>
                {live.then(|| confirm_field("confirm-submit"))}
                <button type="submit" class=if live { "button button--live" } else { "button button--test" }>
                    {translate(lang, if live { "compose-submit-live" } else { "compose-send-test" })}
                </button>
            </form>
        })}
        {sheet.viewer_may_approve.then(|| view! {
            <form action=StaffApproveWarning::url() method="post" class="staff-form compose-decision">
                <CsrfField/>
                <input type="hidden" name="id" value=id.clone()/>
                {confirm_field("confirm-approve")}
                <button type="submit" class="button button--live">{translate(lang, "compose-approve")}</button>
            </form>
            <form action=StaffRejectWarning::url() method="post" class="staff-form">
                <CsrfField/>
                <input type="hidden" name="id" value=id.clone()/>
                <label for="reject-reason">{translate(lang, "compose-reject-reason")}</label>
                <input id="reject-reason" name="reason" type="text" required/>
                <button type="submit" class="button">{translate(lang, "compose-reject")}</button>
            </form>
        })}
        {sheet.viewer_may_cancel.then(|| view! {
            <div class="button-row compose-released">
                <form action=StaffCancelWarning::url() method="post">
                    <CsrfField/>
                    <input type="hidden" name="id" value=id.clone()/>
                    <button type="submit" class="button button--live">{translate(lang, "compose-cancel")}</button>
                </form>
                <a class="button" href=format!("/staff/warnings/new?updates={}", sheet.id)>{translate(lang, "compose-update")}</a>
            </div>
            {sheet.message_id.map(|m| view! { <p><a href=format!("/alerts/{m}")>{translate(lang, "compose-public-page")}</a></p> })}
        })}
        {editable.then(|| view! {
            <h2>{translate(lang, "compose-edit")}</h2>
            <ComposeForm form=sheet.form.clone() picker=picker id=Some(sheet.id) updates=sheet.updates_id problems=sheet.problems.clone()/>
        })}
    }
}
