//! The settings page: a plain form post that works with and without JavaScript.

use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::SavePreferences;
use crate::{
    alerts::NotificationsPanel,
    domain::preferences::{Contrast, Lang, TextSize},
    i18n::{title, tr},
    shell::request_preferences,
};

/// `/settings`: language, elderly mode (larger text), high contrast, how a new warning on an
/// open page announces itself, notifications, and where all of it is kept.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let prefs = request_preferences();
    // The form's post answers with a redirect to `/settings?saved`.
    let saved = use_query_map().with_untracked(|query| query.get("saved").is_some());

    view! {
        <Title text=title("settings-title")/>
        <section class="page" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("settings-heading")}</h1>
            <form action=SavePreferences::url() method="post" class="settings-form">
                <fieldset>
                    <legend>{tr("settings-language")}</legend>
                    <label class="choice">
                        <input type="radio" name="lang" value="zh-CN" checked=prefs.lang == Lang::ZhCn/>
                        <span lang="zh-CN">{tr("language-name-zh-cn")}</span>
                    </label>
                    <label class="choice">
                        <input type="radio" name="lang" value="en" checked=prefs.lang == Lang::En/>
                        <span lang="en">{tr("language-name-en")}</span>
                    </label>
                </fieldset>
                <fieldset>
                    <legend>{tr("settings-display")}</legend>
                    <label class="choice">
                        <input type="checkbox" name="elderly" value="on"
                            checked=prefs.text_size == TextSize::Large aria-describedby="elderly-hint"/>
                        <span>{tr("settings-elderly")}</span>
                    </label>
                    <p class="hint" id="elderly-hint">{tr("settings-elderly-hint")}</p>
                    <label class="choice">
                        <input type="checkbox" name="high_contrast" value="on"
                            checked=prefs.contrast == Contrast::High aria-describedby="contrast-hint"/>
                        <span>{tr("settings-contrast")}</span>
                    </label>
                    <p class="hint" id="contrast-hint">{tr("settings-contrast-hint")}</p>
                </fieldset>
                <fieldset>
                    <legend>{tr("settings-alert-signals")}</legend>
                    <p class="hint" id="signals-hint">{tr("settings-alert-signals-hint")}</p>
                    <label class="choice">
                        <input type="checkbox" name="alert_sound" value="on"
                            checked=prefs.alert_sound aria-describedby="signals-hint"/>
                        <span>{tr("settings-alert-sound")}</span>
                    </label>
                    <label class="choice">
                        <input type="checkbox" name="alert_vibrate" value="on"
                            checked=prefs.alert_vibrate aria-describedby="signals-hint"/>
                        <span>{tr("settings-alert-vibrate")}</span>
                    </label>
                </fieldset>
                <button type="submit" class="button button--primary">{tr("settings-save")}</button>
                <p class="form-status" role="status">{saved.then(|| tr("settings-saved"))}</p>
            </form>
            <NotificationsPanel/>
            <h2>{tr("settings-privacy-heading")}</h2>
            <p>{tr("settings-privacy-body")}</p>
            <p>{tr("settings-privacy-places")}</p>
            <p>{tr("settings-privacy-notifications")}</p>
            <p><a href="/#mine-heading">{tr("settings-places-link")}</a></p>
        </section>
    }
}
